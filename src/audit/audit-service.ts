import { sql } from 'kysely';
import type { OwnerRef } from '../shared/ids.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';
import type { AuditStream } from './audit-stream.ts';

/** One audit record. Never carries a secret value. */
export interface AuditEntry {
  readonly id: string;
  readonly owner: string;
  readonly actorId: string;
  readonly action: string;
  readonly target: string;
  readonly outcome: 'ok' | 'denied';
  readonly detail: string | null;
  readonly createdAt: string;
}

export interface AuditInput {
  readonly owner: OwnerRef;
  readonly actorId: string;
  /** e.g. `secret.create`, `secret.replace`, `member.add`. */
  readonly action: string;
  readonly target: string;
  readonly outcome?: 'ok' | 'denied';
  readonly detail?: string;
}

/** A page of the trail, newest first, narrowed by any of the filters. */
export interface AuditQuery {
  readonly limit?: number;
  /** Entries older than this id (the last id of the previous page). */
  readonly before?: string;
  readonly actorId?: string;
  /** `secret.create` (that action) or `secret` (every action of the family). */
  readonly action?: string;
  /** Part of the target, any case. */
  readonly target?: string;
  readonly outcome?: 'ok' | 'denied';
  /** ISO times (from `toISOString`), inclusive. */
  readonly since?: string;
  readonly until?: string;
}

export interface AuditService {
  /** Records inside the caller's transaction when one is given. */
  record(input: AuditInput, trx?: DbOrTrx): Promise<void>;
  list(owner: OwnerRef, opts?: AuditQuery): Promise<AuditEntry[]>;
  /** Throws 503 in fail-closed mode while no audit sink can be written (asked before a change). */
  assertWritable(): void;
  /** Flushes and closes the audit sinks. */
  close(): Promise<void>;
}

/**
 * Audit ids that sort in recording order within this process even when several entries
 * share a millisecond (a denied attempt and the retry that follows it, say): after the
 * first id of a millisecond, the random tail of the previous id is incremented instead.
 */
function monotonicIds(): (now: Date) => string {
  let last = '';
  return (now) => {
    let id = sortableId(now);
    if (id <= last) {
      const tail = (BigInt(`0x${last.slice(13)}`) + 1n).toString(16).padStart(12, '0');
      id = tail.length > 12 ? (parseInt(last.slice(0, 13), 16) + 1).toString(16).padStart(13, '0') + '0'.repeat(12) : last.slice(0, 13) + tail;
    }
    last = id;
    return id;
  };
}

/** Longest target kept: a refused attempt may name anything the caller sent (a 1 MB "name"). */
export const AUDIT_TARGET_MAX = 200;

const clampTarget = (t: string): string => (t.length > AUDIT_TARGET_MAX ? `${t.slice(0, AUDIT_TARGET_MAX)}…` : t);

export function createAuditService(deps: { readonly db: Db; readonly now: () => Date; readonly stream?: AuditStream }): AuditService {
  const nextId = monotonicIds();
  return {
    async record(input, trx) {
      const now = deps.now();
      const entry: AuditEntry = {
        id: nextId(now),
        owner: input.owner,
        actorId: input.actorId,
        action: input.action,
        target: clampTarget(input.target),
        outcome: input.outcome ?? 'ok',
        detail: input.detail ?? null,
        createdAt: now.toISOString(),
      };
      await (trx ?? deps.db)
        .insertInto('audit_log')
        .values({
          id: entry.id,
          owner: entry.owner,
          actor_id: entry.actorId,
          action: entry.action,
          target: entry.target,
          outcome: entry.outcome,
          detail: entry.detail,
          created_at: entry.createdAt,
        })
        .execute();
      // Inside the caller's transaction: in fail-closed mode an entry no sink takes throws
      // 503 and the change rolls back with it.
      deps.stream?.publish(entry);
    },
    assertWritable: () => deps.stream?.assertWritable(),
    close: async () => deps.stream?.close(),
    async list(owner, opts = {}) {
      let q = deps.db.selectFrom('audit_log').selectAll().where('owner', '=', owner);
      if (opts.before) q = q.where('id', '<', opts.before);
      if (opts.actorId) q = q.where('actor_id', '=', opts.actorId);
      if (opts.action) q = q.where(opts.action.includes('.') ? sql<boolean>`action = ${opts.action}` : sql<boolean>`action like ${`${likeEscaped(opts.action)}.%`} escape '\\'`);
      if (opts.target) q = q.where(sql<boolean>`lower(target) like ${`%${likeEscaped(opts.target.toLowerCase())}%`} escape '\\'`);
      if (opts.outcome) q = q.where('outcome', '=', opts.outcome);
      if (opts.since) q = q.where('created_at', '>=', opts.since);
      if (opts.until) q = q.where('created_at', '<=', opts.until);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(opts.limit ?? 100, 1), 1000))
        .execute();
      return rows.map((r) => ({
        id: r.id,
        owner: r.owner,
        actorId: r.actor_id,
        action: r.action,
        target: r.target,
        outcome: r.outcome === 'denied' ? 'denied' : 'ok',
        detail: r.detail,
        createdAt: r.created_at,
      }));
    },
  };
}

/** `text` with LIKE's wildcards taken literally (escape character `\\`). */
const likeEscaped = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
