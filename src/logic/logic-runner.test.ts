import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.ts';
import { buildLogicContext, createLogicRunner, maskLogs } from './logic-runner.ts';
import type { LogicContext } from './runtime/index.ts';

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

  it('gives a LedgerChange-triggered run ledgerChange (spec §8.3) instead of event or scheduled, without the chain depth', () => {
    const change = { changedAt: '2026-03-01T09:59:59.000Z', changeType: 'delete', name: 'settings', scope: { type: 'Device', value: 'a1b2' }, data: { t: 1 }, depth: 2 } as const;
    const ctx = buildLogicContext({ owner: 'user:u', functionId: 'f', code: '', secretNames: [], trigger, ledgerChange: change }, {});
    expect(ctx.ledgerChange).toEqual({ changedAt: change.changedAt, changeType: 'delete', name: 'settings', scope: { type: 'Device', value: 'a1b2' }, data: { t: 1 } });
    expect(ctx.event).toBeUndefined();
    expect(ctx.scheduled).toBeUndefined();
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

describe('the environment of a run (use_env)', () => {
  const trigger = { triggeredAt: '2026-03-01T10:00:00.000Z' };
  const setup = () => {
    const asked: Array<[string, number | null, string | null]> = [];
    const contexts: LogicContext[] = [];
    const runner = createLogicRunner({
      runtime: { run: async (r) => (contexts.push(r.context), { status: 'Success', logs: [], publishes: [], durationMs: 1 }) },
      resolver: { values: async () => ({}), ownerVersion: async () => 1 },
      maskers: { forOwner: async () => ({ mask: (t: string) => t }) },
      bus: { publish: async () => undefined as never },
      logger: {} as Logger,
      env: { liveEnv: async (owner, productId, deviceId) => (asked.push([owner, productId, deviceId]), { FROM: `${owner}/${productId}/${deviceId}` }) },
    });
    return { asked, contexts, runner };
  };
  const event = { id: 'e', owner: 'user:u', name: 'n', data: null, publishedAt: trigger.triggeredAt, ttl: 60, coreid: 'a1b2c3d4e5f60718293a4b5c', deviceId: null, productId: 7, userId: null, source: 'api' };

  it('reads the owner’s environment for a scheduled run, the product’s and device’s for an event, and nothing without use_env', async () => {
    const { asked, contexts, runner } = setup();
    await runner.run({ owner: 'user:u', functionId: 'f', code: '', secretNames: [], useEnv: true, trigger });
    await runner.run({ owner: 'user:u', functionId: 'f', code: '', secretNames: [], useEnv: true, trigger, event: event as never });
    await runner.run({ owner: 'user:u', functionId: 'f', code: '', secretNames: [], trigger, event: event as never });
    expect(asked).toEqual([['user:u', null, null], ['user:u', 7, 'a1b2c3d4e5f60718293a4b5c']]);
    expect(contexts.map((c) => c.env)).toEqual([{ FROM: 'user:u/null/null' }, { FROM: 'user:u/7/a1b2c3d4e5f60718293a4b5c' }, {}]);
  });
});
