import { describe, expect, it } from 'vitest';
import { createDeliveryPacingStore, pacingClaimGuard } from '../../src/integrations/delivery-pacing-store.ts';
import { claimLeased } from '../../src/store/lease-queue-fns.ts';
import { testDialects } from '../support/pg-fns.ts';
import { storePerTest } from './store-harness.ts';

type Row = { id: string; attempts: number; status: string; slot_ms: number | null; available_at_ms: number };

// The claim side of delivery pacing on both stores: ordered and capped rows held back in the claim, slots reserved once, deferral without an attempt.
describe.each(testDialects())('delivery pacing store (%s)', (dialect) => {
  const current = storePerTest(dialect);
  const db = () => current().handle.db;
  const T0 = 1_700_000_000_000;

  const queue = async (rows: ReadonlyArray<{ id: string; integration?: string; at?: number; orderKey?: string; seq?: number; cap?: number }>) => {
    await db()
      .insertInto('deliveries')
      .values(rows.map((r) => ({
        id: r.id, integration_id: r.integration ?? 'i1', owner: 'user:u', event_json: '{}', attempts: 0, status: 'queued', available_at_ms: T0 + (r.at ?? 0),
        lease_until_ms: null, leased_by: null, created_ms: T0, replay_of: null, order_key: r.orderKey ?? null, order_seq: r.seq ?? null, flight_cap: r.cap ?? null, slot_ms: null,
      })))
      .execute();
  };
  const claim = async (limit: number, nowMs = T0 + 10_000) =>
    (await claimLeased<Row>(db(), current().handle.dialect, 'deliveries', 'node-a', limit, nowMs, 60_000, 'ready', undefined, pacingClaimGuard(current().handle.dialect))).map((r) => r.id).sort();
  const finish = (id: string) => db().deleteFrom('deliveries').where('id', '=', id).execute();

  it('claims only the oldest pending delivery of each device key; the next one once it is gone', async () => {
    await queue([
      { id: 'a1', orderKey: 'i1/a', seq: 1 }, { id: 'a2', orderKey: 'i1/a', seq: 2 }, { id: 'b1', orderKey: 'i1/b', seq: 3, at: 5 },
      { id: 'a3', orderKey: 'i1/a', seq: 4, at: -5 }, { id: 'free', at: 9 },
    ]);
    expect(await claim(10)).toEqual(['a1', 'b1', 'free']);
    expect(await claim(10)).toEqual([]); // a2 waits while a1 is in flight
    // a1 goes back to the queue for a retry later: a2 still waits.
    await db().updateTable('deliveries').set({ status: 'queued', available_at_ms: T0 + 60_000, leased_by: null }).where('id', '=', 'a1').execute();
    expect(await claim(10)).toEqual([]);
    await finish('a1'); // delivered or dead
    expect(await claim(10)).toEqual(['a2']);
  });

  it('keeps at most the cap of an integration in flight, also within one claim', async () => {
    await queue([...Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, at: i, cap: 2 })), { id: 'other', integration: 'i2', at: 1 }]);
    expect(await claim(10)).toEqual(['c0', 'c1', 'other']);
    expect(await claim(10)).toEqual([]);
    await finish('c0');
    expect(await claim(10)).toEqual(['c2']);
  });

  it('reserves distinct consecutive slots, from now when idle, and defers without counting the attempt', async () => {
    const pacing = createDeliveryPacingStore({ db: db(), dialect: current().handle.dialect });
    expect(await pacing.reserve('i1', 3, 50, T0)).toBe(T0);
    const together = await Promise.all([pacing.reserve('i1', 2, 50, T0 + 10), pacing.reserve('i1', 2, 50, T0 + 10)]);
    expect(together.sort()).toEqual([T0 + 150, T0 + 250]);
    expect(await pacing.reserve('i1', 1, 50, T0 + 60_000)).toBe(T0 + 60_000);
    await queue([{ id: 'd1' }]);
    expect(await claim(1)).toEqual(['d1']);
    await pacing.defer([{ id: 'd1', atMs: T0 + 20_000 }], 'node-a');
    const row = await db().selectFrom('deliveries').selectAll().where('id', '=', 'd1').executeTakeFirstOrThrow();
    expect([row.status, Number(row.attempts), Number(row.available_at_ms), Number(row.slot_ms), row.leased_by]).toEqual(['queued', 0, T0 + 20_000, T0 + 20_000, null]);
    expect(await claim(1)).toEqual([]);
    expect(await claim(1, T0 + 20_000)).toEqual(['d1']);
  });
});
