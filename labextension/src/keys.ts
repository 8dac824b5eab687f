/**
 * What a key press in the chat's input box does: Enter sends, Shift+Enter breaks the line,
 * Up and Down recall earlier prompts (from the first or last line of the box), Escape clears.
 *
 * Enter that confirms an input-method composition (Chinese, Japanese, Korean input) must not
 * send: the browser reports it with `isComposing` or, in some browsers, keyCode 229. Nor may
 * the arrows or Escape that move within or cancel a composition act on the box.
 */

export type KeyAction = 'send' | 'newline' | 'previous' | 'next' | 'clear' | 'none';

/** The fields of a KeyboardEvent the decision needs (so tests need no DOM). */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  isComposing: boolean;
  keyCode?: number;
}

/** Where the caret is: Up recalls only from the first line, Down only from the last. */
export interface Caret {
  onFirstLine: boolean;
  onLastLine: boolean;
}

const IME_KEYCODE = 229;
const ANYWHERE: Caret = { onFirstLine: true, onLastLine: true };

export function keyAction(press: KeyPress, caret: Caret = ANYWHERE): KeyAction {
  if (press.isComposing || press.keyCode === IME_KEYCODE) {
    return 'none';
  }
  const modified = press.shiftKey || press.ctrlKey || press.metaKey || press.altKey;
  switch (press.key) {
    case 'Enter':
      if (press.shiftKey) {
        return 'newline';
      }
      // Ctrl+Enter and Cmd+Enter send too, as in JupyterLab's own editors
      return press.altKey ? 'none' : 'send';
    case 'ArrowUp':
      return !modified && caret.onFirstLine ? 'previous' : 'none';
    case 'ArrowDown':
      return !modified && caret.onLastLine ? 'next' : 'none';
    case 'Escape':
      return modified ? 'none' : 'clear';
    default:
      return 'none';
  }
}

/** Where the caret of a text box is, from its text and selection start and end. */
export function caretOf(text: string, start: number, end: number): Caret {
  return {
    onFirstLine: !text.slice(0, start).includes('\n'),
    onLastLine: !text.slice(end).includes('\n')
  };
}

/** The prose to send for the box's text, or null when there is nothing to send. */
export function proseToSend(text: string): string | null {
  const prose = text.trim();
  return prose.length > 0 ? prose : null;
}
