/**
 * Restarting one of two nodes under load (SIGTERM, as an orchestrator does): the draining
 * node refuses new work with 503, finishes or hands back what it holds, and exits 0;
 * clients retry on the other node. Leases are two minutes long, so a delivery left leased
 * instead of handed back would not arrive within the test: every accepted event is
 * delivered exactly once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildServer } from '../support/child-server.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { TEST_PG_URL } from '../support/pg-fns.ts';
import { api } from '../support/test-server.ts';
import { startCluster, until, type Cluster } from './cluster-support.ts';

const LONG_LEASES = { HUSH_DELIVERY_LEASE_MS: '120000', HUSH_LOGIC_LEASE_MS: '120000', HUSH_WEBHOOK_RETRY_DELAYS_MS: '200,200', HUSH_SHUTDOWN_TIMEOUT_MS: '20000' };

describe.skipIf(!TEST_PG_URL)('draining a node of a two-node cluster', () => {
  let c: Cluster;
  let sink: HttpSink;
  let u: { id: string; email: string; token: string };

  beforeAll(async () => {
    c = await startCluster(2, LONG_LEASES);
    // Each send takes a little while, so some are in flight when the signal comes.
    sink = await startHttpSink({
      handler: (_req, res) => {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 30);
      },
    });
    u = await c.user();
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
    await sink?.close();
  });

  /** Publishes `data` on the first node that accepts it; false when none did (outcome unknown). */
  const publish = async (nodes: () => ChildServer[], data: string, first: number): Promise<boolean> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const list = nodes();
      const node = list[(first + attempt) % list.length];
      try {
        const r = await api(node.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'drain', data } });
        if (r.status === 200 || r.status === 201) return true;
        if (r.status !== 503) throw new Error(`publish answered ${r.status}: ${r.text}`);
      } catch (e) {
        if (!(e instanceof TypeError)) throw e; // fetch failed: connection refused or reset
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  };

  it('loses and duplicates nothing when one node restarts under load', async () => {
    const hook = await api(c.nodes[0].url, 'POST', '/v1/integrations', { token: u.token, json: { event: 'drain', url: `${sink.url}/drain` } });
    expect(hook.status).toBe(201);
    const accepted: string[] = [];
    const unknown: string[] = [];
    let live = [c.nodes[0], c.nodes[1]];
    const N = 240;
    let signalled = false;
    let restarted: Promise<void> | null = null;
    let exitCode: Promise<number | null> | null = null;
    // Four publishers at once, spread over whichever nodes are in the list.
    let next = 0;
    const publisher = async () => {
      for (let i = next++; i < N; i = next++) {
        if (i >= 80 && !signalled) {
          signalled = true;
          const victim = c.nodes[0];
          exitCode = victim.exited;
          process.kill(victim.pid, 'SIGTERM');
          restarted = victim.exited.then(async () => {
            const again = await c.startNode(LONG_LEASES);
            live = [again, c.nodes[1]];
          });
        }
        const data = `d${i}`;
        ((await publish(() => live, data, i)) ? accepted : unknown).push(data);
      }
    };
    await Promise.all([publisher(), publisher(), publisher(), publisher()]);
    await restarted;
    expect(await exitCode).toBe(0);
    expect(unknown).toEqual([]);
    expect(accepted).toHaveLength(N);
    const delivered = () => sink.requests.filter((r) => r.url.startsWith('/drain')).map((r) => new URLSearchParams(r.body).get('data') ?? '');
    await until(async () => new Set(delivered()).size >= N || undefined, 60_000, 'every accepted event delivered');
    await until(async () => (await sql<{ n: number }>`select count(*)::int as n from deliveries`.execute(c.admin.store.db)).rows[0].n === 0 || undefined, 20_000, 'queue drained');
    const got = delivered();
    expect(new Set(got)).toEqual(new Set(accepted));
    expect(got).toHaveLength(N); // none twice
  }, 180_000);

  it('a draining node answers 503 to new requests and on /readyz while it finishes a send', async () => {
    const node = c.nodes.at(-1) as ChildServer;
    expect((await api(node.url, 'GET', '/readyz')).body).toMatchObject({ ok: true, state: 'ready', database: 'up', workers: 'running' });
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    sink.setHandler(async (_req, res) => {
      await held;
      res.writeHead(200).end('{}');
    });
    const hook = await api(node.url, 'POST', '/v1/integrations', { token: u.token, json: { event: 'held', url: `${sink.url}/held` } });
    expect(hook.status).toBe(201);
    const before = sink.requests.length;
    // Only this node may send it: the other one is stopped first.
    await Promise.all(c.nodes.filter((n) => n !== node).map((n) => n.stop()));
    expect((await api(node.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'held', data: 'x' } })).body).toMatchObject({ ok: true });
    await until(async () => sink.requests.slice(before).some((r) => r.url === '/held') || undefined, 10_000, 'send in flight');
    process.kill(node.pid, 'SIGTERM');
    const ready = await until(async () => {
      const r = await api(node.url, 'GET', '/readyz');
      return r.status === 503 ? r : undefined;
    }, 10_000, 'readyz 503');
    expect(ready.body).toMatchObject({ ok: false, state: 'draining', workers: 'stopping' });
    const refused = await api(node.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'held', data: 'y' } });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ ok: false, error: 'this node is shutting down; retry on another node' });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await api(node.url, 'GET', '/healthz')).status).toBe(200);
    release();
    expect(await node.exited).toBe(0);
    sink.setHandler();
  }, 60_000);
  it('event streams end with a reconnect hint when their node drains', async () => {
    const node = await c.startNode(LONG_LEASES);
    const res = await fetch(`${node.url}/v1/devices/events`, { headers: { authorization: `Bearer ${u.token}` } });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read(); // ':ok': the stream is open
    expect(new TextDecoder().decode(first.value)).toContain(':ok');
    process.kill(node.pid, 'SIGTERM');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toContain('retry: 1000\n');
    expect(await node.exited).toBe(0);
  }, 60_000);

  it('exits once HUSH_SHUTDOWN_TIMEOUT_MS has passed even when a send never ends', async () => {
    const node = await c.startNode({ ...LONG_LEASES, HUSH_SHUTDOWN_GRACE_MS: '600000', HUSH_SHUTDOWN_TIMEOUT_MS: '1500' });
    sink.setHandler(() => undefined); // never answers
    const hook = await api(node.url, 'POST', '/v1/integrations', { token: u.token, json: { event: 'stuck', url: `${sink.url}/stuck` } });
    expect(hook.status).toBe(201);
    const before = sink.requests.length;
    expect((await api(node.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'stuck', data: 'x' } })).body).toMatchObject({ ok: true });
    await until(async () => sink.requests.slice(before).some((r) => r.url === '/stuck') || undefined, 10_000, 'send in flight');
    process.kill(node.pid, 'SIGTERM');
    expect(await node.exited).toBe(1);
    expect(node.stderr).toContain('shutdown took longer than 1500 ms (HUSH_SHUTDOWN_TIMEOUT_MS): exiting');
    sink.setHandler();
  }, 60_000);
});
