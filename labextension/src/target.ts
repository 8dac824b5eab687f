/**
 * What the panel's header says about where the next question goes: the notebook, its kernel
 * and that kernel's state, and the planner that will answer (offline, or the model and the
 * endpoint's host), or that the kernel lacks aigc-magic and the line that installs it.
 * Pure, so jest tests it.
 */

import { Trans } from './i18n';
import { KernelInfo, parseKernelInfo } from './protocol';

export const PIP_INSTALL = '%pip install aigc-magic';

/** What the probe found out about the kernel. */
export type Probe =
  | { state: 'unknown' }
  | { state: 'checking' }
  | { state: 'ready'; info: KernelInfo }
  | { state: 'missing' }
  | { state: 'failed'; message: string };

export interface TargetState {
  /** The active notebook's path, or null: the chat then uses a kernel of its own. */
  notebook: string | null;
  /** The kernel's display name ("Python 3 (ipykernel)"), or null for none yet. */
  kernelName: string | null;
  /** The kernel's status as JupyterLab reports it: idle, busy, restarting, dead, … */
  status: string;
  probe: Probe;
}

/** The probe's `user_expressions` entry, read: a KernelInfo, or why there is none. */
export function probeResult(expression: unknown): Probe {
  if (typeof expression !== 'object' || expression === null) {
    return { state: 'failed', message: 'no answer' };
  }
  const entry = expression as Record<string, unknown>;
  if (entry.status === 'error') {
    const ename = typeof entry.ename === 'string' ? entry.ename : 'Error';
    const evalue = typeof entry.evalue === 'string' ? entry.evalue : '';
    if (ename === 'ModuleNotFoundError' && evalue.includes('aigc_magic')) {
      return { state: 'missing' };
    }
    if (ename === 'NameError' || ename === 'SyntaxError') {
      return { state: 'missing' }; // not a Python kernel, or no __import__: no aigc-magic
    }
    return { state: 'failed', message: `${ename}: ${evalue}` };
  }
  const data = entry.data as Record<string, unknown> | undefined;
  const info = parseKernelInfo(data?.['application/json']);
  return info === null
    ? { state: 'failed', message: 'aigc-magic in this kernel is older than the sidebar' }
    : { state: 'ready', info };
}

export interface HeaderText {
  /** "sidebar.ipynb · Python 3 (ipykernel) · idle" */
  kernel: string;
  /** "Answers: the offline planner" / "Answers: gpt-4o-mini at api.openai.com" */
  planner: string;
  /** Set when the kernel cannot answer: what to do. */
  warning: string | null;
}

function statusWord(status: string, trans: Trans): string {
  const words: Record<string, string> = {
    idle: trans.__('idle'),
    busy: trans.__('busy'),
    starting: trans.__('starting'),
    restarting: trans.__('restarting'),
    autorestarting: trans.__('restarting'),
    dead: trans.__('dead'),
    terminating: trans.__('shutting down'),
    unknown: trans.__('connecting')
  };
  return words[status] ?? status;
}

function fileName(path: string): string {
  return path.split('/').pop() ?? path;
}

export function headerText(state: TargetState, trans: Trans): HeaderText {
  if (state.notebook === null && state.kernelName === null) {
    return {
      kernel: trans.__('No notebook open: the chat starts a kernel of its own.'),
      planner: trans.__('Answers: as the kernel is configured'),
      warning: null
    };
  }
  const where = state.notebook === null ? trans.__('own kernel') : fileName(state.notebook);
  const kernel =
    state.kernelName === null
      ? trans.__('%1 · No Kernel', where)
      : trans.__('%1 · %2 · %3', where, state.kernelName, statusWord(state.status, trans));
  const probe = state.probe;
  switch (probe.state) {
    case 'ready': {
      const info = probe.info;
      let planner: string;
      if (info.planner === 'offline') {
        planner = trans.__('Answers: the offline planner (no LLM configured)');
      } else if (info.host === null) {
        planner = trans.__('Answers: an LLM, but none is configured');
      } else {
        planner = trans.__('Answers: %1 at %2', info.model ?? '?', info.host);
      }
      return { kernel, planner, warning: null };
    }
    case 'missing':
      return {
        kernel,
        planner: trans.__('Answers: nobody (no aigc-magic in this kernel)'),
        warning: trans.__(
          "This kernel's Python has no aigc-magic. Run %1 in a notebook cell, then restart the kernel.",
          PIP_INSTALL
        )
      };
    case 'failed':
      return {
        kernel,
        planner: trans.__('Answers: unknown (%1)', probe.message),
        warning: null
      };
    default:
      return { kernel, planner: trans.__('Answers: checking the kernel…'), warning: null };
  }
}
