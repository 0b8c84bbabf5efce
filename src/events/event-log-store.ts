import type { DbOrTrx } from '../store/database-types.ts';
import type { EventSource, HushEvent } from './event-types.ts';

type Row = {
  id: string; owner: string; name: string; data: string | null; ttl: number; is_public: number; published_at: string;
  coreid: string; product_id: number | null; device_id: string | null; user_id: string | null; source: string;
};

const toEvent = (r: Row): HushEvent => ({
  id: r.id,
  owner: r.owner,
  name: r.name,
  data: r.data,
  ttl: Number(r.ttl),
  isPublic: Number(r.is_public) === 1,
  publishedAt: r.published_at,
  coreid: r.coreid,
  productId: r.product_id === null ? null : Number(r.product_id),
  deviceId: r.device_id,
  userId: r.user_id,
  source: r.source as EventSource,
});

const toRow = (e: HushEvent, createdMs: number) => ({
  id: e.id, owner: e.owner, name: e.name, data: e.data, ttl: e.ttl, is_public: e.isPublic ? 1 : 0, published_at: e.publishedAt,
  coreid: e.coreid, product_id: e.productId, device_id: e.deviceId, user_id: e.userId, source: e.source, created_ms: createdMs,
});


export async function insertEvent(db: DbOrTrx, e: HushEvent, createdMs: number): Promise<void> {
  await db.insertInto('event_log').values(toRow(e, createdMs)).execute();
}

export async function eventById(db: DbOrTrx, id: string): Promise<HushEvent | null> {
  const r = await db.selectFrom('event_log').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toEvent(r) : null;
}

/** Drops events older than `maxAgeMs`; they only carry large events between nodes. */
export async function pruneEvents(db: DbOrTrx, olderThanMs: number): Promise<number> {
  const r = await db.deleteFrom('event_log').where('created_ms', '<', olderThanMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}
