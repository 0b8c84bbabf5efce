import type { OwnerRef } from '../shared/ids.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';

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

export interface AuditService {
  /** Records inside the caller's transaction when one is given. */
  record(input: AuditInput, trx?: DbOrTrx): Promise<void>;
  list(owner: OwnerRef, opts?: { limit?: number; before?: string }): Promise<AuditEntry[]>;
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

export function createAuditService(deps: { readonly db: Db; readonly now: () => Date }): AuditService {
  const nextId = monotonicIds();
  return {
    async record(input, trx) {
      const now = deps.now();
      await (trx ?? deps.db)
        .insertInto('audit_log')
        .values({
          id: nextId(now),
          owner: input.owner,
          actor_id: input.actorId,
          action: input.action,
          target: clampTarget(input.target),
          outcome: input.outcome ?? 'ok',
          detail: input.detail ?? null,
          created_at: now.toISOString(),
        })
        .execute();
    },
    async list(owner, opts = {}) {
      let q = deps.db.selectFrom('audit_log').selectAll().where('owner', '=', owner);
      if (opts.before) q = q.where('id', '<', opts.before);
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
