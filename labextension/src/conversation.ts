/**
 * The conversation as plain data, and the pure functions that move it on: a turn per
 * request, updated by the kernel's typed replies and closed when the execute request ends.
 * No DOM and no JupyterLab here, so jest tests it directly.
 */

import { ENGLISH, Trans } from './i18n';
import { AnswerJSON, ConsentReply, ErrorReply, Phase, Reply, Request } from './protocol';

export interface TurnError {
  error: string;
  message: string;
  code: string | null;
}

export interface Turn {
  id: string;
  request: Request;
  /** What the user sees as their message. */
  prose: string;
  phase: Phase | 'sent';
  /** The latest status line from the kernel. */
  status: string;
  /** The LLM's reply so far, as streamed. */
  tokens: string;
  answer: AnswerJSON | null;
  consent: ConsentReply | null;
  error: TurnError | null;
  /** True once the kernel finished the execute request. */
  finished: boolean;
}

export interface Conversation {
  turns: readonly Turn[];
}

export const EMPTY: Conversation = { turns: [] };

/** Start a turn for `request`; `prose` is the user's words (or a label for a `run`). */
export function addTurn(conversation: Conversation, request: Request, prose: string): Conversation {
  const turn: Turn = {
    id: request.id,
    request,
    prose,
    phase: 'sent',
    status: '',
    tokens: '',
    answer: null,
    consent: null,
    error: null,
    finished: false
  };
  return { turns: [...conversation.turns, turn] };
}

function replaceTurn(
  conversation: Conversation,
  id: string,
  change: (turn: Turn) => Turn
): Conversation {
  const index = conversation.turns.findIndex(turn => turn.id === id);
  if (index < 0) {
    return conversation;
  }
  const turns = conversation.turns.slice();
  turns[index] = change(turns[index]);
  return { turns };
}

function asError(reply: ErrorReply): TurnError {
  return { error: reply.error, message: reply.message, code: reply.code };
}

/**
 * Apply one reply. Replies for unknown turns and replies after a turn finished are ignored
 * (a late reply must not reopen a closed turn); the state is never mutated.
 */
export function applyReply(conversation: Conversation, reply: Reply): Conversation {
  return replaceTurn(conversation, reply.id, turn => {
    if (turn.finished) {
      return turn;
    }
    switch (reply.kind) {
      case 'status':
        return { ...turn, phase: reply.phase, status: reply.text };
      case 'token':
        return { ...turn, tokens: turn.tokens + reply.text };
      case 'answer':
        return { ...turn, answer: reply.answer, consent: null, error: null };
      case 'consent':
        return { ...turn, consent: reply };
      case 'error':
        return { ...turn, error: asError(reply) };
    }
  });
}

/** How an execute request ended, from its `execute_reply` and any IOPub `error`. */
export interface KernelOutcome {
  status: 'ok' | 'error' | 'aborted' | 'lost';
  ename?: string;
  evalue?: string;
}

/**
 * Explain a failure of the request itself (not of the ask, which comes as an `error`
 * reply): the kernel lacks aigc-magic, was interrupted, died, or aborted the request.
 */
export function explainOutcome(outcome: KernelOutcome, trans: Trans = ENGLISH): TurnError | null {
  if (outcome.status === 'ok') {
    return null;
  }
  if (outcome.status === 'aborted') {
    return {
      error: 'Aborted',
      message: trans.__(
        'The kernel aborted the request because an earlier cell failed. Ask again.'
      ),
      code: null
    };
  }
  if (outcome.status === 'lost') {
    return {
      error: 'KernelLost',
      message: trans.__(
        'The kernel stopped before answering (it died or restarted). Restart it and ask again.'
      ),
      code: null
    };
  }
  const ename = outcome.ename ?? 'Error';
  const evalue = outcome.evalue ?? '';
  if (
    ename === 'ModuleNotFoundError' &&
    (evalue.includes("'aigc_magic") || evalue.includes('"aigc_magic'))
  ) {
    return {
      error: ename,
      message: trans.__(
        "This kernel's Python has no aigc-magic. Install it into the kernel's environment (in a notebook cell: %1), restart the kernel, and ask again.",
        '%pip install aigc-magic'
      ),
      code: null
    };
  }
  if (ename === 'KeyboardInterrupt') {
    return { error: ename, message: trans.__('Interrupted.'), code: null };
  }
  return { error: ename, message: evalue ? `${ename}: ${evalue}` : ename, code: null };
}

/**
 * Close a turn when its execute request ends. A turn that got no answer, consent or error
 * reply gets the request's own failure, or a plain "no answer" error, so it never spins
 * forever.
 */
export function finishTurn(
  conversation: Conversation,
  id: string,
  outcome: KernelOutcome,
  trans: Trans = ENGLISH
): Conversation {
  return replaceTurn(conversation, id, turn => {
    if (turn.finished) {
      return turn;
    }
    const settled = turn.answer !== null || turn.consent !== null || turn.error !== null;
    let error = turn.error;
    if (!settled) {
      error = explainOutcome(outcome, trans) ?? {
        error: 'NoAnswer',
        message: trans.__(
          'The kernel finished without an answer. Is aigc-magic in this kernel up to date with the sidebar? Restart the kernel and ask again.'
        ),
        code: null
      };
    }
    return { ...turn, finished: true, phase: 'done', error };
  });
}

/** True while some turn still waits for the kernel: the input then queues, not races. */
export function busy(conversation: Conversation): boolean {
  return conversation.turns.some(turn => !turn.finished);
}

/** The code a turn offers to insert or run: the answer's, else the held-back or failed code. */
export function codeOf(turn: Turn): string | null {
  if (turn.answer !== null) {
    return turn.answer.code;
  }
  if (turn.consent !== null) {
    return turn.consent.code;
  }
  return turn.error?.code ?? null;
}
