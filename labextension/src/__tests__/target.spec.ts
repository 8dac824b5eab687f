import { ENGLISH } from '../i18n';
import { KernelInfo, PROBE_EXPRESSION } from '../protocol';
import { headerText, PIP_INSTALL, probeResult, TargetState } from '../target';
import { keyAction, caretOf } from '../keys';
import { shouldFold, shouldFoldHeight, FOLD_LINES } from '../fold';

const offline: KernelInfo = {
  kind: 'hello',
  version: '0.1.0',
  protocol: 2,
  planner: 'offline',
  model: null,
  host: null,
  source: 'default'
};

function state(extra: Partial<TargetState>): TargetState {
  return {
    notebook: 'work/check.ipynb',
    kernelName: 'Python 3 (ipykernel)',
    status: 'idle',
    probe: { state: 'unknown' },
    ...extra
  };
}

describe('the probe', () => {
  it('is one expression the kernel evaluates', () => {
    expect(PROBE_EXPRESSION).toBe('__import__("aigc_magic.chat").chat.describe()');
  });

  it('reads a KernelInfo', () => {
    expect(
      probeResult({ status: 'ok', data: { 'application/json': offline }, metadata: {} })
    ).toEqual({ state: 'ready', info: offline });
  });

  it('tells a kernel without aigc-magic from other failures', () => {
    expect(
      probeResult({
        status: 'error',
        ename: 'ModuleNotFoundError',
        evalue: "No module named 'aigc_magic'"
      })
    ).toEqual({ state: 'missing' });
    expect(probeResult({ status: 'error', ename: 'ValueError', evalue: 'bad %config' })).toEqual({
      state: 'failed',
      message: 'ValueError: bad %config'
    });
    expect(probeResult({ status: 'ok', data: { 'text/plain': "'x'" } }).state).toBe('failed');
    expect(probeResult(undefined).state).toBe('failed');
  });
});

describe('the header', () => {
  it('names the notebook, its kernel and its state, and who answers', () => {
    const text = headerText(state({ probe: { state: 'ready', info: offline } }), ENGLISH);
    expect(text.kernel).toBe('check.ipynb · Python 3 (ipykernel) · idle');
    expect(text.planner).toBe('Answers: the offline planner (no LLM configured)');
    expect(text.warning).toBeNull();
  });

  it('shows the model and the endpoint host of an LLM', () => {
    const info: KernelInfo = {
      ...offline,
      planner: 'llm',
      model: 'gpt-4o-mini',
      host: '127.0.0.1:8000'
    };
    expect(headerText(state({ probe: { state: 'ready', info } }), ENGLISH).planner).toBe(
      'Answers: gpt-4o-mini at 127.0.0.1:8000'
    );
  });

  it('says how to install aigc-magic in a kernel that lacks it', () => {
    const text = headerText(state({ probe: { state: 'missing' } }), ENGLISH);
    expect(text.warning).toContain(PIP_INSTALL);
  });

  it('says so while no kernel is there, and with no notebook open', () => {
    expect(headerText(state({ kernelName: null }), ENGLISH).kernel).toBe('check.ipynb · No Kernel');
    expect(headerText(state({ status: 'restarting' }), ENGLISH).kernel).toContain('restarting');
    expect(headerText(state({ notebook: null, kernelName: null }), ENGLISH).kernel).toContain(
      'No notebook open'
    );
  });

  it('goes through the translator', () => {
    const upper = { __: (id: string, ...args: unknown[]) => ENGLISH.__(id, ...args).toUpperCase() };
    expect(headerText(state({}), upper).planner).toBe('ANSWERS: CHECKING THE KERNEL…');
  });
});

describe('the arrows and Escape', () => {
  const plain = {
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    isComposing: false
  };

  it('recall from the first or last line only, and Escape clears', () => {
    const first = caretOf('one\ntwo', 0, 0);
    const last = caretOf('one\ntwo', 7, 7);
    expect(keyAction({ key: 'ArrowUp', ...plain }, first)).toBe('previous');
    expect(keyAction({ key: 'ArrowUp', ...plain }, last)).toBe('none');
    expect(keyAction({ key: 'ArrowDown', ...plain }, last)).toBe('next');
    expect(keyAction({ key: 'ArrowDown', ...plain }, first)).toBe('none');
    expect(keyAction({ key: 'Escape', ...plain })).toBe('clear');
    expect(keyAction({ key: 'Escape', ...plain, isComposing: true })).toBe('none');
    expect(keyAction({ key: 'ArrowUp', ...plain, shiftKey: true })).toBe('none');
  });
});

describe('folding', () => {
  it('folds long texts and tall outputs only', () => {
    expect(shouldFold('a\n'.repeat(FOLD_LINES + 1))).toBe(true);
    expect(shouldFold('short\ntext')).toBe(false);
    expect(shouldFold('x'.repeat(5000))).toBe(true);
    expect(shouldFoldHeight(100)).toBe(false);
    expect(shouldFoldHeight(2000)).toBe(true);
  });
});
