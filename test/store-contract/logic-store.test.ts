import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogicStore, type JobInsert } from '../../src/logic/logic-store.ts';
import type { LogicFunction, LogicRun, LogicTrigger } from '../../src/logic/logic-types.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openContractStore, type ContractStore } from './store-harness.ts';

// The Logic store behaves the same on both databases: functions with their triggers, the trigger
// lookups of the publishing and ledger transactions, run history (newest first, trimmed, counted
// per day) and the queue rows a node completes only while it still holds them.
describe.each(testDialects())('logic store (%s)', (dialect) => {
  let store: ContractStore;
  const logic = createLogicStore();
  const db = () => store.handle.db;
  const at = '2026-03-01T10:00:00.000Z';

  beforeEach(async () => {
    store = await openContractStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  const trigger = (functionId: string, id: string, over: Partial<LogicTrigger>): LogicTrigger => ({
    id, functionId, type: 'Event', enabled: true, version: 1, eventName: null, ledgerName: null, changeType: null, instanceScope: null, productId: null,
    cron: null, startAt: null, endAt: null, nextRunMs: null, lastScheduledAt: null, createdAt: at, updatedAt: at, ...over,
  });
  const fn = (id: string, owner: string, name: string, over: Partial<LogicFunction> = {}): LogicFunction => ({
    id, owner, name, description: '', enabled: true, version: 1, code: 'export default function main() {}', secrets: ['API_KEY'],
    extra: { api_username: null, use_env: true, template_slug: null }, createdAt: at, updatedAt: at, createdBy: 'u1', updatedBy: 'u1', triggers: [], ...over,
  });

  it('saves a function with its triggers, reads it back whole, and replaces the triggers on update', async () => {
    const f = fn('f1', 'user:a', 'beta', {
      triggers: [
        trigger('f1', 't1', { eventName: 'temp', productId: 7 }),
        trigger('f1', 't2', { type: 'Scheduled', cron: '*/5 * * * *', startAt: at, nextRunMs: 1_700_000_000_000 }),
        trigger('f1', 't3', { type: 'LedgerChange', ledgerName: 'config', changeType: 'set', instanceScope: 'owner' }),
      ],
    });
    await logic.save(db(), f, true);
    await logic.save(db(), fn('f2', 'user:a', 'alpha'), true);
    await logic.save(db(), fn('f3', 'user:b', 'gamma'), true);
    expect(await logic.get(db(), 'user:a', 'f1')).toEqual(f);
    expect(await logic.get(db(), 'user:b', 'f1')).toBeNull();
    expect((await logic.list(db(), 'user:a')).map((x) => x.name)).toEqual(['alpha', 'beta']);
    expect(await logic.count(db(), 'user:a')).toBe(2);
    expect(await logic.nameTaken(db(), 'user:a', 'beta')).toBe(true);
    expect(await logic.nameTaken(db(), 'user:a', 'beta', 'f1')).toBe(false);
    expect(await logic.nameTaken(db(), 'user:b', 'beta')).toBe(false);

    const updated = { ...f, version: 2, code: 'export default function main() { return 1; }', triggers: [trigger('f1', 't4', { eventName: 'humidity' })] };
    await logic.save(db(), updated, false);
    expect(await logic.byId(db(), 'f1')).toEqual(updated);
  });

  it('finds the enabled triggers of enabled functions for an event name and a ledger change', async () => {
    await logic.save(db(), fn('f1', 'user:a', 'one', { triggers: [trigger('f1', 't1', { eventName: 'temp', productId: 7 }), trigger('f1', 't2', { eventName: 'temp', enabled: false })] }), true);
    await logic.save(db(), fn('f2', 'user:a', 'two', { enabled: false, triggers: [trigger('f2', 't3', { eventName: 'temp' })] }), true);
    await logic.save(db(), fn('f3', 'user:b', 'three', { triggers: [trigger('f3', 't4', { eventName: 'temp' })] }), true);
    await logic.save(db(), fn('f4', 'user:a', 'four', { triggers: [trigger('f4', 't5', { type: 'LedgerChange', ledgerName: 'temp', changeType: 'delete', instanceScope: 'd1' })] }), true);
    expect(await logic.eventTargets(db(), 'user:a', 'temp')).toEqual([{ triggerId: 't1', functionId: 'f1', productId: 7 }]);
    expect(await logic.eventTargets(db(), 'user:a', 'tem')).toEqual([]);
    expect(await logic.ledgerTargets(db(), 'user:a', 'temp', 'delete')).toEqual([{ triggerId: 't5', functionId: 'f4', instanceScope: 'd1' }]);
    expect(await logic.ledgerTargets(db(), 'user:a', 'temp', 'set')).toEqual([]);
    const runnable = await logic.runnable(db(), ['f2', 'f1', 'f1', 'gone']);
    expect(runnable.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'f1', owner: 'user:a', enabled: true, code: 'export default function main() {}', secrets: ['API_KEY'], useEnv: true },
      { id: 'f2', owner: 'user:a', enabled: false, code: 'export default function main() {}', secrets: ['API_KEY'], useEnv: true },
    ]);
  });

  const run = (functionId: string, i: number, status: LogicRun['status'], day = '2026-03-01'): LogicRun => ({
    id: `r${String(i).padStart(4, '0')}`, functionId, owner: 'user:a', triggerType: 'Event', triggerId: 't1', status,
    startedAt: `${day}T10:00:${String(i % 60).padStart(2, '0')}.000Z`, finishedAt: `${day}T10:00:${String(i % 60).padStart(2, '0')}.010Z`,
    logs: [{ level: 'info', message: `run ${i}` }], err: status === 'Failure' ? 'boom' : null, event: i % 2 === 0 ? { name: 'temp', data: '21', publishedAt: at, coreid: 'dev1', productId: null } : null,
  });

  it('keeps runs newest first, trims all but the newest, and counts them per day and status', async () => {
    const runs = Array.from({ length: 150 }, (_, i) => run('f1', i, i % 10 === 0 ? 'Failure' : 'Success', i < 100 ? '2026-03-01' : '2026-03-02'));
    await logic.insertRuns(db(), [...runs, run('f2', 500, 'Timeout')]);
    const newest = await logic.runs(db(), 'f1', 3);
    expect(newest).toEqual([runs[149], runs[148], runs[147]]);
    expect(await logic.stats(db(), ['f1', 'f2'], '20260302')).toEqual(
      expect.arrayContaining([
        { functionId: 'f1', day: '20260302', status: 'Success', n: 45 },
        { functionId: 'f1', day: '20260302', status: 'Failure', n: 5 },
      ]),
    );
    expect((await logic.stats(db(), ['f1'])).reduce((n, s) => n + s.n, 0)).toBe(150);
    await logic.trimRuns(db(), 'f1', 100);
    const kept = await logic.runs(db(), 'f1', 1000);
    expect(kept.map((r) => r.id)).toEqual(runs.slice(50).reverse().map((r) => r.id));
    expect((await logic.runs(db(), 'f2')).length).toBe(1);
  });

  it('completes queue rows only for the node that holds them, and a delete removes a function with its triggers, runs and jobs', async () => {
    await logic.save(db(), fn('f1', 'user:a', 'one', { triggers: [trigger('f1', 't1', { eventName: 'temp' })] }), true);
    const job = (id: string, leasedBy: string | null): JobInsert => ({
      id, function_id: 'f1', owner: 'user:a', trigger_id: 't1', trigger_type: 'Event', payload_json: '{}', attempts: 1, status: leasedBy ? 'inflight' : 'queued',
      available_at_ms: 1, lease_until_ms: leasedBy ? 10 : null, leased_by: leasedBy, created_ms: 1,
    });
    const jobs = Array.from({ length: 300 }, (_, i) => job(`j${String(i).padStart(3, '0')}`, i < 280 ? 'node-a' : 'node-b'));
    await logic.insertJobs(db(), jobs);
    await logic.completeJobs(db(), jobs.map((j) => j.id as string), 'node-a');
    const left = await db().selectFrom('logic_jobs').select('leased_by').execute();
    expect(left.length).toBe(20);
    expect(left.every((r) => r.leased_by === 'node-b')).toBe(true);

    await logic.insertRuns(db(), [run('f1', 1, 'Success')]);
    await logic.delete(db(), 'f1');
    expect(await logic.byId(db(), 'f1')).toBeNull();
    expect(await logic.runs(db(), 'f1')).toEqual([]);
    expect(await db().selectFrom('logic_jobs').selectAll().execute()).toEqual([]);
    expect(await db().selectFrom('logic_triggers').selectAll().execute()).toEqual([]);
  });
});
