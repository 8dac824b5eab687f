import { KeyPress, keyAction, proseToSend } from '../keys';

function press(key: string, extra: Partial<KeyPress> = {}): KeyPress {
  return {
    key,
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    isComposing: false,
    ...extra
  };
}

describe('keyAction', () => {
  it('sends on Enter', () => {
    expect(keyAction(press('Enter'))).toBe('send');
  });

  it('breaks the line on Shift+Enter', () => {
    expect(keyAction(press('Enter', { shiftKey: true }))).toBe('newline');
  });

  it('sends on Ctrl+Enter and Cmd+Enter', () => {
    expect(keyAction(press('Enter', { ctrlKey: true }))).toBe('send');
    expect(keyAction(press('Enter', { metaKey: true }))).toBe('send');
  });

  it('does not send the Enter that confirms an input-method composition', () => {
    expect(keyAction(press('Enter', { isComposing: true }))).toBe('none');
    expect(keyAction(press('Enter', { keyCode: 229 }))).toBe('none');
  });

  it('leaves other keys alone', () => {
    for (const key of ['a', 'Tab', 'ArrowLeft', 'Home']) {
      expect(keyAction(press(key))).toBe('none');
    }
    expect(keyAction(press('Enter', { altKey: true }))).toBe('none');
  });
});

describe('proseToSend', () => {
  it('trims the text and refuses an empty question', () => {
    expect(proseToSend('  计算10000以内的所有质数 \n')).toBe('计算10000以内的所有质数');
    expect(proseToSend(' \n\t ')).toBeNull();
  });

  it('keeps inner line breaks from Shift+Enter', () => {
    expect(proseToSend('apply f\nto 1..100')).toBe('apply f\nto 1..100');
  });
});
