import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContractStore, type ContractStore } from '../../test/store-contract/store-harness.ts';
import { testDialects } from '../../test/support/pg-fns.ts';
import { createLocalBroadcaster } from '../events/broadcaster.ts';
import { createEventBus, type EventBus } from '../events/event-bus.ts';
import { createLogicJobs, enqueueRun, RUNS_KEPT_PER_FUNCTION, type LogicJobsDeps } from './logic-jobs.ts';
import type { MaskedRun, RunInput } from './logic-runner.ts';
import { createLogicStore } from './logic-store.ts';
import type { LogicFunction } from './logic-types.ts';

const OWNER = 'user:1';
const logger = pino({ level: 'silent' });

const fn = (id: string, enabled = true, owner = OWNER): LogicFunction => {
  const at = new Date().toISOString();
  return {
    id, owner, name: id, description: '', enabled, version: 1, code: `export default function () {} // ${id}`, secrets: [],
    extra: { api_username: null, use_env: null, template_slug: null }, createdAt: at, updatedAt: at, createdBy: 'u', updatedBy: 'u',
    triggers: [{
      id: `${id}-t`, functionId: id, type: 'Event', enabled: true, version: 1, eventName: 'in', ledgerName: null, changeType: null, instanceScope: null, productId: null, cron: null, startAt: null, endAt: null,
      nextRunMs: null, lastScheduledAt: null, createdAt: at, updatedAt: at,
    }],
  };
};

const ok: MaskedRun = { result: { status: 'Success', logs: [], publishes: [], durationMs: 0 }, logs: [], err: null };

