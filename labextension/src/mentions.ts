/**
 * "Ask about the active cell": `@cell` in the prose (or the panel's button, which types it)
 * attaches the active cell's code, its error and the text of its other outputs. Pure, so
 * jest tests it with plain nbformat outputs.
 */

import type * as nbformat from '@jupyterlab/nbformat';

import { CellContext, CellError } from './protocol';

export const CELL_MENTION = '@cell';
const MENTION = /(^|\s)@cell\b[ \t]*/gi;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
export const MAX_OUTPUT = 4000;

/** The prose without its `@cell` mentions, and whether there was one. */
export function parseMentions(text: string): { prose: string; cell: boolean } {
  let cell = false;
  const prose = text
    .replace(MENTION, (_match, before: string) => {
      cell = true;
      return before;
    })
    .trim();
  return { prose, cell };
}

/** Text without ANSI colour codes (tracebacks come coloured). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function joined(text: nbformat.MultilineString | undefined): string {
  if (text === undefined) {
    return '';
  }
  return Array.isArray(text) ? text.join('') : text;
}

/** What a cell with `source` and `outputs` attaches to an ask. */
export function cellContext(source: string, outputs: readonly nbformat.IOutput[]): CellContext {
  let error: CellError | null = null;
  const texts: string[] = [];
  for (const output of outputs) {
    if (output.output_type === 'error') {
      const failed = output as nbformat.IError;
      error = {
        ename: String(failed.ename),
        evalue: String(failed.evalue),
        traceback: stripAnsi((failed.traceback ?? []).join('\n'))
      };
    } else if (output.output_type === 'stream') {
      texts.push(joined((output as nbformat.IStream).text));
    } else {
      const data = (output as nbformat.IDisplayData).data ?? {};
      const plain = data['text/plain'];
      if (typeof plain === 'string' || Array.isArray(plain)) {
        texts.push(joined(plain));
      }
    }
  }
  let output = stripAnsi(texts.join('\n'));
  if (output.length > MAX_OUTPUT) {
    output = output.slice(0, MAX_OUTPUT) + '…';
  }
  return { code: source, error, output };
}
