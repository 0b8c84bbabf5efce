import { describe, expect, it } from 'vitest';
import { buildLogicContext } from './logic-runner.ts';

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
