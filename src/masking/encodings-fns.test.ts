import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Cores, percentForms, utf8 } from './byte-encodings-fns.ts';
import { encodedForms, MIN_DERIVED_LENGTH } from './encodings-fns.ts';
import { htmlForms, jsonForms, valueLines } from './text-encodings-fns.ts';

const texts = (forms: readonly { text: string }[]): string[] => forms.map((f) => f.text);
const byName = (value: string, name: string): string | undefined => encodedForms(value).find((f) => f.name === name)?.text;
/** Well-formed strings (the platform encoders throw on lone surrogates). */
const valueArb = fc.oneof(fc.string({ minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }));

describe('base64Cores', () => {
  it('each core occurs in base64(prefix + value + suffix) for the matching alignment, both alphabets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.uint8Array({ maxLength: 7 }), fc.uint8Array({ maxLength: 4 }), (value, prefix, suffix) => {
        const whole = Buffer.concat([prefix, value, suffix]);
        const cores = base64Cores(value);
        const align = prefix.length % 3;
        const std = cores.find((c) => c.name === `base64-a${align}`);
        if (std === undefined) return; // value too short to have a stable character at this alignment
        expect(whole.toString('base64')).toContain(std.text);
        const url = cores.find((c) => c.name === `base64url-a${align}`)?.text ?? std.text;
        expect(whole.toString('base64url')).toContain(url);
      }),
    );
  });

  it('marks the context characters a match should swallow', () => {
    const [a0, a1, a2] = ['a0', 'a1', 'a2'].map((a) => base64Cores(utf8('abcd')).find((c) => c.name === `base64-${a}`));
    expect(a0).toMatchObject({ text: 'YWJjZ', lead: 0, tail: 3 }); // "YWJjZA==": 'A' mixes 'd' with the next byte
    expect(a1).toMatchObject({ lead: 1, tail: 2 });
    expect(a2).toMatchObject({ lead: 1, tail: 0 });
  });
});

describe('percentForms', () => {
  it('matches the platform encoders', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const forms = texts(percentForms(utf8(value)));
        expect(forms).toContain(encodeURIComponent(value));
        expect(forms).toContain(new URLSearchParams({ v: value }).toString().slice(2));
        const url = new URL('https://h.example/');
        url.password = value;
        expect(forms).toContain(url.password);
        url.username = value;
        expect(forms).toContain(url.username);
      }),
    );
  });

  it('has lower-case hex and + for space variants', () => {
    const forms = texts(percentForms(utf8('a b:c@d')));
    expect(forms).toEqual(expect.arrayContaining(['a%20b%3Ac%40d', 'a%20b%3ac%40d', 'a+b%3Ac%40d', 'a+b%3ac%40d']));
  });
});

describe('jsonForms and htmlForms', () => {
  it('contains what JSON.stringify writes, once and twice', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        const forms = texts(jsonForms(value));
        expect(forms).toContain(JSON.stringify(value).slice(1, -1));
        expect(forms).toContain(JSON.stringify(JSON.stringify(value)).slice(3, -3));
      }),
    );
  });

  it('writes \\uXXXX for non-ASCII and \\/ for slashes', () => {
    const forms = texts(jsonForms('é/€'));
    expect(forms).toEqual(expect.arrayContaining(['\\u00e9\\/\\u20ac', '\\u00E9/\\u20AC', 'é\\/€']));
  });

  it('writes named and numeric entities', () => {
    const forms = texts(htmlForms(`a&b<c>"d'é😀`));
    expect(forms).toEqual(
      expect.arrayContaining([
        'a&amp;b&lt;c&gt;&quot;d&#39;é😀',
        'a&amp;b&lt;c&gt;&quot;d&apos;é😀',
        'a&#38;b&#60;c&#62;&#34;d&#39;&#233;&#128512;',
        'a&#x26;b&#x3c;c&#x3e;&#x22;d&#x27;&#xe9;&#x1f600;',
      ]),
    );
  });
});

describe('encodedForms', () => {
  it('starts with the literal, however short', () => {
    expect(encodedForms('ab')[0]).toMatchObject({ name: 'literal', text: 'ab' });
  });

  it('drops derived forms shorter than the minimum', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        for (const f of encodedForms(value).slice(1)) expect(f.text.length).toBeGreaterThanOrEqual(MIN_DERIVED_LENGTH);
      }),
    );
  });

  it('splits lines on \\n and \\r\\n, trimmed, skipping blank ones', () => {
    expect(valueLines('one line')).toEqual([]);
    expect(valueLines(' first \r\n\r\n \t \nsecond')).toEqual(['first', 'second']);
    expect(encodedForms('alpha-line\nbeta-line').filter((f) => f.name === 'line').map((f) => f.text)).toEqual([
      'alpha-line',
      'beta-line',
    ]);
  });

  it('names hex forms of the UTF-8 bytes', () => {
    expect(byName('é€', 'hex-lower')).toBe('c3a9e282ac');
    expect(byName('é€', 'hex-upper')).toBe('C3A9E282AC');
  });
});
