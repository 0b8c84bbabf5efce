import type { Db, DbOrTrx } from '../store/database-types.ts';

/** A paused host as every node sees it (migration 017). */
export interface PausedHost {
  /** Hash of owner and host name (see `hostKey`). */
  readonly id: string;
  readonly owner: string;
  /** The host name as the owner's masker shows it. */
  readonly host: string;
  readonly pausedAtMs: number;
  /** The window's counts that paused it. */
  readonly errors: number;
  readonly successes: number;
  readonly lastError: string | null;
  /** When the next probe may go. */
  readonly probeAtMs: number;
  readonly probeIntervalMs: number;
  readonly probes: number;
  /** A probe in flight holds this lease; another node may probe once it ran out. */
  readonly probeUntilMs: number | null;
}

type Row = { id: string; owner: string; host: string; paused_at_ms: number; errors: number; successes: number; last_error: string | null; probe_at_ms: number; probe_interval_ms: number; probes: number; probe_by: string | null; probe_until_ms: number | null };
const toPaused = (r: Row): PausedHost => ({
  id: r.id, owner: r.owner, host: r.host, pausedAtMs: Number(r.paused_at_ms), errors: Number(r.errors), successes: Number(r.successes), lastError: r.last_error,
  probeAtMs: Number(r.probe_at_ms), probeIntervalMs: Number(r.probe_interval_ms), probes: Number(r.probes), probeUntilMs: r.probe_until_ms === null ? null : Number(r.probe_until_ms),
});

/** The shared table of paused hosts: pause once, claim the one probe, resume. */
export function createHostHealthStore(db: Db) {
  return {
    /** Every paused host (each node's cache reads this; the table holds paused hosts only). */
    async all(): Promise<PausedHost[]> {
      return (await db.selectFrom('host_health').selectAll().execute()).map(toPaused);
    },
    async ofOwner(owner: string): Promise<PausedHost[]> {
      return (await db.selectFrom('host_health').selectAll().where('owner', '=', owner).orderBy('paused_at_ms').execute()).map(toPaused);
    },
    /** Pauses a host unless it is paused already; true only for the call that paused it (it announces). */
    async pause(h: Omit<PausedHost, 'probes' | 'probeUntilMs'>): Promise<boolean> {
      const r = await db
        .insertInto('host_health')
        .values({ id: h.id, owner: h.owner, host: h.host, paused_at_ms: h.pausedAtMs, errors: h.errors, successes: h.successes, last_error: h.lastError, probe_at_ms: h.probeAtMs, probe_interval_ms: h.probeIntervalMs, probe_by: null, probe_until_ms: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    /** Takes the probe of a paused host when it is due and no live probe holds it: one node, one request. */
    async claimProbe(id: string, node: string, nowMs: number, leaseMs: number): Promise<boolean> {
      const r = await db
        .updateTable('host_health')
        .set((eb) => ({ probe_by: node, probe_until_ms: nowMs + leaseMs, probes: eb('probes', '+', 1) }))
        .where('id', '=', id)
        .where('probe_at_ms', '<=', nowMs)
        .where((eb) => eb.or([eb('probe_until_ms', 'is', null), eb('probe_until_ms', '<', nowMs)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** A probe failed: the next one waits `intervalMs`. */
    async probeFailed(id: string, node: string, nowMs: number, intervalMs: number, lastError: string | null): Promise<void> {
      await db
        .updateTable('host_health')
        .set({ probe_by: null, probe_until_ms: null, probe_at_ms: nowMs + intervalMs, probe_interval_ms: intervalMs, last_error: lastError })
        .where('id', '=', id)
        .where('probe_by', '=', node)
        .execute();
    },
    /** Ends a pause in `trx`; answers the row, or null when it was not paused (resumed elsewhere first). */
    async resume(trx: DbOrTrx, id: string): Promise<PausedHost | null> {
      const row = await trx.deleteFrom('host_health').where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toPaused(row) : null;
    },
  };
}

export type HostHealthStore = ReturnType<typeof createHostHealthStore>;
