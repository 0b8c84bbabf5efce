import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { HushEvent } from '../events/event-types.ts';
import { newEvent } from '../events/new-event-fns.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { hexId } from '../shared/ids.ts';
import type { Db } from '../store/database-types.ts';
import type { DeliveryLogEntry } from './delivery-log-store.ts';
import type { IntegrationRecord, IntegrationStore } from './integration-store.ts';
import { parseWebhookConfig } from './webhook/webhook-config-fns.ts';
import type { WebhookScope } from './webhook/webhook-types.ts';

/** A scope plus, for product integrations, the product they belong to. */
export interface IntegrationScope {
  readonly scope: Scope;
  readonly kind: WebhookScope;
  readonly productId: number | null;
  readonly productSlug: string | null;
}

export interface IntegrationService {
  list(s: IntegrationScope): Promise<IntegrationRecord[]>;
  get(s: IntegrationScope, id: string): Promise<IntegrationRecord>;
  create(s: IntegrationScope, input: unknown): Promise<IntegrationRecord>;
  /** Replaces the whole configuration (no merge), as the API documents. */
  replace(s: IntegrationScope, id: string, input: unknown): Promise<IntegrationRecord>;
  remove(s: IntegrationScope, id: string): Promise<void>;
  /** The integration with its latest delivery logs (`limit`, default all kept). */
  withLogs(s: IntegrationScope, id: string, limit?: number): Promise<{ record: IntegrationRecord; logs: DeliveryLogEntry[] }>;
  /**
   * One immediate, logged delivery of a test event. `read` parses the request after the
   * permission check: a test sends the selected secrets, so only writers may run it.
   */
  test(s: IntegrationScope, id: string, read: () => TestRequest): Promise<TestResult>;
}

export interface TestRequest {
  readonly data?: string;
  readonly device_id?: string;
  /** Send with the selected secrets' pending values where they have one (staged rotation). */
  readonly use_pending_secrets?: boolean;
}

export interface TestResult {
  readonly pass: boolean;
  readonly status: number | null;
  readonly data: string;
  readonly error: string | null;
}

/** Sends one delivery now (the delivery worker). */
export interface IntegrationTester {
  test(i: IntegrationRecord, e: HushEvent, opts?: { readonly pending?: boolean }): Promise<TestResult>;
}

export interface IntegrationServiceDeps {
  readonly db: Db;
  readonly store: IntegrationStore;
  readonly secrets: Pick<SecretStore, 'list' | 'setUsages'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly logs: { list(integrationId: string, limit?: number): Promise<DeliveryLogEntry[]> };
  readonly tester: IntegrationTester;
  readonly now: () => Date;
  /** Most integrations one owner may have. */
  readonly maxPerOwner?: number;
}

const notFound = (id: string) => new HushError('not_found', `integration '${id}' not found`);

export function createIntegrationService(deps: IntegrationServiceDeps): IntegrationService {
  const { db, store } = deps;
  const place = (s: IntegrationScope) => ({ owner: s.scope.owner, productId: s.productId });
  const requireWrite = (s: IntegrationScope, action: string, target: string, doing = 'changing integrations') =>
    requirePermission(deps.audit, s.scope, 'write', { action, target, doing });
  const get = async (s: IntegrationScope, id: string) => {
    const r = await store.get(db, place(s), id);
    if (!r) throw notFound(id);
    return r;
  };
  const parse = async (s: IntegrationScope, input: unknown) => {
    const known = new Set((await deps.secrets.list(db, s.scope.owner)).map((x) => x.name));
    return parseWebhookConfig(input, { knownSecrets: known, scope: s.kind });
  };
  const consumer = (id: string, name: string, s: IntegrationScope) => ({
    consumerType: 'integration' as const,
    consumerId: id,
    consumerName: name,
    productSlug: s.productSlug,
  });

  return {
    list: (s) => store.list(db, place(s)),
    get,
    async withLogs(s, id, limit) {
      const record = await get(s, id);
      return { record, logs: await deps.logs.list(record.id, limit) };
    },
    async test(s, id, read) {
      const r = await get(s, id);
      await requireWrite(s, 'integration.test', `${r.config.name} (${id})`, 'testing integrations');
      const b = read();
      const event = newEvent(
        { owner: s.scope.owner, name: r.config.event, data: b.data ?? 'test-event', coreid: b.device_id ?? 'api', productId: s.productId, deviceId: b.device_id ?? null, userId: s.scope.principal.userId, source: 'api' },
        deps.now(),
      );
      return deps.tester.test(r, event, { pending: b.use_pending_secrets === true });
    },
    async create(s, input) {
      await requireWrite(s, 'integration.create', 'integration');
      const config = await parse(s, input);
      const existing = await store.list(db, place(s));
      if (existing.length >= (deps.maxPerOwner ?? 500)) throw new HushError('validation_failed', `at most ${deps.maxPerOwner ?? 500} integrations per owner`);
      const now = deps.now().toISOString();
      const rec: IntegrationRecord = {
        id: hexId(), owner: s.scope.owner, productId: s.productId, scopeKind: s.kind, config, createdAt: now, updatedAt: now,
        createdBy: s.scope.principal.userId, successCount: 0, errorCount: 0, lastStatus: null, lastAt: null, lastHttpStatus: null,
      };
      await db.transaction().execute(async (trx) => {
        await store.insert(trx, rec);
        await deps.secrets.setUsages(trx, s.scope.owner, consumer(rec.id, config.name, s), config.secrets);
        await deps.audit.record({ owner: s.scope.owner, actorId: rec.createdBy, action: 'integration.create', target: `${config.name} (${rec.id})` }, trx);
      });
      return rec;
    },
    async replace(s, id, input) {
      await requireWrite(s, 'integration.replace', id);
      const old = await store.get(db, place(s), id);
      if (!old) throw notFound(id);
      const config = await parse(s, input);
      const now = deps.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await store.update(trx, id, config, now);
        await deps.secrets.setUsages(trx, s.scope.owner, consumer(id, config.name, s), config.secrets);
        await deps.audit.record({ owner: s.scope.owner, actorId: s.scope.principal.userId, action: 'integration.replace', target: `${config.name} (${id})` }, trx);
      });
      return { ...old, config, updatedAt: now };
    },
    async remove(s, id) {
      await requireWrite(s, 'integration.delete', id);
      const old = await store.get(db, place(s), id);
      if (!old) throw notFound(id);
      await db.transaction().execute(async (trx) => {
        await store.delete(trx, id);
        await deps.secrets.setUsages(trx, s.scope.owner, consumer(id, old.config.name, s), []);
        await deps.audit.record({ owner: s.scope.owner, actorId: s.scope.principal.userId, action: 'integration.delete', target: `${old.config.name} (${id})` }, trx);
      });
    },
  };
}
