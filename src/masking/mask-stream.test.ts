import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker, SENSITIVE, type Masker } from './index.ts';
import { casesArb } from './masking-arbitraries-fns.ts';

/** Streams `chunks` through a new stream, checking the hold-back bound after each push. */
function streamed(masker: Masker, chunks: readonly string[]): string {
  const stream = masker.stream();
  let out = '';
  for (const chunk of chunks) {
    out += stream.push(chunk);
    expect(stream.heldBack).toBeLessThanOrEqual(masker.maxHoldBack);
  }
  return out + stream.flush();
}

/** Splits `text` at the given cut points (any order, duplicates allowed). */
function split(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe('MaskStream', () => {
  const secret = 'split-across-chunks-0123';
  const masker = createMasker([secret, 'pässwörd€漢']);

  it('masks a value split across two chunks at every position', () => {
    const text = `head ${secret} tail`;
    for (let cut = 0; cut <= text.length; cut++) {
      expect(streamed(masker, [text.slice(0, cut), text.slice(cut)])).toBe(`head ${SENSITIVE} tail`);
    }
  });

  it('masks an encoded value split into single characters', () => {
    const text = `Authorization: Basic ${Buffer.from(`user:${secret}`).toString('base64')}\r\n{"p":"p\\u00e4ssw\\u00f6rd\\u20ac\\u6f22"}`;
    expect(streamed(masker, [...text])).toBe(masker.mask(text));
    expect(masker.mask(text)).not.toContain('\\u00e4');
  });

  it('emits text without secrets once it cannot start a match, holding back a bounded tail', () => {
    const stream = masker.stream();
    const chunk = 'x'.repeat(1000);
    const out = stream.push(chunk);
    expect(out.length).toBe(1000 - stream.heldBack);
    // Plain text holds back one longest match; the longer hold of decoded views (maxHoldBack)
    // is used only when an escape near the end may continue (next test).
    expect(stream.heldBack).toBeGreaterThan(0);
    expect(stream.heldBack).toBeLessThan(masker.maxHoldBack);
    expect(out + stream.flush()).toBe(chunk);
  });

  it('holds back longer while an escape at the end may continue a decoded value', () => {
    const plain = masker.stream();
    plain.push('x'.repeat(1000));
    const escaped = masker.stream();
    escaped.push(`${'x'.repeat(1000)}%73%70`);
    expect(escaped.heldBack).toBeGreaterThan(plain.heldBack);
    expect(escaped.heldBack).toBeLessThanOrEqual(masker.maxHoldBack);
    const percent = [...Buffer.from(secret)].map((b) => `%${b.toString(16)}`).join('');
    expect(streamed(masker, ['a'.repeat(900), ...percent, ' tail'])).toBe(`${'a'.repeat(900)}${SENSITIVE} tail`);
  });

  it('can be reused after flush', () => {
    const stream = masker.stream();
    expect(stream.push(`a ${secret}`) + stream.flush()).toBe(`a ${SENSITIVE}`);
    expect(stream.push('b') + stream.flush()).toBe('b');
  });

  it('property: concatenated push() outputs + flush() equal mask(whole text), for any chunking', () => {
    fc.assert(
      fc.property(casesArb, fc.array(fc.nat(), { maxLength: 12 }), ([values, text], cuts) => {
        const m = createMasker(values);
        expect(streamed(m, split(text, cuts))).toBe(m.mask(text));
      }),
      { numRuns: 300 },
    );
  });

  it('property: the same holds for markers and values that overlap the marker', () => {
    const piece = fc.oneof(
      fc.constant(SENSITIVE),
      fc.string({ unit: fc.constantFrom(...'[]SENITV ab'), maxLength: 16 }),
    );
    const value = fc.string({ unit: fc.constantFrom(...'[]SENITV ab'), minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), fc.array(piece, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), (values, pieces, cuts) => {
        const m = createMasker(values);
        const text = pieces.join('');
        expect(streamed(m, split(text, cuts))).toBe(m.mask(text));
      }),
      { numRuns: 500 },
    );
  });
});
