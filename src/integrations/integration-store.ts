import { paddedInList } from '../shared/chunk-fns.ts';
import type { DbOrTrx } from '../store/database-types.ts';
import { prepareQuery } from '../store/prepared-query.ts';
import type { WebhookConfig, WebhookScope } from './webhook/webhook-types.ts';

export interface IntegrationRecord {
  readonly id: string;
  readonly owner: string;
  readonly productId: number | null;
  readonly scopeKind: WebhookScope;
  readonly config: WebhookConfig;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly successCount: number;
  readonly errorCount: number;
  readonly lastStatus: 'success' | 'error' | null;
  readonly lastAt: string | null;
  readonly lastHttpStatus: number | null;
}

type Row = {
  id: string; owner: string; product_id: number | null; scope_kind: string; config_json: string; created_at: string; updated_at: string;
  created_by: string; success_count: number; error_count: number; last_status: string | null; last_at: string | null; last_http_status: number | null;
};

const toRecord = (r: Row): IntegrationRecord => ({
  id: r.id,
  owner: r.owner,
  productId: r.product_id === null ? null : Number(r.product_id),
  scopeKind: r.scope_kind as WebhookScope,
  config: JSON.parse(r.config_json) as WebhookConfig,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  createdBy: r.created_by,
  successCount: Number(r.success_count),
  errorCount: Number(r.error_count),
  lastStatus: r.last_status === 'success' || r.last_status === 'error' ? r.last_status : null,
  lastAt: r.last_at,
  lastHttpStatus: r.last_http_status === null ? null : Number(r.last_http_status),
});

/** Where an integration lives: an owner and, for product integrations, the product. */
export interface IntegrationPlace {
  readonly owner: string;
  readonly productId: number | null;
}

/** Final outcomes of one integration's deliveries, written as one counter update. */
export interface OutcomeTally {
  readonly success: number;
  readonly error: number;
  readonly lastOk: boolean;
  readonly at: string;
  readonly httpStatus: number | null;
}

// Hot path (every publishing transaction and delivery batch): compiled once, see prepared-query.ts.
const candidatesQuery = prepareQuery((db, arg, withProduct) => {
  const q = db.selectFrom('integrations').selectAll().where('disabled', '=', 0);
  return withProduct === 0
    ? q.where('owner', '=', arg(0)).where('product_id', 'is', null)
    : q.where((eb) => eb.or([eb.and([eb('owner', '=', arg(0)), eb('product_id', 'is', null)]), eb('product_id', '=', arg(1))]));
});
const byIdsQuery = prepareQuery((db, arg, size) =>
  db.selectFrom('integrations').selectAll().where('id', 'in', Array.from({ length: size }, (_, i) => arg(i))),
);
/** Shapes: bit 0 = add successes, bit 1 = add errors. */
const outcomesQuery = prepareQuery((db, arg, shape) =>
  db
    .updateTable('integrations')
    .set((eb) => ({
      success_count: shape & 1 ? eb('success_count', '+', arg(0)) : eb.ref('success_count'),
      error_count: shape & 2 ? eb('error_count', '+', arg(1)) : eb.ref('error_count'),
      last_status: arg(2),
      last_at: arg(3),
      last_http_status: arg(4),
    }))
    .where('id', '=', arg(5)),
);

export function createIntegrationStore() {
  const inPlace = (db: DbOrTrx, place: IntegrationPlace) => {
    const q = db.selectFrom('integrations').selectAll().where('owner', '=', place.owner);
    return place.productId === null ? q.where('product_id', 'is', null) : q.where('product_id', '=', place.productId);
  };
  /** Several final outcomes of one integration at once; `last*` describe the newest. */
  const recordOutcomes = async (db: DbOrTrx, id: string, o: OutcomeTally): Promise<void> => {
    const shape = (o.success > 0 ? 1 : 0) | (o.error > 0 ? 2 : 0);
    await outcomesQuery.execute(db, [o.success, o.error, o.lastOk ? 'success' : 'error', o.at, o.httpStatus, id], shape);
  };
  return {
    async list(db: DbOrTrx, place: IntegrationPlace): Promise<IntegrationRecord[]> {
      return (await inPlace(db, place).orderBy('created_at').orderBy('id').execute()).map(toRecord);
    },
    async get(db: DbOrTrx, place: IntegrationPlace, id: string): Promise<IntegrationRecord | null> {
      const r = await inPlace(db, place).where('id', '=', id).executeTakeFirst();
      return r ? toRecord(r) : null;
    },
    async byId(db: DbOrTrx, id: string): Promise<IntegrationRecord | null> {
      const r = await db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRecord(r) : null;
    },
    async byIds(db: DbOrTrx, ids: readonly string[]): Promise<IntegrationRecord[]> {
      if (ids.length === 0) return [];
      const padded = paddedInList(ids);
      return (await byIdsQuery.execute(db, padded, padded.length)).rows.map(toRecord);
    },
    /** Enabled integrations that may match an event of `owner` (prefix and device are checked by the caller). */
    async candidates(db: DbOrTrx, owner: string, productId: number | null): Promise<IntegrationRecord[]> {
      return (await candidatesQuery.execute(db, [owner, productId], productId === null ? 0 : 1)).rows.map(toRecord);
    },
    async insert(db: DbOrTrx, r: IntegrationRecord): Promise<void> {
      await db
        .insertInto('integrations')
        .values({
          id: r.id, owner: r.owner, product_id: r.productId, scope_kind: r.scopeKind, name: r.config.name, event: r.config.event,
          device_id: r.config.deviceId ?? null, disabled: r.config.disabled ? 1 : 0, config_json: JSON.stringify(r.config),
          created_at: r.createdAt, updated_at: r.updatedAt, created_by: r.createdBy, success_count: 0, error_count: 0,
          last_status: null, last_at: null, last_http_status: null,
        })
        .execute();
    },
    async update(db: DbOrTrx, id: string, config: WebhookConfig, at: string): Promise<void> {
      await db
        .updateTable('integrations')
        .set({ name: config.name, event: config.event, device_id: config.deviceId ?? null, disabled: config.disabled ? 1 : 0, config_json: JSON.stringify(config), updated_at: at })
        .where('id', '=', id)
        .execute();
    },
    async delete(db: DbOrTrx, id: string): Promise<void> {
      await db.deleteFrom('integrations').where('id', '=', id).execute();
      await db.deleteFrom('deliveries').where('integration_id', '=', id).execute();
      await db.deleteFrom('dead_letters').where('integration_id', '=', id).execute();
      await db.deleteFrom('delivery_logs').where('integration_id', '=', id).execute();
      await db.deleteFrom('delivery_pacing').where('integration_id', '=', id).execute();
    },
    /** Counter updates are increments in SQL, so several nodes never lose one. */
    recordOutcomes,
  };
}

export type IntegrationStore = ReturnType<typeof createIntegrationStore>;
