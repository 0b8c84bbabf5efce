import { HushError } from '../errors/errors.ts';
import type { DbOrTrx } from './database-types.ts';

export interface QueueGateOptions {
  /** The durable queue's table; its rows carry an `owner` column. */
  readonly table: 'deliveries' | 'logic_jobs';
  /** What the queue holds, for messages ("webhook deliveries"). */
  readonly what: string;
  /** Most rows waiting in all. */
  readonly max: number;
  /** Most rows one owner may have waiting (default: `max`, no separate limit). */
  readonly maxPerOwner?: number;
  /** How long counts read from the table are reused (default 500 ms). */
  readonly refreshMs?: number;
  readonly nowMs?: () => number;
}

/** Rows a transaction is about to add, by owner. */
export type QueueAdds = ReadonlyMap<string, number>;

/**
 * Admission control for a durable queue: publishing answers 429 rather than letting the
 * table grow without bound, and one owner cannot take the share every other owner needs.
 *
 * Counts come from the table, so rows written by every node count, but they are read at
 * most every `refreshMs` and what this node admitted since is added on top: a busy
 * publisher pays one count per interval, not one per transaction. An owner's own count
 * matters only once the whole queue is past the per-owner limit (an owner cannot hold more
 * than the whole), so the per-owner read (one grouped count) happens only under overload.
 */
export function createQueueGate(opts: QueueGateOptions) {
  const refreshMs = opts.refreshMs ?? 500;
  const nowMs = opts.nowMs ?? Date.now;
  const maxPerOwner = Math.min(opts.maxPerOwner ?? opts.max, opts.max);
  let total = 0;
  let totalAt = Number.NEGATIVE_INFINITY;
  let owners = new Map<string, number>();
  let ownersAt = Number.NEGATIVE_INFINITY;

  const full = (message: string) => new HushError('too_many_requests', message, { details: { retry_after: 1 } });

  // Both reads take the caller's executor: on SQLite the one connection is held by the
  // publishing transaction, and a query on another executor would wait for it forever.
  const readTotal = async (db: DbOrTrx, now: number) => {
    const r = await db.selectFrom(opts.table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    total = Number(r?.n ?? 0);
    totalAt = now;
  };
  const readOwners = async (db: DbOrTrx, now: number) => {
    const rows = await db.selectFrom(opts.table).select((eb) => ['owner', eb.fn.countAll<number>().as('n')] as const).groupBy('owner').execute();
    owners = new Map(rows.map((r) => [r.owner, Number(r.n)]));
    ownersAt = now;
  };

  return {
    /**
     * Refuses (429, `retry_after` 1 s) when adding `adds` would pass a limit; otherwise
     * counts them as waiting. Call inside the transaction that writes the rows.
     */
    async admit(db: DbOrTrx, adds: QueueAdds): Promise<void> {
      let adding = 0;
      for (const n of adds.values()) adding += n;
      if (adding === 0) return;
      const now = nowMs();
      if (now - totalAt >= refreshMs) await readTotal(db, now);
      if (total + adding > opts.max) throw full(`the ${opts.what} queue is full (${opts.max} waiting); retry shortly`);
      if (total + adding > maxPerOwner) {
        if (now - ownersAt >= refreshMs) await readOwners(db, now);
        for (const [owner, n] of adds) {
          if ((owners.get(owner) ?? 0) + n > maxPerOwner) {
            throw full(`this account has ${owners.get(owner) ?? 0} ${opts.what} waiting, its most (${maxPerOwner}); retry shortly`);
          }
        }
      }
      total += adding;
      for (const [owner, n] of adds) if (ownersAt > Number.NEGATIVE_INFINITY) owners.set(owner, (owners.get(owner) ?? 0) + n);
    },
    /** Reads the count now (the depth shown to operators and tests). */
    async depth(db: DbOrTrx): Promise<number> {
      await readTotal(db, nowMs());
      return total;
    },
  };
}

export type QueueGate = ReturnType<typeof createQueueGate>;

/** Rows by owner, for `admit`. */
export function addsByOwner<T>(items: readonly T[], ownerOf: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) {
    const o = ownerOf(i);
    out.set(o, (out.get(o) ?? 0) + 1);
  }
  return out;
}
