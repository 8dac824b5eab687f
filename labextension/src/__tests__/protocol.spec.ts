import { CHAT_MIMETYPE, parseReply, Request, requestCode } from '../protocol';

const answer = {
  prose: '计算10000以内的所有质数',
  language: 'zh',
  summary: 'primes',
  source: 'offline',
  recipe: 'primes.list',
  ran: true,
  explanation: '10000以内共有1229个质数。',
  code: 'result = 1',
  value_type: 'list',
  value_repr: '[2, 3, 5, …] (1229 items)',
  schedule: null,
  timings: { total: 0.5 },
  notices: [],
  attempts: 0
};

/** The Python string literal inside `handle(...)`, read back as Python would read it. */
function readBack(code: string): unknown {
  const match = /^__import__\("aigc_magic\.chat"\)\.chat\.handle\((.*)\)$/s.exec(code);
  expect(match).not.toBeNull();
  const literal = (match as RegExpExecArray)[1];
  // a JSON string literal uses only escapes Python shares, and no raw line breaks
  expect(literal).not.toMatch(/[\n\r]/);
  for (const escape of literal.matchAll(/\\(.)/g)) {
    expect(escape[1]).toMatch(/^["\\nrtbfu]$/);
  }
  return JSON.parse(JSON.parse(literal) as string);
}

describe('requestCode', () => {
  it.each([
    ['Chinese prose', '计算10000以内的所有质数'],
    ['quotes of every kind', `it's "quoted" and '''triple''' and """triple"""`],
    ['backslashes and a fake escape', 'C:\\new\\table \\u0041 \\x41'],
    ['line breaks from Shift+Enter', 'first line\nsecond line\r\nthird'],
    ['a closing paren and code', ')\nimport os; os.system("rm -rf /")  # ('],
    ['Unicode line separators', 'a\u2028b\u2029c'],
    ['an astral character', 'primes 🧮 below 1e6']
  ])('carries %s intact', (_label, prose) => {
    const request: Request = { kind: 'ask', id: 'q1', prose };
    expect(readBack(requestCode(request))).toEqual(request);
  });

  it('is one expression statement that leaves no name behind', () => {
    const code = requestCode({ kind: 'run', id: 'r1', ask_id: 'q1' });
    expect(code.split('\n')).toHaveLength(1);
    expect(code.startsWith('__import__(')).toBe(true);
  });
});

describe('parseReply', () => {
  it('accepts each kind the kernel sends', () => {
    const replies = [
      { kind: 'status', id: 'q', phase: 'planning', text: 'Planning…' },
      { kind: 'token', id: 'q', text: 'resu' },
      { kind: 'answer', id: 'q', answer },
      {
        kind: 'consent',
        id: 'q',
        message: 'held back',
        code: 'import os',
        findings: ['line 1: os'],
        can_run: true
      },
      { kind: 'error', id: 'q', error: 'PlanningError', message: 'no task', code: null }
    ];
    for (const reply of replies) {
      expect(parseReply(reply)).toEqual(reply);
    }
  });

  it.each([
    ['not an object', 'status'],
    ['no id', { kind: 'token', text: 'x' }],
    ['an unknown kind from a newer kernel', { kind: 'thinking', id: 'q', text: 'x' }],
    ['an unknown phase', { kind: 'status', id: 'q', phase: 'explaining', text: 'x' }],
    ['a token without text', { kind: 'token', id: 'q' }],
    ['an answer without code', { kind: 'answer', id: 'q', answer: { ...answer, code: 3 } }],
    [
      'findings that are not strings',
      {
        kind: 'consent',
        id: 'q',
        message: 'm',
        code: 'c',
        findings: [1],
        can_run: true
      }
    ],
    [
      'an error whose code is a number',
      {
        kind: 'error',
        id: 'q',
        error: 'E',
        message: 'm',
        code: 1
      }
    ]
  ])('rejects %s', (_label, data) => {
    expect(parseReply(data)).toBeNull();
  });

  it('names the mimetype the kernel publishes under', () => {
    expect(CHAT_MIMETYPE).toBe('application/vnd.aigc-magic.chat+json');
  });
});
