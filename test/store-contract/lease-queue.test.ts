import { describe, expect, it } from 'vitest';
import { claimLeased, releaseLeased } from '../../src/store/lease-queue-fns.ts';
import { testDialects } from '../support/pg-fns.ts';
import { storePerTest } from './store-harness.ts';

type Row = { id: string; owner: string; available_at_ms: number; attempts: number; status: string; leased_by: string | null; lease_until_ms: number | null };

// The lease queue both workers claim from, on both stores: what a claim takes, in what order, and what a release gives back.
describe.each(testDialects())('lease queue (%s)', (dialect) => {
  const current = storePerTest(dialect);
  const db = () => current().handle.db;
  const T0 = 1_700_000_000_000;

  /** Queues `n` runs for `owner`; the i-th is due at T0 + at(i). Ids sort against due times so order cannot come from the id alone. */
  const queue = async (owner: string, n: number, at: (i: number) => number) => {
    const rows = Array.from({ length: n }, (_, i) => ({
      id: `${owner}-${String(999 - i).padStart(3, '0')}`, function_id: 'f', owner, trigger_id: null, trigger_type: 'Event', payload_json: '{}',
      attempts: 0, status: 'queued', available_at_ms: T0 + at(i), lease_until_ms: null, leased_by: null, created_ms: T0,
    }));
    await db().insertInto('logic_jobs').values(rows).execute();
    return rows.map((r) => r.id);
  };
  const claim = (limit: number, nowMs: number, which: 'ready' | 'expired' | 'any' = 'ready', fair?: { excludeOwners: string[]; perOwner: number }) =>
    claimLeased<Row>(db(), current().handle.dialect, 'logic_jobs', 'node-a', limit, nowMs, 1_000, which, fair);

  it('claims due rows oldest first, in that order, leasing each one and counting the attempt', async () => {
    const ids = await queue('o1', 40, (i) => i * 7);
    const first = await claim(25, T0 + 10_000);
    expect(first.map((r) => r.id)).toEqual(ids.slice(0, 25));
    expect(first.every((r) => r.status === 'inflight' && r.leased_by === 'node-a' && r.attempts === 1 && r.lease_until_ms === T0 + 11_000)).toBe(true);
    expect((await claim(25, T0 + 10_000)).map((r) => r.id)).toEqual(ids.slice(25));
    expect(await claim(25, T0 + 10_000)).toEqual([]);
  });

  it('leaves rows that are not yet due, and takes expired leases only when asked', async () => {
    const ids = await queue('o1', 4, (i) => i * 1_000);
    expect((await claim(10, T0 + 1_500)).map((r) => r.id)).toEqual(ids.slice(0, 2));
    expect(await claim(10, T0 + 2_400, 'expired')).toEqual([]);
    expect((await claim(10, T0 + 2_600, 'expired')).map((r) => r.id)).toEqual(ids.slice(0, 2));
    // 'any' takes both: the leases taken again at 2.6 s ran out at 3.6 s.
    const all = await claim(10, T0 + 5_000, 'any');
    expect(all.map((r) => [r.id, r.attempts])).toEqual([[ids[0], 3], [ids[1], 3], [ids[2], 1], [ids[3], 1]]);
  });

  it('a fair claim takes owners in turn, each owner oldest first, at most its share, none of the excluded', async () => {
    const a = await queue('a', 5, (i) => i);
    const b = await queue('b', 5, (i) => 100 + i);
    const c = await queue('c', 5, (i) => 200 + i);
    const got = await claim(10, T0 + 10_000, 'ready', { excludeOwners: ['c'], perOwner: 2 });
    expect(got.map((r) => r.id)).toEqual([a[0], b[0], a[1], b[1]]);
    expect((await claim(20, T0 + 10_000)).map((r) => r.id)).toEqual([...a.slice(2), ...b.slice(2), ...c]);
  });

  it('a release gives the rows back to the queue uncounted, and only the holder can release', async () => {
    const ids = await queue('o1', 3, (i) => i);
    await claim(3, T0 + 100);
    await releaseLeased(db(), 'logic_jobs', ids, 'node-b', T0 + 200);
    expect(await claim(3, T0 + 300)).toEqual([]);
    await releaseLeased(db(), 'logic_jobs', ids, 'node-a', T0 + 200);
    const again = await claim(3, T0 + 300);
    expect(again.map((r) => [r.id, r.attempts]).sort()).toEqual(ids.map((id) => [id, 1]).sort());
  });
});
