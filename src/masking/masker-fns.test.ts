import { describe, expect, it } from 'vitest';
import { createMasker, encodedForms, SENSITIVE } from './index.ts';
import { wireSamples } from './wire-samples-fns.ts';

const VALUES = [
  's3cr3t-T0ken_ABCDEFG',
  'pässwörd€漢',
  'p%ss"w\\rd&<x>\'/:@ +',
  'emoji 😀 key',
  '-----BEGIN KEY-----\r\nMIIBOgIBAAJBAKj34GkxFhD9\nend-line-xyz\n',
];

/** The listed patterns of `value` that must never survive masking. */
const patternsOf = (value: string): string[] =>
  encodedForms(value)
    .map((f) => f.text)
    .filter((t) => !SENSITIVE.includes(t));

const unwrap = (s: string): string => s.replace(/\r?\n/g, '');

describe('createMasker: every form of a value', () => {
  const masker = createMasker(VALUES);
  for (const value of VALUES) {
    for (const sample of wireSamples(value)) {
      it(`${JSON.stringify(value).slice(0, 24)} as ${sample.name}`, () => {
        const text = `before ${sample.text} after`;
        const out = masker.mask(text);
        expect(out).toContain(SENSITIVE);
        expect(out.startsWith('before ')).toBe(true);
        const seen = sample.wrapped === true ? unwrap(out) : out;
        for (const pattern of patternsOf(value)) expect(seen).not.toContain(pattern);
        expect(masker.mask(out)).toBe(out);
      });
    }
  }
});

