import { describe, expect, it } from 'vitest';
import type { LedgerInstanceChange } from '../ledger/ledger-types.ts';
import type { DbOrTrx } from '../store/database-types.ts';
import { createLedgerTriggerHook } from './logic-ledger-triggers.ts';
import type { JobInsert, LedgerTarget } from './logic-store.ts';
import { MAX_LOGIC_CHAIN_DEPTH } from './logic-types.ts';

const trx = {} as DbOrTrx;
const change = (over: Partial<LedgerInstanceChange> = {}): LedgerInstanceChange => ({
  owner: 'user:u', name: 'cache', scope: { type: 'Owner', value: 'u' }, changeType: 'set', changedAt: '2026-03-01T10:00:00.000Z', data: { a: 1 }, depth: 0, ...over,
});

const setup = (targets: LedgerTarget[]) => {
  const inserted: JobInsert[] = [];
  const admitted: Array<ReadonlyMap<string, number>> = [];
  const lookups: string[] = [];
  let woken = 0;
  const hook = createLedgerTriggerHook({
    store: {
      ledgerTargets: async (_db, owner, ledger, type) => (lookups.push(`${owner} ${ledger} ${type}`), targets),
      insertJobs: async (_db, rows) => void inserted.push(...rows),
    },
    gate: { admit: async (_db, adds) => void admitted.push(adds) },
    now: () => new Date('2026-03-01T10:00:01.000Z'),
    onQueued: () => void woken++,
  });
  return { hook, inserted, admitted, lookups, woken: () => woken };
};

describe('createLedgerTriggerHook', () => {
  it('queues one LedgerChange run per trigger hearing the change, through the gate, carrying the change without its owner', async () => {
    const t = setup([
      { triggerId: 't1', functionId: 'f1', instanceScope: null },
      { triggerId: 't2', functionId: 'f2', instanceScope: 'u' },
      { triggerId: 't3', functionId: 'f3', instanceScope: 'other' },
    ]);
    expect(await t.hook.onInstanceChange(trx, change({ depth: 1 }))).toBe(true);
    expect(t.lookups).toEqual(['user:u cache set']);
    expect(t.admitted).toEqual([new Map([['user:u', 2]])]);
    expect(t.inserted.map((r) => [r.function_id, r.trigger_id, r.trigger_type, r.status, r.leased_by])).toEqual([['f1', 't1', 'LedgerChange', 'queued', null], ['f2', 't2', 'LedgerChange', 'queued', null]]);
    const { owner: _owner, ...rest } = change({ depth: 1 });
    expect(JSON.parse(String(t.inserted[0]?.payload_json))).toEqual({ kind: 'ledger', change: rest });
    expect(t.woken()).toBe(0);
    t.hook.afterCommit();
    expect(t.woken()).toBe(1);
  });

  it('queues nothing (and does not look) for a change written at the chain depth limit', async () => {
    const t = setup([{ triggerId: 't1', functionId: 'f1', instanceScope: null }]);
    expect(await t.hook.onInstanceChange(trx, change({ depth: MAX_LOGIC_CHAIN_DEPTH }))).toBe(false);
    expect(await t.hook.onInstanceChange(trx, change({ depth: MAX_LOGIC_CHAIN_DEPTH - 1 }))).toBe(true);
    expect(t.lookups).toHaveLength(1);
  });

  it('answers false without touching the gate when no trigger hears the change', async () => {
    const t = setup([{ triggerId: 't3', functionId: 'f3', instanceScope: 'other' }]);
    expect(await t.hook.onInstanceChange(trx, change())).toBe(false);
    expect(t.admitted).toEqual([]);
    expect(t.inserted).toEqual([]);
  });
});
