/**
 * Long results fold: a code block, a value or the outputs of a reply taller than a few
 * lines show their first lines and a "Show all" toggle. Pure, so jest tests the decision.
 */

/** Lines shown before a text folds. */
export const FOLD_LINES = 14;
/** Characters shown before a text folds (one very long line wraps into many). */
export const FOLD_CHARS = 1500;
/** Pixels of outputs (which have no text to count) shown before they fold. */
export const FOLD_PIXELS = 320;

/** Whether `text` is long enough to fold. */
export function shouldFold(text: string): boolean {
  return text.length > FOLD_CHARS || text.split('\n').length > FOLD_LINES;
}

/** Whether a rendered block of `scrollHeight` pixels should fold. */
export function shouldFoldHeight(scrollHeight: number): boolean {
  return scrollHeight > FOLD_PIXELS + 24; // a little over: never fold a line or two away
}
