import type { AuditService } from '../audit/audit-service.ts';
import type { Principal } from '../auth/auth-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import { HushError } from '../errors/errors.ts';
import type { OrgService } from '../orgs/org-service.ts';
import type { Db } from '../store/database-types.ts';
import { isUniqueViolation } from '../store/retry-fns.ts';
import { renderOf, reviewOf, stateOf } from './env-render.ts';
import { applyOps, checkKey, checkValue, checkWhen, readOps } from './env-rules.ts';
import { envStore } from './env-store.ts';
import { chainOf, deviceTarget } from './env-targets.ts';
import type { EnvDiff, EnvRender, EnvState, EnvTarget, EnvValues } from './env-types.ts';

/** Environment variables of one scope, with role checks and audit (spec ledger-and-env §2). */
export interface EnvService {
  state(t: EnvTarget): Promise<EnvState>;
  /** `{ ops: [...] }`: 1 to 50 Set/Unset operations, applied together. */
  update(t: EnvTarget, body: unknown): Promise<EnvState>;
  set(t: EnvTarget, key: string, body: unknown): Promise<EnvState>;
  /** 404 when the key is not this scope's own. */
  remove(t: EnvTarget, key: string): Promise<EnvState>;
  render(t: EnvTarget, source: 'latest' | 'snapshot'): Promise<EnvRender>;
  review(t: EnvTarget): Promise<EnvDiff>;
  rollout(t: EnvTarget, body: unknown): Promise<void>;
  /** The scope of a device the caller may see (404 for another tenant's device). */
  deviceTarget(principal: Principal, deviceId: string): Promise<EnvTarget>;
}

/** What Logic reads: the rolled-out environment of an owner, a product and a device. */
export interface EnvReader {
  /** The device's product is looked up when `productId` is null. */
  liveEnv(owner: string, productId: number | null, deviceId: string | null): Promise<Record<string, string>>;
}

export interface EnvServiceDeps {
  readonly db: Db;
  readonly audit: Pick<AuditService, 'record'>;
  readonly orgs: Pick<OrgService, 'sandboxScope' | 'orgScope'>;
  readonly now: () => Date;
}

/** Compare-and-set attempts before a change gives up (each lost race means another change landed). */
const MAX_ATTEMPTS = 100;

const allLayers = (t: EnvTarget) => [...t.parents.map((p) => p.layer), t.layer];
const targetName = (t: EnvTarget) => `env/${t.layer}`;

export function createEnvService(deps: EnvServiceDeps): EnvService & EnvReader {
  const { db, audit } = deps;
  const requireRead = (t: EnvTarget) => requirePermission(audit, t.scope, 'read', { action: 'env.read', target: targetName(t), doing: 'reading environment variables' });
  const requireWrite = (t: EnvTarget, action: string) => requirePermission(audit, t.scope, 'write', { action, target: targetName(t), doing: 'changing environment variables' });
  const layersOf = (t: EnvTarget) => envStore.layers(db, t.scope.owner, allLayers(t));

  /** One change of this scope's row in a transaction with its audit record, retried when another change won the race. */
  const change = async (t: EnvTarget, action: string, detail: string, write: 'own' | 'rollout', next: (own: EnvValues) => EnvValues): Promise<void> => {
    const owner = t.scope.owner;
    const by = t.scope.principal.userId;
    for (let attempt = 1; ; attempt++) {
      const at = deps.now().toISOString();
      const done = await db.transaction().execute(async (trx) => {
        const cur = (await envStore.layers(trx, owner, [t.layer])).get(t.layer);
        const own = next(cur?.own ?? {});
        if (!cur) await envStore.insert(trx, owner, { layer: t.layer, own, at, by, ...(write === 'rollout' ? { snapshot: own } : {}) });
        else if (write === 'own' ? !(await envStore.replaceOwn(trx, owner, t.layer, cur.version, { own, at, by })) : !(await envStore.rollout(trx, owner, t.layer, cur.version, { snapshot: own, at, by }))) return false;
        await audit.record({ owner, actorId: by, action, target: targetName(t), outcome: 'ok', detail }, trx);
        return true;
      }).catch((e: unknown) => {
        if (isUniqueViolation(e)) return false;
        throw e;
      });
      if (done) return;
      if (attempt >= MAX_ATTEMPTS) throw new HushError('conflict', 'these environment variables are changing too often; try again');
    }
  };
  const stateNow = async (t: EnvTarget) => stateOf(t, await layersOf(t));

  return {
    async state(t) {
      await requireRead(t);
      return stateNow(t);
    },
    async update(t, body) {
      await requireWrite(t, 'env.update');
      const ops = readOps(body);
      const set = ops.filter((o) => o.op === 'Set').map((o) => o.key);
      const unset = ops.filter((o) => o.op === 'Unset').map((o) => o.key);
      const detail = [set.length ? `set ${set.join(', ')}` : '', unset.length ? `unset ${unset.join(', ')}` : ''].filter(Boolean).join('; ');
      await change(t, 'env.update', detail, 'own', (own) => applyOps(own, ops));
      return stateNow(t);
    },
    async set(t, key, body) {
      await requireWrite(t, 'env.set');
      checkKey(key);
      const raw = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).value : undefined;
      const value = checkValue(raw, key);
      await change(t, 'env.set', `set ${key}`, 'own', (own) => applyOps(own, [{ op: 'Set', key, value }]));
      return stateNow(t);
    },
    async remove(t, key) {
      await requireWrite(t, 'env.delete');
      checkKey(key);
      await change(t, 'env.delete', `unset ${key}`, 'own', (own) => {
        if (!Object.hasOwn(own, key)) throw new HushError('not_found', `environment variable '${key}' is not set at this scope`);
        return applyOps(own, [{ op: 'Unset', key }]);
      });
      return stateNow(t);
    },
    async render(t, source) {
      await requireRead(t);
      const layers = await layersOf(t);
      const me = layers.get(t.layer);
      return { env: renderOf(t, layers, source), lastUpdatedAt: me?.updatedAt ?? null, rolloutAt: me?.rolloutAt ?? null, rolloutBy: me?.rolloutBy ?? null };
    },
    async review(t) {
      await requireRead(t);
      return reviewOf(t, await layersOf(t));
    },
    async rollout(t, body) {
      await requireWrite(t, 'env.rollout');
      const when = checkWhen(body);
      const d = reviewOf(t, await layersOf(t));
      await change(t, 'env.rollout', `${when}, ${d.changes.length} change${d.changes.length === 1 ? '' : 's'}`, 'rollout', (own) => own);
    },
    deviceTarget: (principal, deviceId) => deviceTarget(db, deps.orgs, principal, deviceId),
    async liveEnv(owner, productId, deviceId) {
      const device = deviceId !== null && /^[0-9a-f]{24}$/i.test(deviceId) ? deviceId.toLowerCase() : null;
      const product = productId ?? (device !== null ? ((await envStore.deviceProduct(db, owner, device)) ?? null) : null);
      const chain = chainOf(product, device);
      const layers = await envStore.layers(db, owner, chain.map((c) => c.layer));
      const out: Record<string, string> = {};
      for (const c of chain) Object.assign(out, layers.get(c.layer)?.snapshot ?? {});
      return out;
    },
  };
}
