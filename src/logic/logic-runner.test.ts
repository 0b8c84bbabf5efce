import { describe, expect, it } from 'vitest';
import { buildLogicContext, maskLogs } from './logic-runner.ts';

describe('buildLogicContext', () => {
  const trigger = { triggeredAt: '2026-03-01T10:00:00.000Z' };

  it('gives functionInfo.ownerId as the bare user or organization ID (spec §8.3)', () => {
    const user = buildLogicContext({ owner: 'user:a3fb1c70', functionId: 'fn-1', code: '', secretNames: [], trigger }, {});
    expect(user.functionInfo).toEqual({ ownerId: 'a3fb1c70', logicFunctionId: 'fn-1' });
    const org = buildLogicContext({ owner: 'org:5c37c61e', functionId: 'fn-2', code: '', secretNames: [], trigger }, {});
    expect(org.functionInfo.ownerId).toBe('5c37c61e');
  });

  it('passes only the listed secrets, null for one without a value, and exactly one trigger kind', () => {
    const ctx = buildLogicContext({ owner: 'user:u', functionId: 'f', code: '', secretNames: ['A', 'GONE'], trigger }, { A: 'va', B: 'vb' });
    expect(ctx.secrets).toEqual({ A: 'va', GONE: null });
    expect(ctx.scheduled).toEqual({ scheduledAt: trigger.triggeredAt, startAt: trigger.triggeredAt });
    expect(ctx.event).toBeUndefined();
  });
});

describe('maskLogs', () => {
  const masker = { mask: (text: string) => text.replaceAll('s3cr3t-value', '[[SENSITIVE]]') };

  it('masks a secret however deep a log argument nests it', () => {
    let nested: unknown = 's3cr3t-value';
    for (let i = 0; i < 40; i++) nested = i % 2 === 0 ? { a: nested } : [nested];
    const [entry] = maskLogs(masker, [{ level: 'Info', timestamp: 't', args: [nested, { 's3cr3t-value': 1 }] }]);
    const text = JSON.stringify(entry);
    expect(text).not.toContain('s3cr3t-value');
    expect(text).toContain('[[SENSITIVE]]');
    expect((entry!.args[1] as Record<string, unknown>)['[[SENSITIVE]]']).toBe(1);
  });
});
