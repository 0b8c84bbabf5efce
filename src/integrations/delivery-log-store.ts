import { powerOfTwoChunks } from '../shared/chunk-fns.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';
import { prepareQuery } from '../store/prepared-query.ts';

/** One delivery attempt as users see it; every text field is masked before it is stored. */
export interface DeliveryLogEntry {
  readonly id: string;
  readonly time: string;
  readonly attempt: number;
  readonly duration_ms: number;
  readonly outcome: 'success' | 'retry' | 'error';
  readonly request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body: string | null } | null;
  readonly response: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string } | null;
  readonly error: string | null;
}

export const LOGS_KEPT_PER_INTEGRATION = 100;

/** One entry to store for an integration. */
export interface NewLogEntry {
  readonly integrationId: string;
  readonly owner: string;
  readonly entry: Omit<DeliveryLogEntry, 'id'>;
}


const COLUMNS = 6;
const insertQuery = prepareQuery((db, arg, size) =>
  db.insertInto('delivery_logs').values(
    Array.from({ length: size }, (_, i) => ({
      id: arg(i * COLUMNS), integration_id: arg(i * COLUMNS + 1), owner: arg(i * COLUMNS + 2), entry_json: arg(i * COLUMNS + 3), outcome: arg(i * COLUMNS + 4), created_at: arg(i * COLUMNS + 5),
    })),
  ),
);

export function createDeliveryLogStore(db: Db) {
  /** Keeps the newest N of an integration: finds the N-th newest id and drops everything older. */
  const trim = async (integrationId: string): Promise<void> => {
    const cutoff = await db
      .selectFrom('delivery_logs')
      .select('id')
      .where('integration_id', '=', integrationId)
      .orderBy('id', 'desc')
      .offset(LOGS_KEPT_PER_INTEGRATION - 1)
      .limit(1)
      .executeTakeFirst();
    if (cutoff) await db.deleteFrom('delivery_logs').where('integration_id', '=', integrationId).where('id', '<', cutoff.id).execute();
  };
  const appendMany = async (to: DbOrTrx, entries: readonly NewLogEntry[]): Promise<void> => {
    const rows = entries.map(({ integrationId, owner, entry }) => {
      const id = sortableId(new Date(entry.time));
      return [id, integrationId, owner, JSON.stringify({ id, ...entry }), entry.outcome, entry.time];
    });
    for (const chunk of powerOfTwoChunks(rows, 128)) await insertQuery.execute(to, chunk.flat(), chunk.length);
  };
  return {
    /** Stores one entry and trims the integration's log at once. */
    async append(integrationId: string, owner: string, entry: Omit<DeliveryLogEntry, 'id'>): Promise<void> {
      await appendMany(db, [{ integrationId, owner, entry }]);
      await trim(integrationId);
    },
    /** Stores entries (in the caller's transaction); the caller trims later with `trim`. */
    appendMany,
    trim,
    async list(integrationId: string, limit = LOGS_KEPT_PER_INTEGRATION): Promise<DeliveryLogEntry[]> {
      const rows = await db.selectFrom('delivery_logs').select('entry_json').where('integration_id', '=', integrationId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => JSON.parse(r.entry_json) as DeliveryLogEntry);
    },
  };
}

export type DeliveryLogStore = ReturnType<typeof createDeliveryLogStore>;
