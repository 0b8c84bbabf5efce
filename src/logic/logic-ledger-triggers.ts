import type { LedgerChangeHook, LedgerInstanceChange } from '../ledger/ledger-types.ts';
import { sortableId } from '../shared/ids.ts';
import type { DbOrTrx } from '../store/database-types.ts';
import type { createQueueGate } from '../store/queue-gate.ts';
import { hearsChange } from './logic-ledger-trigger-fns.ts';
import type { LogicStore } from './logic-store.ts';
import { MAX_LOGIC_CHAIN_DEPTH, type LogicJobPayload } from './logic-types.ts';

export interface LedgerTriggerDeps {
  readonly store: Pick<LogicStore, 'ledgerTargets' | 'insertJobs'>;
  /** The run queue's gate (the same limits as event-triggered runs). */
  readonly gate: Pick<ReturnType<typeof createQueueGate>, 'admit'>;
  readonly now: () => Date;
  /** After a commit that queued runs: wake this node's worker and the others. */
  readonly onQueued: () => void;
}

/**
 * LedgerChange triggers: the port the ledger module calls inside every instance change's
 * transaction. It writes one queued `logic_jobs` row per matching trigger in that same
 * transaction, so a committed change fires each of its triggers exactly once across the
 * cluster (whichever node claims the row) and a rolled-back one fires none. A change
 * written by a run `MAX_LOGIC_CHAIN_DEPTH` deep fires nothing, as for published events:
 * a function writing the ledger it listens to stops there.
 */
export function createLedgerTriggerHook(deps: LedgerTriggerDeps): LedgerChangeHook {
  return {
    async onInstanceChange(trx: DbOrTrx, change: LedgerInstanceChange): Promise<boolean> {
      if (change.depth >= MAX_LOGIC_CHAIN_DEPTH) return false;
      const targets = (await deps.store.ledgerTargets(trx, change.owner, change.name, change.changeType)).filter((t) => hearsChange(t.instanceScope, change));
      if (targets.length === 0) return false;
      await deps.gate.admit(trx, new Map([[change.owner, targets.length]]));
      const now = deps.now();
      const nowMs = now.getTime();
      const { owner, ...rest } = change;
      const payload = JSON.stringify({ kind: 'ledger', change: rest } satisfies LogicJobPayload);
      await deps.store.insertJobs(trx, targets.map((t) => ({
        id: sortableId(now), function_id: t.functionId, owner, trigger_id: t.triggerId, trigger_type: 'LedgerChange', payload_json: payload,
        attempts: 0, status: 'queued', available_at_ms: nowMs, lease_until_ms: null, leased_by: null, created_ms: nowMs,
      })));
      return true;
    },
    afterCommit: () => deps.onQueued(),
  };
}
