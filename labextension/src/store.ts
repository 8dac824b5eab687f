/**
 * Each notebook's conversation, kept in JupyterLab's state database (`IStateDB`).
 *
 * Why the state database and not a file beside the notebook: the state database is the
 * user's workspace, saved by the server in the workspaces folder, so a conversation survives
 * a page reload and a kernel restart without writing anything into the user's project. A
 * `.chat` file or notebook metadata would show up in `git status`, travel with a notebook the
 * user shares (prose, code, outputs and all), and need write access to the folder. The cost:
 * the conversation stays with this workspace, and renaming the notebook outside JupyterLab
 * leaves it behind (a rename inside JupyterLab moves it: `pathChanged`).
 *
 * What is kept: each turn (prose, status, answer, consent, error) and its outputs. A widget
 * (the progress bar) cannot outlive its kernel: it is kept as the text it last showed. Each
 * notebook keeps its newest MAX_TURNS turns; outputs over MAX_OUTPUT_CHARS become a short
 * text. Anything that looks like an API key is replaced before it is stored (secrets.ts).
 *
 * Pure, so jest tests it.
 */

import type * as nbformat from '@jupyterlab/nbformat';

import { Turn, TurnError } from './conversation';
import { WIDGET_MIMETYPE } from './iopub';
import { scrubJSON } from './secrets';

export const STORE_VERSION = 1;
export const MAX_TURNS = 50;
export const MAX_OUTPUT_CHARS = 20000;
const PREFIX = 'aigc-magic:conversation:';
/** The key of the conversation with the chat's own kernel (no notebook open). */
export const OWN_KERNEL = '(own kernel)';
export const SNAPSHOT_METADATA = 'aigc-magic-snapshot';

/** A turn as stored: the turn and the outputs its request displayed. */
export interface StoredTurn {
  turn: Turn;
  outputs: nbformat.IOutput[];
}

export interface StoredConversation {
  version: number;
  turns: StoredTurn[];
}

/** The state-database key for the conversation of the notebook at `path`. */
export function storageKey(path: string | null): string {
  return PREFIX + (path ?? OWN_KERNEL);
}

/** The stand-in for a widget output: the text it showed last, as plain text. */
export function snapshotOf(renderedText: string, label: string): nbformat.IDisplayData {
  const text = renderedText.replace(/[ \t]+\n/g, '\n').trim();
  return {
    output_type: 'display_data',
    data: { 'text/plain': text === '' ? label : `${label}: ${text}` },
    metadata: { [SNAPSHOT_METADATA]: true }
  };
}

function isWidget(output: nbformat.IOutput): boolean {
  const data = (output as nbformat.IDisplayData).data;
  return typeof data === 'object' && data !== null && WIDGET_MIMETYPE in data;
}

/** An output ready to store: widgets are left to the caller (snapshotOf), big ones shrink. */
export function storableOutput(output: nbformat.IOutput, tooBig: string): nbformat.IOutput {
  if (JSON.stringify(output).length <= MAX_OUTPUT_CHARS) {
    return output;
  }
  return {
    output_type: 'display_data',
    data: { 'text/plain': tooBig },
    metadata: { [SNAPSHOT_METADATA]: true }
  };
}

/** What to save: the newest MAX_TURNS turns, scrubbed; widgets must be snapshots by now. */
export function toStored(turns: readonly StoredTurn[]): StoredConversation {
  const kept = turns.slice(-MAX_TURNS).map(({ turn, outputs }) => ({
    turn,
    outputs: outputs.filter(output => !isWidget(output))
  }));
  return scrubJSON({ version: STORE_VERSION, turns: kept });
}

function isTurn(value: unknown): value is Turn {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const turn = value as Record<string, unknown>;
  return (
    typeof turn.id === 'string' &&
    typeof turn.prose === 'string' &&
    typeof turn.request === 'object' &&
    turn.request !== null &&
    typeof turn.finished === 'boolean'
  );
}

/**
 * Read a stored conversation back; anything unreadable is dropped. A turn that was still
 * waiting when the page went away is closed with `lost`: its answer went to the old page.
 */
export function fromStored(value: unknown, lost: TurnError): StoredTurn[] {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  const stored = value as Partial<StoredConversation>;
  if (stored.version !== STORE_VERSION || !Array.isArray(stored.turns)) {
    return [];
  }
  const turns: StoredTurn[] = [];
  for (const item of stored.turns as unknown[]) {
    const entry = item as Partial<StoredTurn> | null;
    if (entry === null || !isTurn(entry.turn)) {
      continue;
    }
    let turn: Turn = entry.turn;
    if (!turn.finished) {
      const settled = turn.answer !== null || turn.consent !== null || turn.error !== null;
      turn = { ...turn, finished: true, phase: 'done', error: settled ? turn.error : lost };
    }
    turns.push({ turn, outputs: Array.isArray(entry.outputs) ? entry.outputs : [] });
  }
  return turns;
}

/** The prompts of stored conversations, oldest first: what the Up arrow recalls. */
export function promptsOf(turns: readonly StoredTurn[]): string[] {
  return turns.filter(({ turn }) => turn.request.kind === 'ask').map(({ turn }) => turn.prose);
}
