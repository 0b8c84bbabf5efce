import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker } from '../masking/index.ts';
import { maskLogLine } from './log-masker.ts';

describe('maskLogLine', () => {
  it('keeps a line valid JSON when a secret value is a quote, a colon or a digit', () => {
    const line = `${JSON.stringify({ level: 30, time: '2026-01-01T00:00:00.000Z', msg: 'said "hi": 3' })}\n`;
    for (const value of ['"', ':', '3', '{', 'level', '30', 'hi']) {
      const out = maskLogLine(createMasker([value]), line);
      expect(out.endsWith('\n')).toBe(true);
      expect(() => JSON.parse(out), value).not.toThrow();
    }
    expect(JSON.parse(maskLogLine(createMasker(['"']), line)).msg).toBe('said [[SENSITIVE]]hi[[SENSITIVE]]: 3');
    expect(JSON.parse(maskLogLine(createMasker(['30']), line)).level).toBe('[[SENSITIVE]]');
  });

  it('returns a line without a hit unchanged, and masks a non-JSON line as text', () => {
    const line = '{"level":30,"msg":"nothing here"}\n';
    expect(maskLogLine(createMasker(['absent-value']), line)).toBe(line);
    expect(maskLogLine(createMasker(['secret-value']), 'plain secret-value text')).toBe('plain [[SENSITIVE]] text');
  });

  it('never breaks the JSON of any line, and hides values of 8+ characters', () => {
    const value = fc.string({ minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), value, (values, extra, inMsg) => {
        const line = `${JSON.stringify({ level: 40, msg: `before ${inMsg} after`, extra })}\n`;
        const out = maskLogLine(createMasker([...values, inMsg]), line);
        // Keys are masked too (a value may be "msg"): read the message by position.
        const msg = String(Object.values(JSON.parse(out) as object)[1]);
        if (inMsg.length >= 8 && !values.some((v) => v.includes(inMsg))) expect(msg).not.toContain(inMsg);
      }),
      { numRuns: 300 },
    );
  });
});
