import {
  addTurn,
  applyReply,
  busy,
  codeOf,
  Conversation,
  EMPTY,
  explainOutcome,
  finishTurn
} from '../conversation';
import { AnswerJSON } from '../protocol';

const answer: AnswerJSON = {
  prose: 'primes below 10000',
  language: 'en',
  summary: 'primes',
  source: 'offline',
  recipe: 'primes.list',
  ran: true,
  explanation: 'There are 1229 primes below 10000.',
  code: 'result = primes(10000)',
  value_type: 'list',
  value_repr: '[2, 3, …] (1229 items)',
  schedule: null,
  timings: {},
  notices: [],
  attempts: 0
};

function asked(id = 'q1'): Conversation {
  return addTurn(EMPTY, { kind: 'ask', id, prose: 'primes below 10000' }, 'primes below 10000');
}

describe('a turn', () => {
  it('goes from planning through streamed tokens to an answer', () => {
    let c = asked();
    expect(c.turns[0].phase).toBe('sent');
    expect(busy(c)).toBe(true);
    c = applyReply(c, { kind: 'status', id: 'q1', phase: 'planning', text: 'Planning…' });
    c = applyReply(c, { kind: 'token', id: 'q1', text: '```python\nresult' });
    c = applyReply(c, { kind: 'token', id: 'q1', text: ' = 1\n```' });
    expect(c.turns[0].tokens).toBe('```python\nresult = 1\n```');
    c = applyReply(c, { kind: 'status', id: 'q1', phase: 'running', text: 'Running…' });
    expect(c.turns[0].status).toBe('Running…');
    c = applyReply(c, { kind: 'answer', id: 'q1', answer });
    c = finishTurn(c, 'q1', { status: 'ok' });
    const turn = c.turns[0];
    expect(turn.answer).toEqual(answer);
    expect(turn.error).toBeNull();
    expect(turn.finished).toBe(true);
    expect(busy(c)).toBe(false);
    expect(codeOf(turn)).toBe(answer.code);
  });

  it('never mutates the conversation it is given', () => {
    const before = asked();
    const snapshot = JSON.stringify(before);
    applyReply(before, { kind: 'token', id: 'q1', text: 'x' });
    finishTurn(before, 'q1', { status: 'ok' });
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('routes replies by id and ignores replies for unknown turns', () => {
    let c = addTurn(asked('a'), { kind: 'ask', id: 'b', prose: 'pi' }, 'pi');
    c = applyReply(c, { kind: 'token', id: 'b', text: 'for b' });
    c = applyReply(c, { kind: 'token', id: 'zzz', text: 'lost' });
    expect(c.turns.map(t => t.tokens)).toEqual(['', 'for b']);
  });

  it('is not reopened by a reply that arrives after it finished', () => {
    let c = finishTurn(asked(), 'q1', { status: 'ok' });
    const closed = c.turns[0];
    c = applyReply(c, { kind: 'answer', id: 'q1', answer });
    expect(c.turns[0]).toBe(closed);
  });

  it('keeps the engine error text and offers the failed code', () => {
    let c = applyReply(asked(), {
      kind: 'error',
      id: 'q1',
      error: 'TaskError',
      message: "The task's code raised ZeroDivisionError",
      code: 'result = 1 / 0'
    });
    c = finishTurn(c, 'q1', { status: 'ok' });
    expect(c.turns[0].error?.message).toBe("The task's code raised ZeroDivisionError");
    expect(codeOf(c.turns[0])).toBe('result = 1 / 0');
  });

  it('offers the held-back code of a consent reply', () => {
    const c = applyReply(asked(), {
      kind: 'consent',
      id: 'q1',
      message: 'breaks the policy',
      code: 'import subprocess',
      findings: ['line 1'],
      can_run: true
    });
    expect(codeOf(c.turns[0])).toBe('import subprocess');
  });
});

describe('a request that ends without a reply', () => {
  it('explains a kernel without aigc-magic and says how to install it', () => {
    const c = finishTurn(asked(), 'q1', {
      status: 'error',
      ename: 'ModuleNotFoundError',
      evalue: "No module named 'aigc_magic'"
    });
    expect(c.turns[0].error?.message).toMatch(/%pip install aigc-magic/);
  });

  it('says the kernel died when the future was cancelled', () => {
    const c = finishTurn(asked(), 'q1', { status: 'lost' });
    expect(c.turns[0].error?.error).toBe('KernelLost');
  });

  it('never leaves a turn spinning when the kernel said nothing', () => {
    const c = finishTurn(asked(), 'q1', { status: 'ok' });
    expect(c.turns[0].finished).toBe(true);
    expect(c.turns[0].error?.error).toBe('NoAnswer');
  });

  it('keeps an answer even when the request itself failed afterwards', () => {
    let c = applyReply(asked(), { kind: 'answer', id: 'q1', answer });
    c = finishTurn(c, 'q1', { status: 'error', ename: 'KeyboardInterrupt', evalue: '' });
    expect(c.turns[0].error).toBeNull();
    expect(c.turns[0].answer).toEqual(answer);
  });

  it('shows other kernel errors as name and value', () => {
    expect(explainOutcome({ status: 'error', ename: 'NameError', evalue: 'x' })?.message).toBe(
      'NameError: x'
    );
    expect(explainOutcome({ status: 'ok' })).toBeNull();
  });
});
