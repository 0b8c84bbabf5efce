import { paddedInList, powerOfTwoChunks } from '../shared/chunk-fns.ts';
import type { DbOrTrx } from '../store/database-types.ts';
import { prepareQuery } from '../store/prepared-query.ts';
import type { LogicExtra, LogicFunction, LogicRun, LogicRunEvent, LogicRunStatus, LogicTrigger } from './logic-types.ts';

type FnRow = {
  id: string; owner: string; name: string; description: string; enabled: number; version: number; code: string;
  secrets_json: string; extra_json: string; created_at: string; updated_at: string; created_by: string; updated_by: string;
};
type TrRow = {
  id: string; function_id: string; type: string; enabled: number; version: number; event_name: string | null; product_id: number | null;
  cron: string | null; start_at: string | null; end_at: string | null; next_run_ms: number | null; last_scheduled_at: string | null;
  change_type?: string | null; instance_scope?: string | null; created_at: string; updated_at: string;
};

const triggerType = (t: string): LogicTrigger['type'] => (t === 'Scheduled' || t === 'LedgerChange' ? t : 'Event');

// A LedgerChange trigger keeps its ledger's name in `event_name` (migration 011).
const toTrigger = (r: TrRow): LogicTrigger => ({
  id: r.id, functionId: r.function_id, type: triggerType(r.type), enabled: Number(r.enabled) === 1,
  version: Number(r.version), eventName: r.type === 'LedgerChange' ? null : r.event_name, ledgerName: r.type === 'LedgerChange' ? r.event_name : null,
  changeType: r.change_type === 'set' || r.change_type === 'delete' ? r.change_type : null, instanceScope: r.instance_scope ?? null, productId: r.product_id === null ? null : Number(r.product_id), cron: r.cron,
  startAt: r.start_at, endAt: r.end_at, nextRunMs: r.next_run_ms === null ? null : Number(r.next_run_ms), lastScheduledAt: r.last_scheduled_at,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

const toFunction = (r: FnRow, triggers: LogicTrigger[]): LogicFunction => ({
  id: r.id, owner: r.owner, name: r.name, description: r.description, enabled: Number(r.enabled) === 1, version: Number(r.version),
  code: r.code, secrets: JSON.parse(r.secrets_json) as string[], extra: JSON.parse(r.extra_json) as LogicExtra,
  createdAt: r.created_at, updatedAt: r.updated_at, createdBy: r.created_by, updatedBy: r.updated_by, triggers,
});

const triggerRow = (owner: string, t: LogicTrigger) => ({
  id: t.id, function_id: t.functionId, owner, type: t.type, enabled: t.enabled ? 1 : 0, version: t.version, event_name: t.ledgerName ?? t.eventName,
  change_type: t.changeType, instance_scope: t.instanceScope, product_id: t.productId, cron: t.cron, start_at: t.startAt, end_at: t.endAt, next_run_ms: t.nextRunMs,
  last_scheduled_at: t.lastScheduledAt, created_at: t.createdAt, updated_at: t.updatedAt,
});

/** An event trigger as the publishing transaction needs it. */
export interface EventTarget {
  readonly triggerId: string;
  readonly functionId: string;
  readonly productId: number | null;
}

/** A LedgerChange trigger as the ledger write's transaction needs it. */
export interface LedgerTarget {
  readonly triggerId: string;
  readonly functionId: string;
  readonly instanceScope: string | null;
}

/** What a run needs of its function, read when the run starts. */
export interface RunnableFunction {
  readonly id: string;
  readonly owner: string;
  readonly enabled: boolean;
  readonly code: string;
  readonly secrets: readonly string[];
  readonly useEnv: boolean;
}

/** Enabled triggers of enabled functions of one owner, type and name (an event's or a ledger's: both in `event_name`). */
const enabledTriggers = (db: DbOrTrx, type: LogicTrigger['type'], owner: never, name: never) =>
  db
    .selectFrom('logic_triggers as t')
    .innerJoin('logic_functions as f', 'f.id', 't.function_id')
    .where('t.owner', '=', owner)
    .where('t.type', '=', type)
    .where('t.event_name', '=', name)
    .where('t.enabled', '=', 1)
    .where('f.enabled', '=', 1);

// Hot path: every publishing transaction looks up the triggers of each (owner, event name).
const eventTargetsQuery = prepareQuery((db, arg) => enabledTriggers(db, 'Event', arg(0), arg(1)).select(['t.id', 't.function_id', 't.product_id']));

// In every ledger write's transaction: the triggers of one (owner, ledger, change type).
const ledgerTargetsQuery = prepareQuery((db, arg) =>
  enabledTriggers(db, 'LedgerChange', arg(0), arg(1)).where('t.change_type', '=', arg(2)).select(['t.id', 't.function_id', 't.instance_scope']),
);

// Hot path: once per batch of runs. `size` is the padded length of the id list.
const runnableQuery = prepareQuery((db, arg, size) =>
  db
    .selectFrom('logic_functions')
    .select(['id', 'owner', 'enabled', 'code', 'secrets_json', 'extra_json'])
    .where('id', 'in', Array.from({ length: size }, (_, i) => arg(i))),
);

const RUN_COLUMNS = ['id', 'function_id', 'owner', 'trigger_type', 'trigger_id', 'status', 'started_at', 'finished_at', 'logs_json', 'err', 'day', 'event_json'] as const;
const runValues = (r: LogicRun): unknown[] => [
  r.id, r.functionId, r.owner, r.triggerType, r.triggerId, r.status, r.startedAt, r.finishedAt, JSON.stringify(r.logs), r.err, r.startedAt.slice(0, 10).replace(/-/g, ''),
  r.event === null ? null : JSON.stringify(r.event),
];
// Written for every finished run: compiled once per row count (power-of-two chunks).
const insertRunsQuery = prepareQuery((db, arg, size) =>
  db.insertInto('logic_runs').values(
    Array.from({ length: size }, (_, row) => Object.fromEntries(RUN_COLUMNS.map((c, i) => [c, arg(row * RUN_COLUMNS.length + i)])) as Record<(typeof RUN_COLUMNS)[number], never>),
  ),
);

const JOB_COLUMNS = ['id', 'function_id', 'owner', 'trigger_id', 'trigger_type', 'payload_json', 'attempts', 'status', 'available_at_ms', 'lease_until_ms', 'leased_by', 'created_ms'] as const;
/** A `logic_jobs` row, as inserted. */
export type JobInsert = { readonly [K in (typeof JOB_COLUMNS)[number]]: unknown };
const insertJobsQuery = prepareQuery((db, arg, size) =>
  db.insertInto('logic_jobs').values(
    Array.from({ length: size }, (_, row) => Object.fromEntries(JOB_COLUMNS.map((c, i) => [c, arg(row * JOB_COLUMNS.length + i)])) as Record<(typeof JOB_COLUMNS)[number], never>),
  ),
);

const trimRunsQuery = prepareQuery((db, arg) =>
  db
    .deleteFrom('logic_runs')
    .where('function_id', '=', arg(0))
    .where('id', '<', (eb) => eb.selectFrom('logic_runs').select('id').where('function_id', '=', arg(0)).orderBy('id', 'desc').limit(1).offset(arg(1))),
);

// `size` is the padded length of the id list; the node is the last argument.
const completeJobsQuery = prepareQuery((db, arg, size) =>
  db
    .deleteFrom('logic_jobs')
    .where('id', 'in', Array.from({ length: size }, (_, i) => arg(i)))
    .where('leased_by', '=', arg(size)),
);

/** Logic functions with their triggers, and their run history. */
export function createLogicStore() {
  const triggersOf = async (db: DbOrTrx, ids: readonly string[]) => {
    if (ids.length === 0) return new Map<string, LogicTrigger[]>();
    const rows = await db.selectFrom('logic_triggers').selectAll().where('function_id', 'in', [...ids]).orderBy('created_at').orderBy('id').execute();
    const map = new Map<string, LogicTrigger[]>();
    for (const r of rows) map.set(r.function_id, [...(map.get(r.function_id) ?? []), toTrigger(r)]);
    return map;
  };
  const withTriggers = async (db: DbOrTrx, rows: FnRow[]) => {
    const t = await triggersOf(db, rows.map((r) => r.id));
    return rows.map((r) => toFunction(r, t.get(r.id) ?? []));
  };
  return {
    async list(db: DbOrTrx, owner: string): Promise<LogicFunction[]> {
      return withTriggers(db, await db.selectFrom('logic_functions').selectAll().where('owner', '=', owner).orderBy('name').execute());
    },
    async get(db: DbOrTrx, owner: string, id: string): Promise<LogicFunction | null> {
      const r = await db.selectFrom('logic_functions').selectAll().where('owner', '=', owner).where('id', '=', id).executeTakeFirst();
      return r ? (await withTriggers(db, [r]))[0] : null;
    },
    async byId(db: DbOrTrx, id: string): Promise<LogicFunction | null> {
      const r = await db.selectFrom('logic_functions').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? (await withTriggers(db, [r]))[0] : null;
    },
    async count(db: DbOrTrx, owner: string): Promise<number> {
      const r = await db.selectFrom('logic_functions').select((eb) => eb.fn.countAll<number>().as('n')).where('owner', '=', owner).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async nameTaken(db: DbOrTrx, owner: string, name: string, exceptId?: string): Promise<boolean> {
      let q = db.selectFrom('logic_functions').select('id').where('owner', '=', owner).where('name', '=', name);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return (await q.executeTakeFirst()) !== undefined;
    },
    /** Writes the function row and replaces its triggers. */
    async save(db: DbOrTrx, f: LogicFunction, isNew: boolean): Promise<void> {
      const row = {
        id: f.id, owner: f.owner, name: f.name, description: f.description, enabled: f.enabled ? 1 : 0, version: f.version, code: f.code,
        secrets_json: JSON.stringify(f.secrets), extra_json: JSON.stringify(f.extra), created_at: f.createdAt, updated_at: f.updatedAt,
        created_by: f.createdBy, updated_by: f.updatedBy,
      };
      if (isNew) await db.insertInto('logic_functions').values(row).execute();
      else await db.updateTable('logic_functions').set(row).where('id', '=', f.id).execute();
      await db.deleteFrom('logic_triggers').where('function_id', '=', f.id).execute();
      if (f.triggers.length > 0) await db.insertInto('logic_triggers').values(f.triggers.map((t) => triggerRow(f.owner, t))).execute();
    },
    async delete(db: DbOrTrx, id: string): Promise<void> {
      for (const table of ['logic_triggers', 'logic_runs', 'logic_jobs'] as const) await db.deleteFrom(table).where('function_id', '=', id).execute();
      await db.deleteFrom('logic_functions').where('id', '=', id).execute();
    },
    /** Enabled event triggers of enabled functions for this exact event name. */
    async eventTargets(db: DbOrTrx, owner: string, eventName: string): Promise<EventTarget[]> {
      const r = await eventTargetsQuery.execute(db, [owner, eventName]);
      return (r.rows as Array<{ id: string; function_id: string; product_id: number | null }>).map((x) => ({
        triggerId: x.id, functionId: x.function_id, productId: x.product_id === null ? null : Number(x.product_id),
      }));
    },
    /** Enabled LedgerChange triggers of enabled functions for this ledger and change type. */
    async ledgerTargets(db: DbOrTrx, owner: string, ledger: string, changeType: string): Promise<LedgerTarget[]> {
      const r = await ledgerTargetsQuery.execute(db, [owner, ledger, changeType]);
      return (r.rows as Array<{ id: string; function_id: string; instance_scope: string | null }>).map((x) => ({
        triggerId: x.id, functionId: x.function_id, instanceScope: x.instance_scope,
      }));
    },
    /** The functions of a batch of runs, as they are now (a deleted one is absent). */
    async runnable(db: DbOrTrx, ids: readonly string[]): Promise<RunnableFunction[]> {
      if (ids.length === 0) return [];
      const list = paddedInList([...new Set(ids)]);
      const r = await runnableQuery.execute(db, list, list.length);
      return (r.rows as Array<{ id: string; owner: string; enabled: number; code: string; secrets_json: string; extra_json: string }>).map((x) => ({
        id: x.id, owner: x.owner, enabled: Number(x.enabled) === 1, code: x.code, secrets: JSON.parse(x.secrets_json) as string[],
        useEnv: (JSON.parse(x.extra_json) as LogicExtra).use_env === true,
      }));
    },
    /** Inserts finished runs (few statements: power-of-two chunks). */
    async insertRuns(db: DbOrTrx, runs: readonly LogicRun[]): Promise<void> {
      // 11 columns × at most 64 rows stay far below either database's bound-parameter limit.
      for (const chunk of powerOfTwoChunks(runs, 64)) await insertRunsQuery.execute(db, chunk.flatMap(runValues), chunk.length);
    },
    /** Inserts queued runs (few statements: power-of-two chunks). */
    async insertJobs(db: DbOrTrx, rows: readonly JobInsert[]): Promise<void> {
      // 12 columns × at most 64 rows stay far below either database's bound-parameter limit.
      for (const chunk of powerOfTwoChunks(rows, 64)) await insertJobsQuery.execute(db, chunk.flatMap((r) => JOB_COLUMNS.map((c) => r[c])), chunk.length);
    },
    /** Deletes all but the newest `keep` runs of a function (one statement). */
    async trimRuns(db: DbOrTrx, functionId: string, keep: number): Promise<void> {
      await trimRunsQuery.execute(db, [functionId, keep - 1]);
    },
    /** Deletes finished queue rows, only those `node` still holds (a row taken over after its lease ran out is not ours). */
    async completeJobs(db: DbOrTrx, ids: readonly string[], node: string): Promise<void> {
      for (let at = 0; at < ids.length; at += 256) {
        const list = paddedInList(ids.slice(at, at + 256));
        await completeJobsQuery.execute(db, [...list, node], list.length);
      }
    },
    /** The newest runs of a function (at most `limit`; history is trimmed to that in batches). */
    async runs(db: DbOrTrx, functionId: string, limit = 100): Promise<LogicRun[]> {
      const rows = await db.selectFrom('logic_runs').selectAll().where('function_id', '=', functionId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id, functionId: r.function_id, owner: r.owner, triggerType: r.trigger_type, triggerId: r.trigger_id, status: r.status as LogicRunStatus,
        startedAt: r.started_at, finishedAt: r.finished_at, logs: JSON.parse(r.logs_json) as unknown[], err: r.err,
        event: r.event_json ? (JSON.parse(r.event_json) as LogicRunEvent) : null,
      }));
    },
    async stats(db: DbOrTrx, functionIds: readonly string[], sinceDay?: string) {
      if (functionIds.length === 0) return [];
      let q = db
        .selectFrom('logic_runs')
        .select(['function_id', 'day', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('function_id', 'in', [...functionIds]);
      if (sinceDay) q = q.where('day', '>=', sinceDay);
      return (await q.groupBy(['function_id', 'day', 'status']).execute()).map((r) => ({ functionId: r.function_id, day: r.day, status: r.status, n: Number(r.n) }));
    },
  };
}

export type LogicStore = ReturnType<typeof createLogicStore>;
