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

export function createAuditService(deps: { readonly db: Db; readonly now: () => Date }): AuditService {
  return {
    async record(input, trx) {
      const now = deps.now();
      await (trx ?? deps.db)
        .insertInto('audit_log')
        .values({
          id: sortableId(now),
          owner: input.owner,
          actor_id: input.actorId,
          action: input.action,
          target: input.target,
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
