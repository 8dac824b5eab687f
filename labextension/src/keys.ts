/**
 * What a key press in the chat's input box does: Enter sends, Shift+Enter breaks the line.
 *
 * Enter that confirms an input-method composition (Chinese, Japanese, Korean input) must not
 * send: the browser reports it with `isComposing` or, in some browsers, keyCode 229.
 */

export type KeyAction = 'send' | 'newline' | 'none';

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

const IME_KEYCODE = 229;

export function keyAction(press: KeyPress): KeyAction {
  if (press.key !== 'Enter') {
    return 'none';
  }
  if (press.isComposing || press.keyCode === IME_KEYCODE) {
    return 'none';
  }
  if (press.shiftKey) {
    return 'newline';
  }
  if (press.altKey) {
    return 'none';
  }
  // Ctrl+Enter and Cmd+Enter send too, as in JupyterLab's own editors
  return 'send';
}

/** The prose to send for the box's text, or null when there is nothing to send. */
export function proseToSend(text: string): string | null {
  const prose = text.trim();
  return prose.length > 0 ? prose : null;
}
