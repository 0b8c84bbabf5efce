import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { TEST_PG_URL } from '../support/pg-fns.ts';
import { startPgNodes } from '../support/pg-nodes.ts';
import { api } from '../support/test-server.ts';

// Two nodes share one PostgreSQL schema (SQLite is one process by design); reported as skipped without HUSH_TEST_DATABASE_URL.
describe.skipIf(!TEST_PG_URL)('access counts across two nodes (postgres)', () => {
  let cluster: Awaited<ReturnType<typeof startPgNodes>> | undefined;
  let nodes: RunningServer[] = [];

  beforeAll(async () => {
    cluster = await startPgNodes(2, 'hush-access-node-');
    nodes = cluster.nodes;
  }, 60_000);
  afterAll(async () => cluster?.close());

  it('adds both nodes\' counts, whichever flushes first and however their flushes race', async () => {
    const u = await nodes[0].services.auth.createUser('access-nodes@example.com', 'correct horse battery');
    const token = (await nodes[0].services.auth.issueToken(u.id, 'particle-api')).accessToken;
    expect((await api(nodes[0].url, 'POST', '/v1/secrets', { token, json: { name: 'SHARED_KEY', value: 'shared-key-value-c41d' } })).status).toBe(201);
    const owner = `user:${u.id}`;
    const hook = { kind: 'integration', id: 'hook-1' } as const;
    const fn = { kind: 'logic', id: 'fn-1' } as const;
    // Counted in memory on each node, then flushed in rounds that race each other.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) nodes[0].services.resolver.recordUse(owner, ['SHARED_KEY'], hook);
      for (let i = 0; i < 7; i++) nodes[1].services.resolver.recordUse(owner, ['SHARED_KEY'], hook);
      nodes[1].services.resolver.recordUse(owner, ['SHARED_KEY'], fn);
      await Promise.all(nodes.map((n) => n.services.resolver.flush()));
    }
    for (const n of nodes) {
      const d = (await api(n.url, 'GET', '/v1/secrets/SHARED_KEY', { token })).body.secret;
      const byId = new Map(d.consumers.map((c: { id: string; total: number; daily: number[] }) => [c.id, c]));
      expect(byId.get('hook-1')).toMatchObject({ kind: 'integration', total: 36 });
      expect(byId.get('fn-1')).toMatchObject({ kind: 'logic', total: 3 });
      expect((byId.get('hook-1') as { daily: number[] }).daily.at(-1)).toBe(36);
    }
  }, 60_000);
});
