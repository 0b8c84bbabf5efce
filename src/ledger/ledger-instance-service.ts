import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { ProductService } from '../events/product-service.ts';
import type { DbOrTrx } from '../store/database-types.ts';
import { isUniqueViolation } from '../store/retry-fns.ts';
import { findDefinition, type LedgerPage, type LedgerServiceDeps } from './ledger-definition-service.ts';
import { checkData, checkSetMode, encodeData } from './ledger-rules.ts';
import { ledgerStore } from './ledger-store.ts';
import type { LedgerChangeHook, LedgerData, LedgerDefinition, LedgerInstance, LedgerInstanceChange, LedgerInstanceRecord } from './ledger-types.ts';

/** Who made a change, for the audit trail: the caller, or a Logic function's run. */
export interface LedgerActor {
  readonly id: string;
  readonly detail?: string;
  /** How many Logic runs deep the writing run is (a run triggered by an API change: 1); 0 or absent for the API. */
  readonly depth?: number;
}

export interface LedgerInstanceService {
  get(scope: Scope, name: string, scopeValue: string): Promise<LedgerInstance>;
  /** As `get`, but an instance that does not exist (yet) is null rather than 404. */
  find(scope: Scope, name: string, scopeValue: string): Promise<LedgerInstance | null>;
  set(scope: Scope, name: string, scopeValue: string, data: unknown, mode: unknown, actor?: LedgerActor): Promise<LedgerInstance>;
  remove(scope: Scope, name: string, scopeValue: string, actor?: LedgerActor): Promise<void>;
  list(scope: Scope, name: string, f: { page: number; perPage: number }): Promise<LedgerPage<LedgerInstance>>;
  versions(scope: Scope, name: string, scopeValue: string, f: { before?: string; after?: string }): Promise<LedgerInstance[]>;
  version(scope: Scope, name: string, scopeValue: string, version: number): Promise<LedgerInstance>;
}

export interface LedgerInstanceDeps extends LedgerServiceDeps {
  readonly products: Pick<ProductService, 'list' | 'deviceOf'>;
  /** Replaced versions kept per instance (default 20). */
  readonly keepVersions?: number;
  /** Told of every change inside its transaction (Logic's LedgerChange triggers register here). */
  readonly changeHooks?: readonly LedgerChangeHook[];
}

/** Compare-and-set attempts before a write gives up (each lost race means another write landed). */
const MAX_ATTEMPTS = 200;

const typed = (def: LedgerDefinition, i: LedgerInstanceRecord): LedgerInstance => ({ ...i, scopeType: def.scope });

const instanceNotFound = (name: string, v: string) => new HushError('not_found', `ledger '${name}' has no instance '${v.length > 60 ? v.slice(0, 60) + '…' : v}'`);

