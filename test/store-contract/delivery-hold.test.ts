import { describe, expect, it } from 'vitest';
import { createDeliveryQueue } from '../../src/integrations/delivery-queue.ts';
import { createIntegrationStore } from '../../src/integrations/integration-store.ts';
import { testDialects } from '../support/pg-fns.ts';
import { storePerTest } from './store-harness.ts';

// Host health's hold and release on both stores: a delivery held for a paused host waits
// unattempted until the resume releases it; one whose host was resumed before the hold was
// written (the resume's release ran first and could not see it) is left due at once.
describe.each(testDialects())('delivery hold for a paused host (%s)', (dialect) => {
  const current = storePerTest(dialect);
  const db = () => current().handle.db;
  const T0 = 1_700_000_000_000;
  const queue = () => createDeliveryQueue({ db: db(), dialect: current().handle.dialect, integrations: createIntegrationStore(), now: () => new Date(T0) });

  const inflight = async (id: string) => {
    await db()
      .insertInto('deliveries')
      .values({ id, integration_id: 'i1', owner: 'user:u', event_json: '{}', attempts: 3, status: 'inflight', available_at_ms: T0 - 5_000, lease_until_ms: T0 + 60_000, leased_by: 'node-a', created_ms: T0 - 5_000, replay_of: null })
      .execute();
  };
  const row = (id: string) => db().selectFrom('deliveries').select(['status', 'available_at_ms', 'held_host', 'attempts', 'leased_by']).where('id', '=', id).executeTakeFirstOrThrow();
  const pause = (id: string) =>
    db().insertInto('host_health').values({ id, owner: 'user:u', host: 'example.com', paused_at_ms: T0, errors: 9, successes: 1, last_error: 'HTTP 503', probe_at_ms: T0 + 10_000, probe_interval_ms: 10_000, probe_by: null, probe_until_ms: null }).execute();

  it('holds a delivery for a host still paused, without counting the attempt, until the resume releases it', async () => {
    const q = queue();
    await pause('h1');
    await inflight('d1');
    await q.holdLater(db(), 'd1', 'node-a', 10_000, 'h1');
    expect(await row('d1')).toEqual({ status: 'queued', available_at_ms: T0 + 10_000, held_host: 'h1', attempts: 2, leased_by: null });
    await db().deleteFrom('host_health').where('id', '=', 'h1').execute();
    await q.releaseHeld(db(), 'h1');
    expect(await row('d1')).toMatchObject({ status: 'queued', available_at_ms: T0, held_host: null });
  });

  it('leaves a delivery due at once when its host was resumed before the hold was written', async () => {
    const q = queue();
    await inflight('d2');
    await q.releaseHeld(db(), 'h2'); // the resume ran first: nothing held yet
    await q.holdLater(db(), 'd2', 'node-a', 10_000, 'h2');
    expect(await row('d2')).toEqual({ status: 'queued', available_at_ms: T0, held_host: null, attempts: 2, leased_by: null });
  });

  it('does not touch a delivery another node holds', async () => {
    const q = queue();
    await pause('h3');
    await inflight('d3');
    await q.holdLater(db(), 'd3', 'node-b', 10_000, 'h3');
    expect(await row('d3')).toMatchObject({ status: 'inflight', leased_by: 'node-a', attempts: 3 });
  });
});