async function until(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(testDialects())('Logic run queue (%s)', (dialect) => {
  let store: ContractStore;
  let bus: EventBus;
  const logic = createLogicStore();
  const stops: Array<() => Promise<void>> = [];
  const db = () => store.handle.db;
  const jobRows = () => db().selectFrom('logic_jobs').selectAll().orderBy('id').execute();

  beforeEach(async () => {
    store = await openContractStore(dialect);
    bus = createEventBus({ db: db(), broadcaster: createLocalBroadcaster(), logger, now: () => new Date() });
    await logic.save(db(), fn('f1'), true);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await store.close();
  });

  /** A node's run worker with a fake sandbox: `run` decides what each run does. */
  const startJobs = (run: (input: RunInput) => Promise<MaskedRun>, opts: Partial<LogicJobsDeps> = {}) => {
    const calls: RunInput[] = [];
    const jobs = createLogicJobs({
      db: db(), dialect: store.handle.dialect, store: logic, logger, now: () => new Date(),
      runner: {
        contexts: { forOwner: async () => ({ values: {}, masker: { mask: (t: string) => t } }), fresh: async () => ({ values: {}, masker: { mask: (t: string) => t } }) },
        runWith: async (input) => {
          calls.push(input);
          return run(input);
        },
      },
      onQueued: () => jobs.wake(),
      ...opts,
    });
    bus.addSink(jobs.sink);
    jobs.start();
    stops.push(() => jobs.stop());
    return { jobs, calls };
  };
  const publish = (n: number, prefix = 'e') => Promise.all(Array.from({ length: n }, (_, i) => bus.publish({ owner: OWNER, name: 'in', data: `${prefix}${i}`, source: 'api' })));

  it('runs each accepted event once and keeps the newest runs', async () => {
    const { jobs, calls } = startJobs(async () => ok);
    const events = await publish(RUNS_KEPT_PER_FUNCTION + 30);
    await until(() => calls.length >= events.length, 'every run');
    await jobs.idle();
    expect(calls.map((c) => c.event?.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(await jobRows()).toEqual([]);
    const runs = await db().selectFrom('logic_runs').select(['id', 'status', 'trigger_id']).orderBy('id').execute();
    expect(runs).toHaveLength(RUNS_KEPT_PER_FUNCTION);
    expect(runs.every((r) => r.status === 'Success' && r.trigger_id === 'f1-t')).toBe(true);
    expect((await logic.runs(db(), 'f1')).length).toBe(RUNS_KEPT_PER_FUNCTION);
  });

  it('queues runs that do not fit in the node and claims them, oldest first, cron ticks among them', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { jobs, calls } = startJobs(async () => (await gate, ok), { concurrency: 2, localQueue: 2, maxStartedPerOwner: 2 });
    const pause = () => new Promise((r) => setTimeout(r, 5));
    await publish(2, 'a');
    await until(() => calls.length === 2, 'the first runs');
    await publish(4, 'b');
    await pause();
    await db().transaction().execute((trx) => enqueueRun(trx, new Date(), { id: 'f1-t', functionId: 'f1', type: 'Scheduled' }, OWNER, { kind: 'scheduled', scheduledAt: 'x', startAt: 'x', endAt: null }));
    await pause();
    await publish(2, 'c');
    expect((await jobRows()).filter((r) => r.status === 'queued')).toHaveLength(7);
    release();
    await until(() => calls.length === 9, 'every run');
    await jobs.idle();
    const order = calls.slice(2).map((c) => (c.event ? c.event.data?.charAt(0) : 'cron'));
    expect(order).toEqual(['b', 'b', 'b', 'b', 'cron', 'c', 'c']);
    expect(await jobRows()).toEqual([]);
  });

  it("starts another owner's run while one owner's flood of stuck runs holds its share of the node", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    await logic.save(db(), fn('f2', true, 'user:2'), true);
    // Owner 1's runs hang until released; owner 2's finish at once.
    const { jobs, calls } = startJobs(async (input) => (input.owner === OWNER ? (await gate, ok) : ok));
    try {
      await publish(40, 'a');
      await until(() => calls.length >= 16, "owner 1's runs");
      await bus.publish({ owner: 'user:2', name: 'in', data: 'b', source: 'api' });
      await until(() => calls.some((c) => c.owner === 'user:2'), "owner 2's run");
      // Owner 1 has half of the node's 32 slots; the rest of its runs wait.
      expect(calls.filter((c) => c.owner === OWNER)).toHaveLength(16);
    } finally {
      release();
    }
    await until(() => calls.length === 41, 'every run');
    await jobs.idle();
  });

  it("claims another owner's queued run while one owner's backlog is larger than the node's local queue", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    await logic.save(db(), fn('f2', true, 'user:2'), true);
    const { jobs, calls } = startJobs(async (input) => (input.owner === OWNER ? (await gate, ok) : ok), { concurrency: 4, localQueue: 16 });
    try {
      // 60 stuck runs of owner 1, most of them queued in the database behind its share of the node.
      await publish(60, 'a');
      await until(() => calls.length >= 2, "owner 1's runs");
      await until(async () => (await jobRows()).filter((r) => r.status === 'queued').length >= 40, 'a backlog in the database');
      // Owner 2's run is queued too (published while owner 1's rows wait), newer than all of them.
      await bus.publish({ owner: 'user:2', name: 'in', data: 'b', source: 'api' });
      jobs.wake();
      await until(() => calls.some((c) => c.owner === 'user:2'), "owner 2's run");
      // Owner 1 holds at most half of the local queue: the rest of its backlog stays in the database.
      const held = (await jobRows()).filter((r) => r.owner === OWNER && r.status === 'inflight').length;
      expect(held).toBeLessThanOrEqual(8 + 2);
    } finally {
      release();
    }
    await until(() => calls.length === 61, 'every run', 30_000);
    await jobs.idle();
  });

  it("runs what a dead node held once its leases run out, and leaves live leases alone", async () => {
    const now = Date.now();
    const row = (id: string, leaseUntil: number) => ({
      id, function_id: 'f1', owner: OWNER, trigger_id: 'f1-t', trigger_type: 'Event',
      payload_json: JSON.stringify({ kind: 'event', event: { id, owner: OWNER, name: 'in', data: id, ttl: 60, isPublic: false, publishedAt: new Date(now).toISOString(), coreid: 'api', productId: null, deviceId: null, userId: null, source: 'api' } }),
      attempts: 1, status: 'inflight', available_at_ms: now, lease_until_ms: leaseUntil, leased_by: 'dead-node', created_ms: now,
    });
    await db().insertInto('logic_jobs').values([row('00expired', now - 1), row('01held', now + 600_000)]).execute();
    const { jobs, calls } = startJobs(async () => ok, { leaseMs: 200 });
    await until(() => calls.length === 1, 'the expired run');
    await jobs.idle();
    expect(calls[0]?.event?.data).toBe('00expired');
    expect((await jobRows()).map((r) => [r.id, r.leased_by])).toEqual([['01held', 'dead-node']]);
    expect(await db().selectFrom('logic_runs').select('id').execute()).toHaveLength(1);
  });

  it('drops runs of a function disabled or deleted after the event was accepted', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { jobs, calls } = startJobs(async () => (await gate, ok), { concurrency: 1, localQueue: 1 });
    await publish(1, 'first');
    await until(() => calls.length === 1, 'the first run');
    await publish(2, 'later');
    await db().transaction().execute((trx) => enqueueRun(trx, new Date(), { id: 'gone-t', functionId: 'gone', type: 'Event' }, OWNER, { kind: 'scheduled', scheduledAt: 'x', startAt: 'x', endAt: null }));
    await logic.save(db(), fn('f1', false), false);
    release();
    jobs.wake();
    await until(async () => (await jobRows()).length === 0, 'the queue to empty');
    await jobs.idle();
    expect(calls.map((c) => c.event?.data)).toEqual(['first0']);
    expect(await db().selectFrom('logic_runs').select('id').execute()).toHaveLength(1);
  });

  it('hands runs that have not started back to the queue when the node stops', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { jobs, calls } = startJobs(async () => (await gate, ok), { concurrency: 1, localQueue: 3 });
    await publish(3);
    await until(() => calls.length === 1, 'the first run');
    const stopped = jobs.stop();
    release();
    await stopped;
    const rows = await jobRows();
    expect(rows.map((r) => [r.status, r.leased_by, Number(r.attempts)])).toEqual([
      ['queued', null, 0],
      ['queued', null, 0],
    ]);
    expect(await db().selectFrom('logic_runs').select('id').execute()).toHaveLength(1);
  });
});
