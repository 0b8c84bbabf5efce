/**
 * A Hush server in a process of its own, for benchmarks that compare two configurations
 * without one server's heap, timers or GC sharing a process with the other or with the
 * load generator. Started by `forkSeededServer`; it seeds `SECRETS` secrets and a token,
 * answers `{ cpu: true }` with its process CPU time so far and `{ close: true }` by stopping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { startServer } from '../src/server/serve.ts';

const SECRETS = 50;
const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bench-'));
const server = await startServer(loadConfig({ HUSH_HOST: '127.0.0.1', HUSH_PORT: '0', HUSH_DATA_DIR: dataDir, HUSH_LOG_LEVEL: 'warn', ...env }), {
  logDestination: { write: (line: string) => void process.stderr.write(line) },
});
const user = await server.services.auth.createUser('bench@example.com', 'bench password 123');
const token = (await server.services.auth.issueToken(user.id, 'particle-api')).accessToken;
for (let i = 0; i < SECRETS; i++) {
  const res = await fetch(`${server.url}/v1/secrets/BENCH_SECRET_${String(i).padStart(2, '0')}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ secret: { value: `seed-value-${i}-${'x'.repeat(24)}` } }),
  });
  if (res.status !== 200) throw new Error(`seeding answered ${res.status}: ${await res.text()}`);
}
process.on('message', (m: { cpu?: boolean; close?: boolean }) => {
  if (m.cpu) {
    const u = process.cpuUsage();
    process.send?.({ cpuUs: u.user + u.system });
  }
  if (m.close) {
    void server.close().then(() => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
process.send?.({ url: server.url, token });
