import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LOGIC_CHAIN_DEPTH } from '../../src/logic/logic-types.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const DEVICE = 'a1b2c3d4e5f60718293a4b5c';
const OTHER_DEVICE = 'a1b2c3d4e5f60718293a4b5d';

// Reacts to a set of the device-scoped `settings` ledger: copies what it saw into `seen` (owner-scoped) and publishes it.
const REACT_CODE = `import Particle from 'particle:core';
export default function react({ ledgerChange, event, scheduled }) {
  Particle.ledger('seen').set({ [ledgerChange.changeType]: { ...ledgerChange, hadEvent: event !== undefined, hadSchedule: scheduled !== undefined } }, Particle.MERGE);
  Particle.publish('settings-changed', JSON.stringify({ name: ledgerChange.name, scope: ledgerChange.scope, data: ledgerChange.data }));
}`;
// Writes the ledger it listens to: without a depth limit it would run forever.
const LOOP_CODE = `import Particle from 'particle:core';
export default function loop({ ledgerChange }) {
  Particle.ledger('loop').set({ n: (ledgerChange.data.n ?? 0) + 1 });
}`;

describe.each(testDialects())('LedgerChange triggers (%s)', (dialect) => {
  let s: TestServer;
  let u: Awaited<ReturnType<TestServer['user']>>;
  let pid = 0;
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: u.token, ...opts });
  const deploy = async (name: string, code: string, triggers: unknown[]) => {
    const r = await call('POST', '/v1/logic/functions', { json: { logic_function: { name, source: { type: 'JavaScript', code }, logic_triggers: triggers } } });
    expect(r.status, r.text).toBe(201);
    return r.body.logic_function as { id: string; logic_triggers: Array<Record<string, unknown>> };
  };
  // Triggers saved together come back in no fixed order: compare them by change type.
  const byChange = (ts: Array<Record<string, unknown>>) => [...ts].sort((a, b) => String(a.change_type).localeCompare(String(b.change_type)));
  const runsOf = async (id: string, n: number) =>
    until(async () => {
      const runs = (await call('GET', `/v1/logic/functions/${id}/runs`)).body.logic_runs as Array<{ id: string; status: string; logic_trigger_type: string; logic_trigger_id: string }>;
      return runs.length >= n ? runs : undefined;
    }, 20_000);
  // Every queued run has run and been written (a row leaves the queue once its run is stored).
  const settled = async () => {
    await until(async () => {
      const r = await s.services.store.db.selectFrom('logic_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n) === 0 ? true : undefined;
    }, 20_000);
    await s.node.logic.jobs.idle();
  };
  const put = (name: string, value: string, data: unknown) => call('PUT', `/v1/ledgers/${name}/instances/${value}`, { json: { instance: { data } } });

  beforeAll(async () => {
    s = await startTestServer({ dialect });
    u = await s.user();
    pid = (await call('POST', '/v1/user/products', { json: { name: 'Sensors', slug: `ltrig-${dialect}` } })).body.product.id;
    expect((await call('POST', `/v1/products/${pid}/devices`, { json: { ids: [DEVICE, OTHER_DEVICE] } })).status).toBe(200);
    for (const [name, scope] of [['settings', 'Device'], ['seen', 'Owner'], ['loop', 'Owner']] as const) {
      const r = await call('POST', '/v1/ledgers', { json: { ledger: { name, scope } } });
      expect(r.status, r.text).toBe(201);
    }
  }, 60_000);
  afterAll(async () => s?.stop());

  it('keeps LedgerChange triggers through create, get, update and list, in the documented shape', async () => {
    const f = await deploy('round-trip', 'export default function () {}', [
      { type: 'LedgerChange', ledger_name: 'settings', change_type: 'set', instance_scope: { type: 'Device', value: DEVICE } },
      { type: 'LedgerChange', ledger_name: 'settings', change_type: 'Delete' },
    ]);
    const want = [
      { type: 'LedgerChange', logic_function_id: f.id, enabled: true, version: 1, change_type: 'delete', ledger_name: 'settings', instance_scope: null },
      { type: 'LedgerChange', logic_function_id: f.id, enabled: true, version: 1, change_type: 'set', ledger_name: 'settings', instance_scope: DEVICE },
    ];
    expect(byChange(f.logic_triggers)).toMatchObject(want);
    const got = (await call('GET', `/v1/logic/functions/${f.id}`)).body.logic_function;
    expect(byChange(got.logic_triggers)).toEqual(byChange(f.logic_triggers));
    // The CLI's enable/disable round trip sends the triggers back as it got them.
    const put1 = await call('PUT', `/v1/logic/functions/${f.id}`, { json: { logic_function: { ...got, enabled: false } } });
    expect(put1.status, put1.text).toBe(200);
    const updated = byChange(put1.body.logic_function.logic_triggers);
    expect(updated.map((t) => t.id)).toEqual(byChange(f.logic_triggers).map((t) => t.id));
    expect(updated).toMatchObject(want.map((w) => ({ ...w, version: 2 })));
    const listed = (await call('GET', '/v1/logic/functions')).body.logic_functions.find((x: { id: string }) => x.id === f.id);
    expect(byChange(listed.logic_triggers)).toEqual(updated);
    expect((await call('DELETE', `/v1/logic/functions/${f.id}`)).status).toBe(204);
  });

  it('refuses bad LedgerChange triggers with 400', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'LedgerChange', ledger_name: 'settings', change_type: 'update' }, /change_type must be set or delete, got 'update'/],
      [{ type: 'LedgerChange', change_type: 'set' }, /logic_triggers\[0\]\.ledger_name is required/],
      [{ type: 'LedgerChange', ledger_name: 'Not A Name' }, /ledger_name 'Not A Name' must be 1 to 32/],
      [{ type: 'LedgerChange', ledger_name: 'no-such-ledger' }, /ledger 'no-such-ledger' not found/],
      [{ type: 'Ledger', ledger_name: 'settings' }, /type must be Event, Scheduled or LedgerChange/],
    ];
    for (const [trigger, msg] of cases) {
      const r = await call('POST', '/v1/logic/functions', { json: { logic_function: { name: 'bad', source: { code: 'export default function () {}' }, logic_triggers: [trigger] } } });
      expect(r.status, JSON.stringify(trigger)).toBe(400);
      expect(r.body.error).toMatch(msg);
    }
  });

  it('runs a function on a set made through the API, with ledgerChange in its context, once per change; delete triggers too', async () => {
    const f = await deploy('react', REACT_CODE, [
      { type: 'LedgerChange', ledger_name: 'settings', change_type: 'set', instance_scope: DEVICE },
      { type: 'LedgerChange', ledger_name: 'settings', change_type: 'delete' },
    ]);
    const [deleteTrigger, setTrigger] = byChange(f.logic_triggers).map((t) => t.id as string);
    expect((await put('settings', DEVICE, { threshold: 30 })).status).toBe(200);
    // Another instance: the set trigger is restricted to DEVICE, so it does not fire.
    expect((await put('settings', OTHER_DEVICE, { threshold: 10 })).status).toBe(200);
    const first = await runsOf(f.id, 1);
    expect(first[0]).toMatchObject({ status: 'Success', logic_trigger_type: 'LedgerChange', logic_trigger_id: setTrigger });
    const seen = (await call('GET', `/v1/ledgers/seen/instances/${u.id}`)).body.data;
    expect(seen.set).toMatchObject({ changeType: 'set', name: 'settings', scope: { type: 'Device', value: DEVICE }, data: { threshold: 30 }, hadEvent: false, hadSchedule: false });
    expect(Date.parse(seen.set.changedAt)).not.toBeNaN();

    expect((await call('DELETE', `/v1/ledgers/settings/instances/${OTHER_DEVICE}`)).status).toBe(200);
    const runs = await runsOf(f.id, 2);
    expect(runs[0]).toMatchObject({ status: 'Success', logic_trigger_id: deleteTrigger });
    const after = (await call('GET', `/v1/ledgers/seen/instances/${u.id}`)).body.data;
    // A delete hands over the data the instance held.
    expect(after.delete).toMatchObject({ changeType: 'delete', name: 'settings', scope: { type: 'Device', value: OTHER_DEVICE }, data: { threshold: 10 } });
    await settled();
    // Its own writes to `seen` trigger nothing, and every change fired once: two runs in all.
    expect((await call('GET', `/v1/logic/functions/${f.id}/runs`)).body.logic_runs).toHaveLength(2);
    expect((await call('DELETE', `/v1/logic/functions/${f.id}`)).status).toBe(204);
  });

  it('stops a function that writes the ledger it listens to at the chain depth limit', async () => {
    const f = await deploy('loop', LOOP_CODE, [{ type: 'LedgerChange', ledger_name: 'loop' }]);
    expect((await put('loop', u.id, { n: 0 })).status).toBe(200);
    const runs = await runsOf(f.id, MAX_LOGIC_CHAIN_DEPTH);
    await settled();
    expect(runs.every((r) => r.status === 'Success')).toBe(true);
    expect((await call('GET', `/v1/logic/functions/${f.id}/runs`)).body.logic_runs).toHaveLength(MAX_LOGIC_CHAIN_DEPTH);
    expect((await call('GET', `/v1/ledgers/loop/instances/${u.id}`)).body.data).toEqual({ n: MAX_LOGIC_CHAIN_DEPTH });
  });
});
