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

/** What `GET …/logs` shows (the history route pages through everything kept). */
export const LOGS_KEPT_PER_INTEGRATION = 100;

/** An attempt's place in the history: delivered, failed (retried, or a failed test), or the last attempt of a dead letter. */
export type AttemptStatus = 'sent' | 'failed' | 'dead';

/** One entry to store for an integration. */
export interface NewLogEntry {
  readonly integrationId: string;
  readonly owner: string;
  readonly entry: Omit<DeliveryLogEntry, 'id'>;
  readonly deliveryId?: string | null;
  readonly status?: AttemptStatus;
  readonly eventName?: string | null;
  readonly replayOf?: string | null;
}

/** A history entry: the log entry plus its delivery, status, event and replay links. */
export interface HistoryEntry extends DeliveryLogEntry {
  readonly delivery_id: string | null;
  readonly status: AttemptStatus | null;
  readonly event: string | null;
  readonly replay_of: string | null;
  /** For a dead letter: the delivery its replay created. */
  readonly replayed_as: string | null;
  /** A "Send test event" attempt (`POST …/test`): it belongs to no queued delivery. */
  readonly test: boolean;
}

export interface HistoryQuery {
  readonly status?: AttemptStatus;
  /** ISO time: entries at or after it. */
  readonly since?: string;
  /** Cursor: entries older than this entry id. */
  readonly before?: string;
  readonly limit: number;
}

/** The smallest sortable id of a time: every id minted at or after `t` sorts at or above it. */
export const idFloor = (t: Date): string => t.getTime().toString(16).padStart(13, '0');

const COLUMNS = 10;
const insertQuery = prepareQuery((db, arg, size) =>
  db.insertInto('delivery_logs').values(
    Array.from({ length: size }, (_, i) => {
      const c = (k: number) => arg(i * COLUMNS + k);
      return { id: c(0), integration_id: c(1), owner: c(2), entry_json: c(3), outcome: c(4), created_at: c(5), delivery_id: c(6), status: c(7), event_name: c(8), replay_of: c(9) };
    }),
  ),
);

export function createDeliveryLogStore(db: Db) {
  const appendMany = async (to: DbOrTrx, entries: readonly NewLogEntry[]): Promise<void> => {
    const rows = entries.map((e) => {
      const id = sortableId(new Date(e.entry.time));
      const status = e.status ?? (e.entry.outcome === 'success' ? 'sent' : 'failed');
      return [id, e.integrationId, e.owner, JSON.stringify({ id, ...e.entry }), e.entry.outcome, e.entry.time, e.deliveryId ?? null, status, e.eventName ?? null, e.replayOf ?? null];
    });
    for (const chunk of powerOfTwoChunks(rows, 128)) await insertQuery.execute(to, chunk.flat(), chunk.length);
  };
  return {
    /** Stores entries (in the caller's transaction); old ones go with `trimBefore`. */
    appendMany,
    /** Drops every integration's entries older than `cutoff` (the retention; ids start with their time). */
    async trimBefore(cutoff: Date): Promise<void> {
      await db.deleteFrom('delivery_logs').where('id', '<', idFloor(cutoff)).execute();
    },
    async list(integrationId: string, limit = LOGS_KEPT_PER_INTEGRATION): Promise<DeliveryLogEntry[]> {
      const rows = await db.selectFrom('delivery_logs').select('entry_json').where('integration_id', '=', integrationId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => JSON.parse(r.entry_json) as DeliveryLogEntry);
    },
    /** Every attempt kept, newest first, one page at a time. */
    async history(integrationId: string, q: HistoryQuery): Promise<HistoryEntry[]> {
      let query = db
        .selectFrom('delivery_logs as l')
        .leftJoin('dead_letters as d', (j) => j.onRef('d.id', '=', 'l.delivery_id').on('l.status', '=', 'dead'))
        .select(['l.entry_json', 'l.delivery_id', 'l.status', 'l.event_name', 'l.replay_of', 'd.replayed_as'])
        .where('l.integration_id', '=', integrationId);
      if (q.status !== undefined) query = query.where('l.status', '=', q.status);
      if (q.since !== undefined) query = query.where('l.id', '>=', idFloor(new Date(q.since)));
      if (q.before !== undefined) query = query.where('l.id', '<', q.before);
      const rows = await query.orderBy('l.id', 'desc').limit(q.limit).execute();
      return rows.map((r) => ({
        ...(JSON.parse(r.entry_json) as DeliveryLogEntry),
        delivery_id: r.delivery_id, status: r.status as AttemptStatus | null, event: r.event_name, replay_of: r.replay_of, replayed_as: r.replayed_as ?? null,
        test: r.delivery_id === null,
      }));
    },
  };
}

export type DeliveryLogStore = ReturnType<typeof createDeliveryLogStore>;
