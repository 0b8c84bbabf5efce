import { describe, expect, it } from 'vitest';
import { HushError } from '../errors/errors.ts';
import { applyOps, checkKey, checkValue, checkWhen, ENV_MAX_KEYS, readOps } from './env-rules.ts';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HushError);
    expect((e as HushError).code).toBe('validation_failed');
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('environment variable rules', () => {
  it('accepts keys of letters, digits and underscores that do not start with a digit, up to 64 characters', () => {
    for (const k of ['A', '_x', 'api_URL_2', 'K'.repeat(64)]) expect(checkKey(k)).toBe(k);
    for (const k of ['', '1A', 'has-dash', 'dot.ted', 'spa ce', 'é', 'K'.repeat(65), 5, null]) expect(refusal(() => checkKey(k))).toMatch(/key/);
  });

  it('limits values to strings of at most 4096 bytes of UTF-8', () => {
    expect(checkValue('', 'K')).toBe('');
    expect(checkValue('€'.repeat(1365), 'K')).toHaveLength(1365);
    expect(refusal(() => checkValue('€'.repeat(1366), 'K'))).toMatch(/4098 bytes/);
    expect(refusal(() => checkValue(1, 'K'))).toMatch(/must be a string/);
  });

  it('reads 1 to 50 Set/Unset operations, ignoring extra fields such as the CLI file format’s access', () => {
    expect(readOps({ ops: [{ op: 'Set', key: 'A', value: '1', access: ['Device'] }, { op: 'Unset', key: 'B' }] })).toEqual([{ op: 'Set', key: 'A', value: '1' }, { op: 'Unset', key: 'B' }]);
    expect(refusal(() => readOps({ ops: Array.from({ length: 51 }, () => ({ op: 'Unset', key: 'A' })) }))).toMatch(/at most 50/);
    expect(refusal(() => readOps({ ops: [{ op: 'Set', key: 'A' }] }))).toMatch(/must be a string/);
    expect(refusal(() => readOps({ ops: ['Set'] }))).toMatch(/ops\[0\] must be an object/);
    expect(refusal(() => readOps([]))).toMatch(/"ops"/);
  });

  it('applies operations in order and caps the keys of a scope', () => {
    expect(applyOps({ A: '1', B: '2' }, [{ op: 'Unset', key: 'A' }, { op: 'Set', key: 'C', value: '3' }, { op: 'Set', key: 'C', value: '4' }])).toEqual({ B: '2', C: '4' });
    const full = Object.fromEntries(Array.from({ length: ENV_MAX_KEYS }, (_, i) => [`K${i}`, '']));
    expect(applyOps(full, [{ op: 'Set', key: 'K0', value: 'x' }])).toHaveProperty('K0', 'x');
    expect(refusal(() => applyOps(full, [{ op: 'Set', key: 'NEW', value: 'x' }]))).toMatch(/at most 100/);
  });

  it('reads a rollout’s when (Connect by default)', () => {
    expect(checkWhen({})).toBe('Connect');
    expect(checkWhen({ when: 'Immediate' })).toBe('Immediate');
    expect(refusal(() => checkWhen({ when: 'now' }))).toMatch(/Immediate or Connect/);
  });
});
