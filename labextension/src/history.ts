/**
 * Recalling earlier prompts with the arrow keys, as a shell does: Up walks back through the
 * prompts of the conversation, Down walks forward and finally restores what was being typed.
 * Pure, so jest tests it.
 */

export interface PromptHistory {
  /** Earlier prompts, oldest first, without repeats in a row. */
  readonly entries: readonly string[];
  /** Which entry the box shows, or null while the user's own draft is shown. */
  readonly index: number | null;
  /** What the box held before the first Up. */
  readonly draft: string;
}

/** A history over `prompts` (oldest first); repeated neighbours count once. */
export function historyOf(prompts: readonly string[]): PromptHistory {
  const entries: string[] = [];
  for (const prompt of prompts) {
    if (prompt !== '' && entries[entries.length - 1] !== prompt) {
      entries.push(prompt);
    }
  }
  return { entries, index: null, draft: '' };
}

/**
 * One step through the history; returns the new history and the text for the box, or null
 * when there is nowhere to go (the box is then left alone).
 */
export function recall(
  history: PromptHistory,
  direction: 'previous' | 'next',
  current: string
): { history: PromptHistory; text: string } | null {
  const { entries, index } = history;
  if (direction === 'previous') {
    if (entries.length === 0 || index === 0) {
      return null;
    }
    const next = index === null ? entries.length - 1 : index - 1;
    const draft = index === null ? current : history.draft;
    return { history: { entries, index: next, draft }, text: entries[next] };
  }
  if (index === null) {
    return null;
  }
  if (index + 1 >= entries.length) {
    return { history: { entries, index: null, draft: '' }, text: history.draft };
  }
  return { history: { ...history, index: index + 1 }, text: entries[index + 1] };
}
