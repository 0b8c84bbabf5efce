/**
 * The audit stream as an operator's SIEM sees it: entries as JSON lines in a size-rotated
 * file and in batches POSTed to an HTTP endpoint (retried in order, none duplicated), and
 * fail-closed mode refusing changes with 503 while reads keep working. On SQLite and PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondWith, startHttpSink, type HttpSink, type SinkHandler } from '../support/http-sink.ts';
import { until } from '../cluster/cluster-support.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

interface Line {
  type: string;
  id: string;
  action: string;
  target: string;
  outcome: string;
  owner: string;
  actor_id: string;
}
const parseLines = (text: string): Line[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
const VALUE = (i: number) => `audit-stream-secret-value-${i}-${'x'.repeat(i % 7)}`;

describe.each(testDialects())('audit stream (%s)', (dialect) => {
  let dir: string;
  const servers: TestServer[] = [];
  const sinks: HttpSink[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-audit-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(sinks.map((k) => k.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string>) => {
    const s = await startTestServer({ dialect, env });
    servers.push(s);
    return s;
  };
  const sink = async (handler?: SinkHandler) => {
    const k = await startHttpSink({ handler });
    sinks.push(k);
    return k;
  };

  it('writes every entry to a size-rotated file and in retried batches to an HTTP endpoint, without values or tokens', async () => {
    const accepted: string[] = [];
    let answered = 0;
    // The first two batches fail: they must be sent again, in order, once.
    const k = await sink((req, res) => {
      answered += 1;
      if (answered <= 2) return respondWith(503)(req, res);
      accepted.push(req.body);
      return respondWith(200)(req, res);
    });
    const file = path.join(dir, `${dialect}-audit.log`);
    const s = await start({
      HUSH_AUDIT_FILE: file,
      HUSH_AUDIT_FILE_MAX_BYTES: '2048',
      HUSH_AUDIT_FILE_KEEP: '2',
      HUSH_AUDIT_HTTP_URL: `${k.url}/audit`,
      HUSH_AUDIT_HTTP_BATCH: '5',
      HUSH_AUDIT_HTTP_FLUSH_MS: '50',
    });
    const u = await s.user();
    const N = 30;
    for (let i = 0; i < N; i++) {
      const r = await api(s.url, 'PUT', `/v1/secrets/STREAMED_${i % 10}`, { token: u.token, json: { value: VALUE(i) } });
      expect(r.status, r.text).toBe(200);
    }
    expect((await api(s.url, 'DELETE', '/v1/secrets/STREAMED_0', { token: u.token })).status).toBe(204);
    const trail = (await api(s.url, 'GET', '/v1/audit?limit=1000', { token: u.token })).body.audit as { id: string; action: string }[];
    const ids = trail.map((e) => e.id).reverse();
    expect(ids.length).toBe(N + 1);

    const streamed = await until(async () => {
      const got = accepted.flatMap(parseLines);
      return got.length >= ids.length ? got : undefined;
    }, 30_000, 'every entry at the HTTP endpoint');
    expect(streamed.map((l) => l.id)).toEqual(ids); // in order, none lost or duplicated
    expect(k.requests.length).toBe(accepted.length + 2); // the failed batches were retried
    expect(accepted.some((b) => parseLines(b).length > 1)).toBe(true); // batched
    expect(k.requests.every((r) => r.method === 'POST' && r.headers['content-type'] === 'application/x-ndjson')).toBe(true);
    expect(streamed[0]).toMatchObject({ type: 'audit', action: 'secret.create', target: 'STREAMED_0', outcome: 'ok', owner: `user:${u.id}`, actor_id: u.id });
    expect(streamed.at(-1)).toMatchObject({ action: 'secret.delete', target: 'STREAMED_0' });

    // The file: rotated by size, at most two old files kept, the newest entries contiguous.
    const files = [`${file}.2`, `${file}.1`, file];
    for (const f of files) expect(fs.statSync(f).size).toBeLessThanOrEqual(2048);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const inFiles = files.flatMap((f) => parseLines(fs.readFileSync(f, 'utf8'))).map((l) => l.id);
    expect(inFiles.length).toBeLessThan(ids.length); // the oldest were rotated away
    expect(inFiles).toEqual(ids.slice(ids.length - inFiles.length));

    const everything = [...files.map((f) => fs.readFileSync(f, 'utf8')), ...k.requests.map((r) => r.body)].join('\n');
    for (let i = 0; i < N; i++) expect(everything).not.toContain(VALUE(i));
    expect(everything).not.toContain(u.token);
  });

  it('fail-closed: refuses changes with 503 while the HTTP endpoint fails, reads keep working, and recovers', async () => {
    const k = await sink(respondWith(500));
    const s = await start({ HUSH_AUDIT_HTTP_URL: `${k.url}/audit`, HUSH_AUDIT_HTTP_FLUSH_MS: '50', HUSH_AUDIT_FAIL_CLOSED: '1' });
    const u = await s.user();
    // Taken while the endpoint's state is unknown, then the endpoint fails.
    expect((await api(s.url, 'PUT', '/v1/secrets/BEFORE', { token: u.token, json: { value: VALUE(1) } })).status).toBe(200);
    await k.waitFor(1);
    const refused = await until(async () => {
      const r = await api(s.url, 'PUT', '/v1/secrets/DURING', { token: u.token, json: { value: VALUE(2) } });
      return r.status === 503 ? r : undefined;
    }, 30_000, 'a 503');
    expect(refused.body).toEqual({ ok: false, retry_after: 5, error: expect.stringMatching(/^the audit log cannot be written \(HUSH_AUDIT_FAIL_CLOSED is on/) });
    expect(refused.headers.get('retry-after')).toBe('5');
    // Other changes are refused too; reads answer.
    expect((await api(s.url, 'POST', '/v1/devices/events', { token: u.token, json: { name: 'x', data: 'y' } })).status).toBe(503);
    const list = await api(s.url, 'GET', '/v1/secrets', { token: u.token });
    expect(list.status).toBe(200);
    expect(list.body.secrets.map((x: { name: string }) => x.name)).toEqual(['BEFORE']);
    k.setHandler();
    await until(async () => (await api(s.url, 'PUT', '/v1/secrets/AFTER', { token: u.token, json: { value: VALUE(3) } })).status === 200, 30_000, 'changes accepted again');
    const names = (await api(s.url, 'GET', '/v1/secrets', { token: u.token })).body.secrets.map((x: { name: string }) => x.name).sort();
    expect(names).toEqual(['AFTER', 'BEFORE']);
  });

  it('fail-closed: a file that cannot be written refuses the change (rolled back) until it can', async () => {
    const missing = path.join(dir, `${dialect}-not-yet`);
    const file = path.join(missing, 'audit.log');
    const s = await start({ HUSH_AUDIT_FILE: file, HUSH_AUDIT_FAIL_CLOSED: '1' });
    const u = await s.user();
    const r = await api(s.url, 'PUT', '/v1/secrets/ROLLED_BACK', { token: u.token, json: { value: VALUE(4) } });
    expect(r.status).toBe(503);
    expect(r.text).not.toContain(VALUE(4));
    expect((await api(s.url, 'GET', '/v1/secrets', { token: u.token })).body.secrets).toEqual([]);
    expect((await api(s.url, 'GET', '/v1/audit', { token: u.token })).body.audit).toEqual([]);
    fs.mkdirSync(missing);
    await until(async () => (await api(s.url, 'PUT', '/v1/secrets/WRITTEN', { token: u.token, json: { value: VALUE(5) } })).status === 200, 30_000, 'the file writable');
    const lines = parseLines(fs.readFileSync(file, 'utf8'));
    expect(lines.map((l) => [l.action, l.target])).toEqual([['secret.create', 'WRITTEN']]);
  });
});
