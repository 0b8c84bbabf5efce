import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunRequest } from '../../src/logic/runtime/index.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';

const SPIN = 'export default function m() { for (;;) {} }';
const TRIVIAL = `import Particle from 'particle:core';
export default function m({ event }) { console.log('done', event.eventName); }`;
/** A's runs end at this time limit; B's work must be done long before the first of them. */
const LIMIT_MS = 4_000;

/**
 * Issue #13, defect 2: two sandbox workers shared by every owner; owner A saturates them
 * with runaway loops (executes and a deployed run), owner B's execute and deployed run must
 * still finish at once. "At once" is measured against A: B's work is done before any of
 * A's runs has reached its time limit (with one queue in arrival order B waited for two).
 */
describe.each(testDialects())('Logic scheduling is fair across owners (%s)', (dialect) => {
  let s: TestServer;
  let a: Awaited<ReturnType<TestServer['user']>>;
  let b: Awaited<ReturnType<TestServer['user']>>;
  const fn = async (u: { token: string }, name: string, code: string, event: string) => {
    const r = await api(s.url, 'POST', '/v1/logic/functions', {
      token: u.token,
      json: { logic_function: { name, enabled: true, source: { type: 'JavaScript', code }, logic_triggers: [{ type: 'Event', event_name: event }] } },
    });
    expect(r.status).toBe(201);
    return r.body.logic_function.id as string;
  };
  const execute = (u: { token: string }, code: string) =>
    api(s.url, 'POST', '/v1/logic/execute', { token: u.token, json: { source: { type: 'JavaScript', code }, event: { event_name: 'probe', event_data: 'x' } } });

  beforeAll(async () => {
    s = await startTestServer({ dialect, node: { logicWorkers: 2, logicTimeoutMs: LIMIT_MS, schedulerIntervalMs: 3_600_000 } });
    a = await s.user();
    b = await s.user();
  });
  afterAll(async () => s?.stop());

  it("owner A's runaway executes and deployed runs do not hold up owner B's", async () => {
    await fn(a, 'spin', SPIN, 'spin');
    const bFn = await fn(b, 'quick', TRIVIAL, 'quick');
    // B's latency with nothing else running, for the report of the assertion below.
    let t0 = performance.now();
    expect((await execute(b, TRIVIAL)).body.result.status).toBe('Success');
    const idleMs = performance.now() - t0;

    // Sandbox runs as the runtime receives them: A's flood is in the pool before B asks.
    const runtime = s.node.logic.runtime;
    const original = runtime.run.bind(runtime);
    const submitted: string[] = [];
    vi.spyOn(runtime, 'run').mockImplementation((req: RunRequest) => {
      submitted.push(req.context.functionInfo.ownerId);
      return original(req);
    });
    let aAnswered = 0;
    const aRuns = Array.from({ length: 3 }, () => execute(a, SPIN).finally(() => aAnswered++));
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: a.token, json: { name: 'spin', data: 'x' } })).status).toBe(200);
    await until(async () => (submitted.filter((o) => o === a.id).length >= 4 ? true : undefined));

    t0 = performance.now();
    const bExec = await execute(b, TRIVIAL);
    const execMs = performance.now() - t0;
    expect(bExec.status).toBe(200);
    expect(bExec.body.result).toMatchObject({ status: 'Success', logs: [expect.objectContaining({ args: ['done', 'probe'] })] });
    expect(aAnswered, `B's execute took ${Math.round(execMs)} ms (${Math.round(idleMs)} ms idle): it waited for A's runs`).toBe(0);

    t0 = performance.now();
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: b.token, json: { name: 'quick', data: 'y' } })).status).toBe(200);
    const run = await until(async () => (await api(s.url, 'GET', `/v1/logic/functions/${bFn}/runs`, { token: b.token })).body.logic_runs[0]);
    const deployedMs = performance.now() - t0;
    expect(run.status).toBe('Success');
    expect(aAnswered, `B's deployed run took ${Math.round(deployedMs)} ms: it waited for A's runs`).toBe(0);
    expect(execMs + deployedMs).toBeLessThan(10_000);

    // A's runaway runs slow only A: each still ends at its time limit.
    for (const r of await Promise.all(aRuns)) expect(r.body.result).toMatchObject({ status: 'Timeout' });
    vi.restoreAllMocks();
  }, 60_000);
});