export function createLedgerInstanceService(deps: LedgerInstanceDeps): LedgerInstanceService {
  const { db, audit } = deps;
  const keep = deps.keepVersions ?? 20;
  const requireRead = (scope: Scope, name: string) => requirePermission(audit, scope, 'read', { action: 'ledger.read', target: name, doing: 'reading ledgers' });
  const requireWrite = (scope: Scope, action: string, name: string) => requirePermission(audit, scope, 'write', { action, target: name, doing: 'changing ledgers' });

  /** The canonical scope value: the owner's id, one of its product ids, or a device of one of its products. */
  const resolveScopeValue = async (scope: Scope, def: LedgerDefinition, raw: string): Promise<string> => {
    const v = String(raw);
    if (def.scope === 'Owner') {
      const ownerId = scope.owner.slice(scope.owner.indexOf(':') + 1);
      if (v !== ownerId) throw new HushError('not_found', `ledger '${def.name}' is owner-scoped: its one instance is '${ownerId}' (the ${scope.kind === 'org' ? 'organization' : "sandbox user"}'s id)`);
      return v;
    }
    if (def.scope === 'Product') {
      const p = (await deps.products.list(scope)).find((x) => String(x.id) === v || x.slug === v);
      if (!p) throw new HushError('not_found', `ledger '${def.name}' is product-scoped and product '${v.slice(0, 60)}' is not one of yours`);
      return String(p.id);
    }
    const d = await deps.products.deviceOf(scope.owner, v);
    if (!d || d.productId === null) throw new HushError('not_found', `ledger '${def.name}' is device-scoped and device '${v.slice(0, 60)}' is not in one of your products`);
    return d.id;
  };
  const usable = async (scope: Scope, name: string) => {
    const def = await findDefinition(db, scope.owner, name);
    if (def.archivedAt) throw new HushError('not_found', `ledger '${name}' is archived`);
    return def;
  };
  const record = (scope: Scope, action: string, target: string, actor: LedgerActor | undefined, detail: string, trx?: DbOrTrx) =>
    audit.record({ owner: scope.owner, actorId: actor?.id ?? scope.principal.userId, action, target, outcome: 'ok', detail: actor?.detail ? `${detail}; ${actor.detail}` : detail }, trx);

  const hooks = deps.changeHooks ?? [];
  /** Tells the hooks of a change (inside its transaction); answers those to call after commit. */
  const announce = async (trx: DbOrTrx, scope: Scope, def: LedgerDefinition, v: string, changeType: LedgerInstanceChange['changeType'], data: LedgerData, at: string, actor?: LedgerActor) => {
    const change: LedgerInstanceChange = { owner: scope.owner, name: def.name, scope: { type: def.scope, value: v }, changeType, changedAt: at, data, depth: actor?.depth ?? 0 };
    const queued: LedgerChangeHook[] = [];
    for (const h of hooks) if (await h.onInstanceChange(trx, change)) queued.push(h);
    return queued;
  };
  const committed = (queued: readonly LedgerChangeHook[]) => {
    for (const h of queued) h.afterCommit();
  };

  const find = async (scope: Scope, name: string, scopeValue: string) => {
    await requireRead(scope, name);
    const def = await usable(scope, name);
    const v = await resolveScopeValue(scope, def, scopeValue);
    const inst = await ledgerStore.getInstance(db, scope.owner, name, v);
    return { v, inst: inst ? typed(def, inst) : null };
  };

  return {
    async get(scope, name, scopeValue) {
      const { v, inst } = await find(scope, name, scopeValue);
      if (!inst) throw instanceNotFound(name, v);
      return inst;
    },
    find: async (scope, name, scopeValue) => (await find(scope, name, scopeValue)).inst,
    async set(scope, name, scopeValue, rawData, rawMode, actor) {
      await requireWrite(scope, 'ledger.set', name);
      const def = await usable(scope, name);
      const mode = checkSetMode(rawMode);
      const data = checkData(rawData);
      const v = await resolveScopeValue(scope, def, scopeValue);
      // Optimistic compare-and-set on the instance's version, in one transaction with the
      // kept version: a concurrent MERGE re-reads and merges again, so no key is lost on
      // either database (PostgreSQL's conditional UPDATE waits for the row lock, then fails).
      for (let attempt = 1; ; attempt++) {
        const at = deps.now().toISOString();
        const done = await db.transaction().execute(async (trx) => {
          const cur = await ledgerStore.getInstance(trx, scope.owner, name, v);
          const next = mode === 'Merge' && cur ? { ...cur.data, ...data } : data;
          const { json, size } = encodeData(next, def.direction, name);
          const w = { owner: scope.owner, ledger: name, scopeValue: v, dataJson: json, sizeBytes: size, at, by: actor?.id ?? scope.principal.userId };
          if (!cur) {
            await ledgerStore.insertInstance(trx, w);
          } else {
            if (!(await ledgerStore.replaceInstance(trx, w, cur.version))) return false;
            await ledgerStore.keepVersion(trx, scope.owner, cur, at, keep);
          }
          await record(scope, 'ledger.set', `${name}/${v}`, actor, `${mode}, ${size} bytes`, trx);
          return announce(trx, scope, def, v, 'set', next, at, actor);
        }).catch((e: unknown) => {
          if (isUniqueViolation(e)) return false as const;
          throw e;
        });
        if (done) {
          committed(done);
          break;
        }
        if (attempt >= MAX_ATTEMPTS) throw new HushError('conflict', `ledger '${name}' instance '${v}' is changing too often; try again`);
      }
      const inst = await ledgerStore.getInstance(db, scope.owner, name, v);
      if (!inst) throw instanceNotFound(name, v);
      return typed(def, inst);
    },
    async remove(scope, name, scopeValue, actor) {
      await requireWrite(scope, 'ledger.delete', name);
      const def = await usable(scope, name);
      const v = await resolveScopeValue(scope, def, scopeValue);
      // Its kept versions go with it: a recreated instance starts again at version 1.
      const deleted = await db.transaction().execute(async (trx) => {
        const cur = hooks.length > 0 ? await ledgerStore.getInstance(trx, scope.owner, name, v) : null;
        if (!(await ledgerStore.deleteInstance(trx, scope.owner, name, v))) return false;
        await record(scope, 'ledger.delete', `${name}/${v}`, actor, 'deleted', trx);
        return announce(trx, scope, def, v, 'delete', cur?.data ?? {}, deps.now().toISOString(), actor);
      });
      if (!deleted) throw instanceNotFound(name, v);
      committed(deleted);
    },
    async list(scope, name, f) {
      await requireRead(scope, name);
      const def = await findDefinition(db, scope.owner, name);
      const r = await ledgerStore.listInstances(db, scope.owner, name, (f.page - 1) * f.perPage, f.perPage);
      return { items: r.items.map((i) => typed(def, i)), page: f.page, perPage: f.perPage, total: r.total };
    },
    async versions(scope, name, scopeValue, f) {
      await requireRead(scope, name);
      const def = await findDefinition(db, scope.owner, name);
      const v = await resolveScopeValue(scope, def, scopeValue);
      return (await ledgerStore.listVersions(db, scope.owner, name, v, f)).map((i) => typed(def, i));
    },
    async version(scope, name, scopeValue, version) {
      await requireRead(scope, name);
      const def = await findDefinition(db, scope.owner, name);
      const v = await resolveScopeValue(scope, def, scopeValue);
      const r = await ledgerStore.getVersion(db, scope.owner, name, v, version);
      if (!r) throw new HushError('not_found', `ledger '${name}' instance '${v}' has no kept version ${version}`);
      return typed(def, r);
    },
  };
}
