import { describe, expect, it } from 'vitest';
import { applyKeys } from './password-input.ts';

describe('applyKeys (hidden password prompt)', () => {
  it('collects printable characters until Enter', () => {
    expect(applyKeys('', 'abc')).toEqual({ text: 'abc', end: null });
    expect(applyKeys('abc', 'd\r')).toEqual({ text: 'abcd', end: 'done' });
    expect(applyKeys('', 'pw\n')).toEqual({ text: 'pw', end: 'done' });
    expect(applyKeys('pw', '\u0004')).toEqual({ text: 'pw', end: 'done' });
  });

  it('handles Backspace, Ctrl-U and ignores other control characters', () => {
    expect(applyKeys('abc', '\u007f\u007fX')).toEqual({ text: 'aX', end: null });
    expect(applyKeys('', '\u007f')).toEqual({ text: '', end: null });
    expect(applyKeys('é😀', '\b')).toEqual({ text: 'é', end: null });
    expect(applyKeys('abc', '\u0015z\u001b')).toEqual({ text: 'z', end: null });
  });

  it('Ctrl-C cancels and forgets what was typed', () => {
    expect(applyKeys('secret', 'x\u0003')).toEqual({ text: '', end: 'cancel' });
  });
});