describe('createMasker: concrete cases', () => {
  it('masks the literal and leaves other text alone', () => {
    const m = createMasker(['hunter2hunter2']);
    expect(m.mask('pw=hunter2hunter2;')).toBe(`pw=${SENSITIVE};`);
    const clean = 'nothing to see here';
    expect(m.mask(clean)).toBe(clean);
  });

  it('masks a Basic header at every alignment, keeping the encoded user name', () => {
    const m = createMasker(['correct horse battery']);
    for (const user of ['a', 'ab', 'abc', 'user']) {
      const header = `Basic ${Buffer.from(`${user}:correct horse battery`).toString('base64')}`;
      const out = m.mask(header);
      expect(out).toMatch(/^Basic [A-Za-z0-9+/]*\[\[SENSITIVE\]\]$/);
      // The swallowed padding: nothing of the value's last group is left behind.
      expect(out.endsWith(SENSITIVE)).toBe(true);
    }
  });

  it('masks each line of a multi-line value, skipping blank ones', () => {
    const m = createMasker(['first line here\r\n\r\n   \n  second line  ']);
    expect(m.mask('log: second line')).toBe(`log: ${SENSITIVE}`);
    expect(m.mask('log: first line here!')).toBe(`log: ${SENSITIVE}!`);
    expect(m.mask('a   b')).toBe('a   b');
  });

  it('merges overlapping and adjacent hits into one marker', () => {
    const m = createMasker(['abcdefgh', 'efghijkl', '12345678']);
    expect(m.mask('x abcdefghijkl y')).toBe(`x ${SENSITIVE} y`);
    expect(m.mask('x abcdefgh12345678 y')).toBe(`x ${SENSITIVE} y`);
    expect(m.mask('x abcdefgh 12345678 y')).toBe(`x ${SENSITIVE} ${SENSITIVE} y`);
  });

  it('masks values that are prefixes or substrings of each other', () => {
    const m = createMasker(['token', 'token-long-version', 'long']);
    expect(m.mask('a token-long-version b')).toBe(`a ${SENSITIVE} b`);
    expect(m.mask('a token b long c')).toBe(`a ${SENSITIVE} b ${SENSITIVE} c`);
  });

  it('masks values shorter than 8 characters', () => {
    const m = createMasker(['abc', 'x']);
    expect(m.mask('xyz abcd')).toBe(`${SENSITIVE}yz ${SENSITIVE}d`);
  });

  it('masks hex in both cases, percent forms and HTML entities of a non-ASCII value', () => {
    const v = 'pässwörd€漢';
    const m = createMasker([v]);
    const hex = Buffer.from(v).toString('hex');
    expect(m.mask(`0x${hex.toUpperCase()}`)).toBe(`0x${SENSITIVE}`);
    expect(m.mask(encodeURIComponent(v).toLowerCase())).toBe(SENSITIVE);
    expect(m.mask('p&#228;ssw&#246;rd&#8364;&#28450;')).toBe(SENSITIVE);
    expect(m.mask('p&#xe4;ssw&#xf6;rd&#x20ac;&#x6f22;')).toBe(SENSITIVE);
    const upperJson = JSON.stringify(v).replace(
      /[^\u0000-\u007f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
    );
    expect(m.mask(upperJson)).toBe(`"${SENSITIVE}"`);
  });

  it('masks user-info forms of : @ / and spaces', () => {
    const v = 'a:b@c/d e%f';
    const m = createMasker([v]);
    const url = new URL('https://h.example/');
    url.password = v;
    expect(m.mask(url.href)).toBe(`https://:${SENSITIVE}@h.example/`);
    expect(m.mask(`https://u:${encodeURIComponent(v)}@h/`)).toBe(`https://u:${SENSITIVE}@h/`);
  });

  it('masks JSON escaped twice', () => {
    const v = 'quote"back\\slash/';
    const m = createMasker([v]);
    const twice = JSON.stringify({ log: JSON.stringify({ v }) });
    expect(m.mask(twice)).toBe(JSON.stringify({ log: JSON.stringify({ v: 'Z' }) }).replace('Z', SENSITIVE));
  });

  it('masks base64 wrapped at 76 characters with \\r\\n and \\n', () => {
    const v = 'wrapped-secret-value-0123456789';
    const m = createMasker([v]);
    for (let shift = 0; shift < 60; shift += 7) {
      for (const eol of ['\r\n', '\n']) {
        const b64 = Buffer.from('y'.repeat(40 + shift) + v + 'z'.repeat(60)).toString('base64');
        const text = b64.replace(/.{76}(?=.)/g, (l) => l + eol);
        const out = unwrap(m.mask(text));
        for (const p of patternsOf(v)) expect(out).not.toContain(p);
      }
    }
  });

  it('never re-masks the marker, whatever the values', () => {
    const m = createMasker(['SENSITIVE', '[[SENSITIVE]]', 'ITIVE]', 'real-secret']);
    const text = `x ${SENSITIVE} SENSITIVE y real-secret`;
    const once = m.mask(text);
    expect(once).toBe(`x ${SENSITIVE} ${SENSITIVE} y ${SENSITIVE}`);
    expect(m.mask(once)).toBe(once);
  });

  it('stays idempotent when a value overlaps the marker edge', () => {
    const m = createMasker(['E]]abcdefgh', 'token123']);
    const once = m.mask('token123abcdefgh and E]]abcdefgh');
    expect(m.mask(once)).toBe(once);
    expect(once).not.toContain('abcdefgh');
  });

  it('absorbs a marker next to a hit when a value spans two markers', () => {
    const m = createMasker(['E]][[SENS', 'abc12345']);
    const once = m.mask(`${SENSITIVE}abc12345 and ${SENSITIVE}${SENSITIVE}`);
    expect(once).toBe(`${SENSITIVE} and ${SENSITIVE}`);
    expect(m.mask(once)).toBe(once);
  });

  it('empty list gives the identity masker', () => {
    const m = createMasker([]);
    const text = 'anything';
    expect(m.mask(text)).toBe(text);
    expect(m.patternCount).toBe(0);
    const s = m.stream();
    expect(s.push('a') + s.push('b') + s.flush()).toBe('ab');
  });

  it('counts distinct patterns and bounds the hold-back by the longest one', () => {
    const m = createMasker(['plain-token-1234']);
    const forms = new Set(encodedForms('plain-token-1234').map((f) => f.text));
    expect(m.patternCount).toBe(forms.size);
    const longest = Math.max(...[...forms].map((f) => f.length));
    expect(m.maxHoldBack).toBeGreaterThanOrEqual(longest - 1);
    // A decoded view writes an ASCII unit in at most 6 characters (`\u0041`, `&#x41;`).
    expect(m.maxHoldBack).toBeLessThan(6 * (longest + 16));
  });
});
