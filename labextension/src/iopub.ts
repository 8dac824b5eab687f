/**
 * Sort the IOPub messages of one chat request: typed replies for the conversation, outputs
 * for the rendermime output area (the progress widget, what the task prints), and the
 * request's own failure. Pure, so jest tests it with plain objects. Key-shaped text in a
 * reply or a stream is replaced (secrets.ts).
 */

import type * as nbformat from '@jupyterlab/nbformat';

import { CHAT_MIMETYPE, parseReply, Reply } from './protocol';
import { scrubJSON, scrubSecrets } from './secrets';

export const WIDGET_MIMETYPE = 'application/vnd.jupyter.widget-view+json';

/** The parts of a KernelMessage.IIOPubMessage that matter here. */
export interface IOPubLike {
  header: { msg_type: string };
  content: unknown;
}

export type IOPubEvent =
  | { type: 'reply'; reply: Reply }
  | { type: 'output'; output: nbformat.IOutput; displayId: string | null }
  | { type: 'update'; output: nbformat.IOutput; displayId: string }
  | { type: 'clear'; wait: boolean }
  | { type: 'kernel-error'; ename: string; evalue: string }
  | { type: 'ignore' };

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function displayIdOf(content: Json): string | null {
  const id = asObject(content.transient).display_id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function displayOutput(content: Json): nbformat.IDisplayData {
  return {
    output_type: 'display_data',
    data: asObject(content.data) as nbformat.IMimeBundle,
    metadata: asObject(content.metadata) as nbformat.OutputMetadata
  };
}

export function classifyIOPub(message: IOPubLike): IOPubEvent {
  const content = asObject(message.content);
  switch (message.header.msg_type) {
    case 'display_data':
    case 'execute_result': {
      const data = asObject(content.data);
      if (CHAT_MIMETYPE in data) {
        const reply = parseReply(scrubJSON(data[CHAT_MIMETYPE]));
        return reply === null ? { type: 'ignore' } : { type: 'reply', reply };
      }
      return { type: 'output', output: displayOutput(content), displayId: displayIdOf(content) };
    }
    case 'update_display_data': {
      const displayId = displayIdOf(content);
      return displayId === null
        ? { type: 'ignore' }
        : { type: 'update', output: displayOutput(content), displayId };
    }
    case 'stream': {
      const name = content.name === 'stderr' ? 'stderr' : 'stdout';
      const text = typeof content.text === 'string' ? scrubSecrets(content.text) : '';
      return { type: 'output', output: { output_type: 'stream', name, text }, displayId: null };
    }
    case 'clear_output':
      return { type: 'clear', wait: content.wait === true };
    case 'error':
      return {
        type: 'kernel-error',
        ename: typeof content.ename === 'string' ? content.ename : 'Error',
        evalue: typeof content.evalue === 'string' ? content.evalue : ''
      };
    default:
      return { type: 'ignore' };
  }
}

/**
 * Whether an output is worth showing with the given renderer choice: a widget view that
 * this rendermime cannot render (a kernel with no widget manager) would only show its
 * text/plain stand-in, such as "FloatProgress(value=0.0)"; leave it out.
 */
export function worthRendering(
  output: nbformat.IOutput,
  preferredMimeType: string | undefined
): boolean {
  if (output.output_type !== 'display_data') {
    return true;
  }
  const data = asObject(output.data);
  if (WIDGET_MIMETYPE in data) {
    return preferredMimeType === WIDGET_MIMETYPE;
  }
  return preferredMimeType !== undefined;
}
