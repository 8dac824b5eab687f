/**
 * API keys and tokens never reach the panel or the state database: every reply from the
 * kernel and everything stored passes through scrubSecrets. The kernel redacts what goes to
 * an LLM (aigc_magic/llm/redact.py) and never sends the configured key; this is the
 * front end's own net, for a key that a task printed or a user pasted. Pure, so jest tests it.
 */

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI and compatible keys
  /\b(?:[Bb]earer|[Tt]oken)\s+[A-Za-z0-9._~+/-]{15,}[A-Za-z0-9_~+/-]=*/g,
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub tokens
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /\bAIza[0-9A-Za-z_-]{35}\b/g // Google API keys
];

export const REDACTED = '[redacted]';

/** `text` with anything that looks like an API key or token replaced by [redacted]. */
export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, REDACTED), text);
}

/** A JSON value with its strings scrubbed (key-shaped runs never need JSON escapes). */
export function scrubJSON<T>(value: T): T {
  const text = JSON.stringify(value);
  return text === undefined ? value : (JSON.parse(scrubSecrets(text)) as T);
}
