import { addTurn, applyReply, EMPTY, finishTurn } from '../conversation';
import { WIDGET_MIMETYPE } from '../iopub';
import { REDACTED, scrubJSON, scrubSecrets } from '../secrets';
import {
  fromStored,
  MAX_TURNS,
  promptsOf,
  snapshotOf,
  storableOutput,
  storageKey,
  toStored
} from '../store';

const lost = { error: 'KernelLost', message: 'reloaded', code: null };

function turnFor(id: string, prose: string, finished = true) {
  let c = addTurn(EMPTY, { kind: 'ask', id, prose }, prose);
  c = applyReply(c, { kind: 'status', id, phase: 'planning', text: 'Planning…' });
  if (finished) {
    c = finishTurn(c, id, { status: 'ok' });
  }
  return c.turns[0];
}

describe('the stored conversation', () => {
  it('has one key per notebook and one for the own kernel', () => {
    expect(storageKey('work/a.ipynb')).toBe('aigc-magic:conversation:work/a.ipynb');
    expect(storageKey(null)).toBe('aigc-magic:conversation:(own kernel)');
  });

  it('reads back what it wrote', () => {
    const stored = toStored([
      {
        turn: turnFor('q1', 'primes'),
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }]
      }
    ]);
    const back = fromStored(JSON.parse(JSON.stringify(stored)), lost);
    expect(back).toHaveLength(1);
    expect(back[0].turn.prose).toBe('primes');
    expect(back[0].outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'hi' }]);
  });

  it('closes a turn that was still running when the page went away', () => {
    const back = fromStored(toStored([{ turn: turnFor('q1', 'slow', false), outputs: [] }]), lost);
    expect(back[0].turn.finished).toBe(true);
    expect(back[0].turn.error).toEqual(lost);
  });

  it('keeps the newest turns only and drops live widgets', () => {
    const many = Array.from({ length: MAX_TURNS + 5 }, (_, i) => ({
      turn: turnFor(`q${i}`, `ask ${i}`),
      outputs: [
        {
          output_type: 'display_data',
          data: { [WIDGET_MIMETYPE]: { model_id: 'm' } },
          metadata: {}
        }
      ]
    }));
    const stored = toStored(many);
    expect(stored.turns).toHaveLength(MAX_TURNS);
    expect(stored.turns[0].turn.prose).toBe('ask 5');
    expect(stored.turns[0].outputs).toEqual([]);
  });

  it('turns a widget into the text it showed and a huge output into a note', () => {
    expect(snapshotOf('Done  \n 12/12 tasks ', 'Widget')).toEqual({
      output_type: 'display_data',
      data: { 'text/plain': 'Widget: Done\n 12/12 tasks' },
      metadata: { 'aigc-magic-snapshot': true }
    });
    const huge = { output_type: 'stream', name: 'stdout', text: 'x'.repeat(30000) };
    expect(storableOutput(huge, 'too big')).toMatchObject({ data: { 'text/plain': 'too big' } });
  });

  it('ignores what it cannot read', () => {
    expect(fromStored(undefined, lost)).toEqual([]);
    expect(fromStored({ version: 99, turns: [] }, lost)).toEqual([]);
    expect(fromStored({ version: 1, turns: [null, { turn: { id: 1 } }] }, lost)).toEqual([]);
  });

  it('lists the prompts the Up arrow recalls', () => {
    const turns = [turnFor('q1', 'a'), turnFor('q2', 'b')].map(turn => ({ turn, outputs: [] }));
    expect(promptsOf(turns)).toEqual(['a', 'b']);
  });
});

describe('secrets', () => {
  const key = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0';

  it('never stores a key-shaped string', () => {
    const turn = turnFor('q1', `use the key ${key} please`);
    const stored = JSON.stringify(toStored([{ turn, outputs: [] }]));
    expect(stored).not.toContain(key);
    expect(stored).toContain(REDACTED);
  });

  it('replaces the usual key shapes and leaves prose alone', () => {
    for (const secret of [
      key,
      'Bearer abcdefghijklmnopqrstuvwxyz012345',
      'AKIAABCDEFGHIJKLMNOP',
      'ghp_' + 'a'.repeat(36),
      'xoxb-1234567890-abcdef',
      'AIza' + 'B'.repeat(35)
    ]) {
      expect(scrubSecrets(`value: ${secret}.`)).toBe(`value: ${REDACTED}.`);
    }
    const prose = 'sk-learn is fine, and so is a task-based token of 5 words';
    expect(scrubSecrets(prose)).toBe(prose);
    expect(scrubJSON({ a: [key] })).toEqual({ a: [REDACTED] });
    expect(scrubJSON(undefined)).toBeUndefined();
  });
});
