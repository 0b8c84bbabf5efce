import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SECRET_NAME_MAX_LENGTH,
  SECRET_NAME_PATTERN,
  SECRET_VALUE_MAX_BYTES,
  secretNameProblem,
  secretValueProblem,
  shortValueWarning,
} from './secret-name-fns.ts';

const CHARSET_MESSAGE = 'Secret name may contain only uppercase letters, numbers and underscores, and cannot begin with a number';
const LENGTH_MESSAGE = 'Secret name must be at most 128 characters';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const DIGITS = '0123456789'.split('');
const firstChar = fc.constantFrom(...UPPER, '_');
const restChar = fc.constantFrom(...UPPER, ...DIGITS, '_');
/** Any name matching the rule, length 1..128. */
const validName = fc.tuple(firstChar, fc.array(restChar, { maxLength: SECRET_NAME_MAX_LENGTH - 1 })).map(([f, r]) => f + r.join(''));
/** Any single character (any code point, including astral ones) outside [A-Z0-9_]. */
const badChar = fc
  .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('a', 'z', '-', ' ', '.', '$', '\n', '\0', 'Ä', 'ß', 'İ', '٣', '１'))
  .filter((c) => !/^[A-Z0-9_]$/.test(c));

describe('secretNameProblem', () => {
  it('accepts every string matching the rule with length ≤ 128', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(secretNameProblem(name)).toBeNull();
        expect(SECRET_NAME_PATTERN.test(name)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses any name with a character outside [A-Z0-9_], wherever it is', () => {
    fc.assert(
      fc.property(fc.array(restChar, { maxLength: 60 }), badChar, fc.array(restChar, { maxLength: 60 }), (before, bad, after) => {
        const name = before.join('') + bad + after.join('');
        const problem = secretNameProblem(name);
        expect(problem).not.toBeNull();
        if (name.length <= SECRET_NAME_MAX_LENGTH) expect(problem).toBe(CHARSET_MESSAGE);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses any name starting with a digit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DIGITS), fc.array(restChar, { maxLength: SECRET_NAME_MAX_LENGTH - 1 }), (d, rest) => {
        expect(secretNameProblem(d + rest.join(''))).toBe(CHARSET_MESSAGE);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses any name longer than 128 characters, valid characters or not', () => {
    fc.assert(
      fc.property(validName, fc.array(restChar, { minLength: 1, maxLength: 200 }), (name, more) => {
        const long = (name + more.join('')).padEnd(SECRET_NAME_MAX_LENGTH + 1, 'A');
        expect(secretNameProblem(long)).toBe(LENGTH_MESSAGE);
      }),
    );
  });

  it('knows its edge cases', () => {
    expect(secretNameProblem('')).toBe('Secret name is required');
    expect(secretNameProblem('_')).toBeNull();
    expect(secretNameProblem('A')).toBeNull();
    expect(secretNameProblem('A'.repeat(128))).toBeNull();
    expect(secretNameProblem('A'.repeat(129))).toBe(LENGTH_MESSAGE);
    expect(secretNameProblem('API_KEY\n')).toBe(CHARSET_MESSAGE);
    expect(secretNameProblem('9LIVES')).toBe(CHARSET_MESSAGE);
    expect(secretNameProblem('lower')).toBe(CHARSET_MESSAGE);
  });
});

describe('secretValueProblem', () => {
  it('refuses an empty value', () => {
    expect(secretValueProblem('')).toBe('Secret value must not be empty');
  });

  it('counts UTF-8 bytes, not characters, against the 64 KiB limit', () => {
    expect(secretValueProblem('x'.repeat(SECRET_VALUE_MAX_BYTES))).toBeNull();
    expect(secretValueProblem('x'.repeat(SECRET_VALUE_MAX_BYTES + 1))).toBe('Secret value must be at most 64 KiB');
    // 'é' is two bytes: half as many characters reach the limit.
    expect(secretValueProblem('é'.repeat(SECRET_VALUE_MAX_BYTES / 2))).toBeNull();
    expect(secretValueProblem('é'.repeat(SECRET_VALUE_MAX_BYTES / 2 + 1))).toBe('Secret value must be at most 64 KiB');
  });

  it('refuses an unpaired UTF-16 surrogate (UTF-8 cannot hold it: it would be stored as U+FFFD)', () => {
    const message = 'Secret value must be valid UTF-8 text (it holds an unpaired UTF-16 surrogate, \\uD800-\\uDFFF)';
    for (const v of ['abc\uD800defghi', '\uDC00abcdefgh', 'abcdefgh\uD83D', '\uDE00\uD83Dabcdefgh']) expect(secretValueProblem(v), JSON.stringify(v)).toBe(message);
    expect(secretValueProblem('abc\uD83D\uDE00defgh')).toBeNull();
  });

  it('accepts any non-empty value within the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), (v) => {
        expect(secretValueProblem(v)).toBeNull();
      }),
    );
  });
});

describe('shortValueWarning', () => {
  it('warns below 8 characters only', () => {
    const warning = 'Values shorter than 8 characters are masked wherever they appear in logs, which may hide unrelated text';
    expect(shortValueWarning('1234567')).toBe(warning);
    expect(shortValueWarning('a')).toBe(warning);
    expect(shortValueWarning('12345678')).toBeNull();
  });

  it('counts characters (code points), not UTF-16 units', () => {
    expect(shortValueWarning('😀😀😀😀')).not.toBeNull();
    expect(shortValueWarning('😀😀😀😀😀😀😀')).not.toBeNull();
    expect(shortValueWarning('😀😀😀😀😀😀😀😀')).toBeNull();
  });
});
