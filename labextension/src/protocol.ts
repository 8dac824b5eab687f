/**
 * The messages between the sidebar and the kernel: a mirror of aigc_magic/_protocol.py.
 *
 * The sidebar sends a request by executing `requestCode(request)` in the kernel; the kernel
 * answers with replies, each one `display_data` whose data is `{[CHAT_MIMETYPE]: reply}`.
 * tests/test_chat.py checks that this file and the Python one declare the same kinds and
 * fields.
 */

export const CHAT_MIMETYPE = 'application/vnd.aigc-magic.chat+json';
export const PROTOCOL_VERSION = 2;
/** Evaluated as a `user_expressions` entry: a KernelInfo as `application/json`. */
export const PROBE_EXPRESSION = '__import__("aigc_magic.chat").chat.describe()';

export type Phase = 'planning' | 'running' | 'done';
export type PlannerChoice = 'auto' | 'offline' | 'llm';

// ── requests: sidebar → kernel ──────────────────────────────────────────────────────────

/** How the attached cell failed (ANSI colours removed from the traceback). */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string;
}

/** The active notebook cell, attached to an ask by `@cell` or the panel's button. */
export interface CellContext {
  code: string;
  error: CellError | null;
  output: string;
}

/** Plan, run and explain `prose`, as `%%ask` would, in the kernel's namespace. */
export interface AskRequest {
  kind: 'ask';
  id: string;
  prose: string;
  yes?: boolean;
  planner?: PlannerChoice;
  cell?: CellContext;
}

/** Run the code that a `consent` reply held back (`%ask run`). */
export interface RunRequest {
  kind: 'run';
  id: string;
  ask_id: string;
}

export type Request = AskRequest | RunRequest;

// ── replies: kernel → sidebar ───────────────────────────────────────────────────────────

export interface StatusReply {
  kind: 'status';
  id: string;
  phase: Phase;
  text: string;
}

export interface TokenReply {
  kind: 'token';
  id: string;
  text: string;
}

export interface Schedule {
  arm: string;
  n_workers: number;
  n_tasks: number | null;
  n_calls: number;
  reason: string;
}

/** `AskResult.to_json()`: the same JSON as the answer+json output of `%%ask`. */
export interface AnswerJSON {
  prose: string;
  language: string;
  summary: string;
  source: string;
  recipe: string | null;
  ran: boolean;
  explanation: string;
  code: string;
  value_type: string | null;
  value_repr: string | null;
  schedule: Schedule | null;
  timings: Record<string, number>;
  notices: string[];
  attempts: number;
}

export interface AnswerReply {
  kind: 'answer';
  id: string;
  answer: AnswerJSON;
}

export interface ConsentReply {
  kind: 'consent';
  id: string;
  message: string;
  code: string;
  findings: string[];
  can_run: boolean;
}

export interface ErrorReply {
  kind: 'error';
  id: string;
  error: string;
  message: string;
  code: string | null;
}

/** What PROBE_EXPRESSION answers: the planner the next ask will use (never a key). */
export interface KernelInfo {
  kind: 'hello';
  version: string;
  protocol: number;
  planner: 'offline' | 'llm';
  model: string | null;
  host: string | null;
  source: string;
}

export type Reply = StatusReply | TokenReply | AnswerReply | ConsentReply | ErrorReply;
export type ReplyKind = Reply['kind'];

export const REPLY_KINDS: readonly ReplyKind[] = ['status', 'token', 'answer', 'consent', 'error'];
export const REQUEST_KINDS: readonly Request['kind'][] = ['ask', 'run'];

/**
 * The Python source that hands `request` to the kernel side.
 *
 * The request travels as a JSON string inside a Python string literal: JSON's escapes
 * (\" \\ \n \uXXXX) are valid Python escapes, so any prose, quotes and newlines included,
 * arrives intact. `__import__` leaves no name behind in the user's namespace.
 */
export function requestCode(request: Request): string {
  const literal = JSON.stringify(JSON.stringify(request));
  return `__import__("aigc_magic.chat").chat.handle(${literal})`;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

function isAnswer(value: unknown): value is AnswerJSON {
  return (
    isObject(value) &&
    isString(value.explanation) &&
    isString(value.code) &&
    isString(value.language) &&
    typeof value.ran === 'boolean' &&
    isStringOrNull(value.value_repr) &&
    isStringArray(value.notices)
  );
}

/**
 * Check that `data` (the payload of a CHAT_MIMETYPE output) is a reply this version
 * understands; return it typed, or null for anything else (an unknown kind from a newer
 * kernel, a malformed payload).
 */
export function parseReply(data: unknown): Reply | null {
  if (!isObject(data) || !isString(data.id)) {
    return null;
  }
  switch (data.kind) {
    case 'status':
      return isString(data.text) &&
        (data.phase === 'planning' || data.phase === 'running' || data.phase === 'done')
        ? (data as unknown as StatusReply)
        : null;
    case 'token':
      return isString(data.text) ? (data as unknown as TokenReply) : null;
    case 'answer':
      return isAnswer(data.answer) ? (data as unknown as AnswerReply) : null;
    case 'consent':
      return isString(data.message) &&
        isString(data.code) &&
        isStringArray(data.findings) &&
        typeof data.can_run === 'boolean'
        ? (data as unknown as ConsentReply)
        : null;
    case 'error':
      return isString(data.error) && isString(data.message) && isStringOrNull(data.code)
        ? (data as unknown as ErrorReply)
        : null;
    default:
      return null;
  }
}

/** Read the probe's `application/json`; null when it is not a KernelInfo. */
export function parseKernelInfo(data: unknown): KernelInfo | null {
  if (
    !isObject(data) ||
    data.kind !== 'hello' ||
    !isString(data.version) ||
    typeof data.protocol !== 'number' ||
    (data.planner !== 'offline' && data.planner !== 'llm') ||
    !isStringOrNull(data.model) ||
    !isStringOrNull(data.host) ||
    !isString(data.source)
  ) {
    return null;
  }
  return data as unknown as KernelInfo;
}
