import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import { newEvent } from '../events/new-event-fns.ts';
import type { Db } from '../store/database-types.ts';
import type { LogicRunner, MaskedRun } from './logic-runner.ts';
import type { LogicStore } from './logic-store.ts';
import { EXECUTE_FUNCTION_ID, type LogicFunction, type LogicRun } from './logic-types.ts';

/** A `POST …/logic/execute` body, already parsed. */
export interface ExecuteRequest {
  readonly event?: {
    readonly event_name?: string;
    readonly product_id?: number | string | null;
    readonly device_id?: string | null;
    readonly event_data?: string | null;
  };
  readonly source: { readonly type?: string; readonly code: string };
  readonly secrets?: readonly string[] | null;
  readonly use_env?: boolean | null;
  /** Run with the selected secrets' pending values where they have one (staged rotation). */
  readonly use_pending_secrets?: boolean | null;
}

export interface DayStats {
  readonly success: number;
  readonly failure: number;
  readonly timeout: number;
}

/** Runs, statistics and ad-hoc execution of Logic functions. `productId`: seen under a product's routes. */
export interface LogicRunsService {
  /** The functions with today's run counts. */
  listWithTodayStats(scope: Scope, productId?: number | null): Promise<Array<{ readonly fn: LogicFunction; readonly today: DayStats }>>;
  runs(scope: Scope, id: string, productId?: number | null): Promise<LogicRun[]>;
  run(scope: Scope, id: string, runId: string, productId?: number | null): Promise<LogicRun>;
  /** Run counts per day, newest day first. */
  stats(scope: Scope, id: string, productId?: number | null): Promise<Array<DayStats & { readonly date: string }>>;
  /**
   * Runs code once, now, for a caller who may write. `read` parses the request after the
   * permission check; its refusals come out through the owner's masker.
   */
  execute(scope: Scope, productId: number | null, read: () => ExecuteRequest): Promise<MaskedRun>;
}

export interface LogicRunsDeps {
  readonly db: Db;
  readonly store: Pick<LogicStore, 'runs' | 'stats'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly runner: Pick<LogicRunner, 'run'>;
  readonly now: () => Date;
  readonly functions: {
    list(scope: Scope, productId?: number | null): Promise<LogicFunction[]>;
    get(scope: Scope, id: string, productId?: number | null): Promise<LogicFunction>;
    checkSecrets(owner: string, names: readonly string[]): Promise<void>;
    validating<T>(owner: string, work: () => T | Promise<T>): Promise<T>;
  };
}

const ZERO: DayStats = { success: 0, failure: 0, timeout: 0 };

export function createLogicRunsService(deps: LogicRunsDeps): LogicRunsService {
  const { db, store, functions } = deps;
  const statsByFunction = async (ids: string[], sinceDay?: string) => {
    const out = new Map<string, Map<string, { success: number; failure: number; timeout: number }>>();
    for (const s of await store.stats(db, ids, sinceDay)) {
      const days = out.get(s.functionId) ?? new Map();
      const d = days.get(s.day) ?? { ...ZERO };
      if (s.status === 'Success') d.success += s.n;
      else if (s.status === 'Timeout') d.timeout += s.n;
      else d.failure += s.n;
      days.set(s.day, d);
      out.set(s.functionId, days);
    }
    return out;
  };
  const runs = async (scope: Scope, id: string, productId?: number | null) => store.runs(db, (await functions.get(scope, id, productId)).id);
  return {
    async listWithTodayStats(scope, productId) {
      const list = await functions.list(scope, productId);
      const today = deps.now().toISOString().slice(0, 10).replace(/-/g, '');
      const stats = await statsByFunction(list.map((f) => f.id), today);
      return list.map((fn) => ({ fn, today: stats.get(fn.id)?.get(today) ?? ZERO }));
    },
    runs,
    async run(scope, id, runId, productId) {
      const r = (await runs(scope, id, productId)).find((x) => x.id === runId);
      if (!r) throw new HushError('not_found', `run '${runId}' not found`);
      return r;
    },
    async stats(scope, id, productId) {
      const f = await functions.get(scope, id, productId);
      const days = (await statsByFunction([f.id])).get(f.id) ?? new Map<string, DayStats>();
      return [...days.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([date, s]) => ({ date, ...s }));
    },
    async execute(scope, ownProduct, read) {
      await requirePermission(deps.audit, scope, 'write', { action: 'logic.execute', target: 'logic execute', doing: 'executing Logic' });
      // Refusals quote the body (an unknown field may be a pasted value): the owner's masker sees them.
      const b = await functions.validating(scope.owner, read);
      const secretNames = [...new Set(b.secrets ?? [])];
      await functions.checkSecrets(scope.owner, secretNames);
      const now = deps.now();
      const e = b.event;
      const productId = (e?.product_id === undefined || e.product_id === null || e.product_id === '' ? null : Number(e.product_id) || null) ?? ownProduct;
      return deps.runner.run({
        owner: scope.owner, functionId: EXECUTE_FUNCTION_ID, code: b.source.code, secretNames, useEnv: b.use_env === true, usePendingSecrets: b.use_pending_secrets === true, trigger: { triggeredAt: now.toISOString() }, executedBy: scope.principal.userId,
        event: newEvent(
          { owner: scope.owner, name: e?.event_name || 'test_event', data: e?.event_data ?? null, coreid: e?.device_id || 'api', productId, deviceId: e?.device_id || null, userId: scope.principal.userId, source: 'api' },
          now,
        ),
      });
    },
  };
}
