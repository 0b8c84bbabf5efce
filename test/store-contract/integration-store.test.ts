import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryLogStore, type NewLogEntry } from '../../src/integrations/delivery-log-store.ts';
import { createIntegrationStore, type IntegrationRecord } from '../../src/integrations/integration-store.ts';
import { parseWebhookConfig } from '../../src/integrations/webhook/webhook-config-fns.ts';
import type { WebhookScope } from '../../src/integrations/webhook/webhook-types.ts';
import { testDialects } from '../support/pg-fns.ts';
import { openContractStore, type ContractStore } from './store-harness.ts';

// The integration store and the delivery-log store behave the same on both databases: where an
// integration lives, which ones an event may match, counters that several nodes add to, and the
// attempt history (newest first, paged, filtered, trimmed by age).
describe.each(testDialects())('integration and delivery-log stores (%s)', (dialect) => {
  let store: ContractStore;
  const integrations = createIntegrationStore();
  const db = () => store.handle.db;
  const T0 = Date.parse('2026-03-01T10:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeEach(async () => {
    store = await openContractStore(dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  let seq = 0;
  const record = (owner: string, productId: number | null, over: Record<string, unknown> = {}): IntegrationRecord => {
    seq++;
    const scope: WebhookScope = productId !== null ? 'product' : owner.startsWith('org:') ? 'org' : 'sandbox';
    const config = parseWebhookConfig({ event: 'temp', url: 'https://example.com/in', name: `hook ${seq}`, ...over }, { knownSecrets: new Set(), scope });
    const at = iso(T0 + seq * 1000);
    return {
      id: `int-${String(seq).padStart(4, '0')}`, owner, productId, scopeKind: scope, config, createdAt: at, updatedAt: at, createdBy: 'u1',
      successCount: 0, errorCount: 0, lastStatus: null, lastAt: null, lastHttpStatus: null,
    };
  };
  const add = async (r: IntegrationRecord) => {
    await integrations.insert(db(), r);
    return r;
  };

  it('lists an owner\'s integrations by place, in creation order, and reads them back whole', async () => {
    const a = await add(record('user:a', null, { headers: { 'X-Key': 'v' }, json: { t: '{{PARTICLE_EVENT_VALUE}}' } }));
    const b = await add(record('user:a', null));
    const p = await add(record('user:a', 7));
    await add(record('user:b', null));
    expect((await integrations.list(db(), { owner: 'user:a', productId: null })).map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await integrations.list(db(), { owner: 'user:a', productId: 7 })).map((r) => r.id)).toEqual([p.id]);
    expect(await integrations.get(db(), { owner: 'user:a', productId: null }, a.id)).toEqual(a);
    expect(await integrations.get(db(), { owner: 'user:b', productId: null }, a.id)).toBeNull();
    expect(await integrations.get(db(), { owner: 'user:a', productId: 7 }, a.id)).toBeNull();
    expect(await integrations.byId(db(), p.id)).toEqual(p);
    expect((await integrations.byIds(db(), [p.id, 'nope', a.id])).map((r) => r.id).sort()).toEqual([a.id, p.id]);
    expect(await integrations.byIds(db(), [])).toEqual([]);
  });

  it('offers as candidates only enabled integrations of the owner, plus the product\'s when the event has one', async () => {
    const own = await add(record('user:a', null));
    await add(record('user:a', null, { disabled: true }));
    const product = await add(record('org:o', 7));
    await add(record('org:o', 8));
    await add(record('user:b', null));
    expect((await integrations.candidates(db(), 'user:a', null)).map((r) => r.id)).toEqual([own.id]);
    expect((await integrations.candidates(db(), 'user:a', 7)).map((r) => r.id).sort()).toEqual([own.id, product.id].sort());
  });

  it('updates the configuration and its indexed fields, and deletes an integration with its queue, dead letters and logs', async () => {
    const a = await add(record('user:a', null));
    const next = parseWebhookConfig({ event: 'other', url: 'https://example.com/2', name: 'renamed', disabled: true }, { knownSecrets: new Set(), scope: 'sandbox' });
    await integrations.update(db(), a.id, next, iso(T0 + 99_000));
    const got = await integrations.byId(db(), a.id);
    expect(got?.config).toEqual(next);
    expect(got?.updatedAt).toBe(iso(T0 + 99_000));
    expect(await integrations.candidates(db(), 'user:a', null)).toEqual([]);

    const logs = createDeliveryLogStore(db());
    await logs.appendMany(db(), [entry(a.id, T0, 'success')]);
    await db().insertInto('deliveries').values({ id: 'd1', integration_id: a.id, owner: 'user:a', event_json: '{}', attempts: 0, status: 'queued', available_at_ms: T0, lease_until_ms: null, leased_by: null, created_ms: T0 }).execute();
    await integrations.delete(db(), a.id);
    expect(await integrations.byId(db(), a.id)).toBeNull();
    expect(await logs.list(a.id)).toEqual([]);
    expect(await db().selectFrom('deliveries').selectAll().execute()).toEqual([]);
  });

  it('adds outcomes as increments, so writes from several nodes add up, and keeps the newest as last', async () => {
    const a = await add(record('user:a', null));
    await Promise.all([
      integrations.recordOutcomes(db(), a.id, { success: 3, error: 0, lastOk: true, at: iso(T0 + 1), httpStatus: 200 }),
      integrations.recordOutcomes(db(), a.id, { success: 2, error: 1, lastOk: true, at: iso(T0 + 2), httpStatus: 204 }),
    ]);
    await integrations.recordOutcomes(db(), a.id, { success: 0, error: 4, lastOk: false, at: iso(T0 + 3), httpStatus: 500 });
    const got = await integrations.byId(db(), a.id);
    expect([got?.successCount, got?.errorCount, got?.lastStatus, got?.lastAt, got?.lastHttpStatus]).toEqual([5, 5, 'error', iso(T0 + 3), 500]);
  });

  const entry = (integrationId: string, atMs: number, outcome: 'success' | 'retry' | 'error', extra: Partial<NewLogEntry> = {}): NewLogEntry => ({
    integrationId, owner: 'user:a', eventName: 'temp', ...extra,
    entry: { time: iso(atMs), attempt: 1, duration_ms: 5, outcome, request: { method: 'POST', url: 'https://example.com/in', headers: {}, body: '{}' }, response: null, error: null },
  });

  it('keeps the attempt history newest first, paged by cursor, filtered by status and time, and trimmed by age', async () => {
    const logs = createDeliveryLogStore(db());
    const batch = Array.from({ length: 30 }, (_, i) => entry('i1', T0 + i * 60_000, i % 3 === 0 ? 'retry' : 'success', { deliveryId: `d${i}` }));
    await logs.appendMany(db(), [...batch, entry('i2', T0, 'success')]);
    await logs.appendMany(db(), [entry('i1', T0 + 31 * 60_000, 'success', { deliveryId: null })]);

    const first = await logs.history('i1', { limit: 10 });
    expect(first.map((e) => e.time)).toEqual(Array.from({ length: 10 }, (_, i) => iso(T0 + (i === 0 ? 31 : 30 - i) * 60_000)));
    expect(first[0].test).toBe(true);
    expect(first[1]).toMatchObject({ delivery_id: 'd29', status: 'sent', event: 'temp', test: false, replay_of: null, replayed_as: null });
    const next = await logs.history('i1', { limit: 10, before: first[9].id });
    expect(next[0].time).toBe(iso(T0 + 20 * 60_000));
    expect((await logs.history('i1', { limit: 100, status: 'failed' })).length).toBe(10);
    expect((await logs.history('i1', { limit: 100, since: iso(T0 + 25 * 60_000) })).length).toBe(6);
    expect((await logs.list('i1', 5)).map((e) => e.time)).toEqual(first.slice(0, 5).map((e) => e.time));
    expect((await logs.list('i2')).length).toBe(1);

    await logs.trimBefore(new Date(T0 + 10 * 60_000));
    expect((await logs.history('i1', { limit: 100 })).length).toBe(21);
    expect(await logs.list('i2')).toEqual([]);
  });
});
