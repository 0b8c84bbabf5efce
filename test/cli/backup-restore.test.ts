/**
 * `hush backup` / `hush restore` as an operator uses them: a running server keeps taking
 * writes while the backup is made, the copy is restored into a new data dir, and a server
 * started there decrypts every secret and sends it in a real webhook delivery. Restore
 * refuses without the right key and while a server uses the data dir; on PostgreSQL
 * `hush restore --check` verifies a database against the key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../support/child-server.ts';
import { runHush } from '../support/cli-fns.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { createTestSchema, TEST_PG_URL, urlWithSchema } from '../support/pg-fns.ts';
import { api } from '../support/test-server.ts';

const PASSWORD = 'a long enough password';
const value = (name: string, n: number) => `value-of-${name}-number-${n}`;

async function tokenFor(dataDir: string, env: Record<string, string> = {}): Promise<string> {
  const e = { HUSH_DATA_DIR: dataDir, ...env };
  const created = await runHush(['user', 'create', '--email', 'ops@example.com', '--password', PASSWORD], e);
  expect(created.stderr).toBe('');
  const t = await runHush(['token', 'create', '--email', 'ops@example.com'], e);
  expect(t.code, t.stderr).toBe(0);
  return t.stdout.trim();
}

describe('backup and restore (SQLite)', { timeout: 300_000 }, () => {
  let root: string;
  let sink: HttpSink;
  const servers: ChildServer[] = [];
  const dirA = () => path.join(root, 'a');
  const dirB = () => path.join(root, 'b');
  const backupFile = () => path.join(root, 'backups', 'hush-backup.db');

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-backup-'));
    fs.mkdirSync(path.join(root, 'backups'));
    sink = await startHttpSink();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await sink?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  // Each secret's newest acknowledged value number, and what was acknowledged before the backup began.
  const acked = new Map<string, number>();
  let ackedAtStart = new Map<string, number>();
  let token = '';

  it('backs up a running server during a stream of writes', async () => {
    token = await tokenFor(dirA());
    const a = await startChildServer({ dataDir: dirA() });
    servers.push(a);
    const put = async (name: string, n: number) => {
      const r = await api(a.url, 'PUT', `/v1/secrets/${name}`, { token, json: { value: value(name, n) } });
      expect(r.status, r.text).toBe(200);
      acked.set(name, Math.max(acked.get(name) ?? 0, n));
    };
    for (let i = 0; i < 5; i++) await put(`BASE_${i}`, 1);
    let stop = false;
    let written = 0;
    // New secrets and replacements of the first ones, one after another, until the backup is done.
    const stream = (async () => {
      for (let n = 2; !stop; n++) {
        await put(`STREAM_${n}`, 1);
        await put(`BASE_${n % 5}`, n);
        written += 2;
      }
    })();
    while (written < 10) await new Promise((r) => setTimeout(r, 20));
    ackedAtStart = new Map(acked);
    const backup = await runHush(['backup', backupFile()], { HUSH_DATA_DIR: dirA() });
    const writtenDuring = written;
    stop = true;
    await stream;
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up .+ to .+hush-backup\.db: 1 data key\(s\) and \d+ secret version\(s\) open with the configured master key \(wrapped by [0-9a-f]{16}\)\.\n/);
    expect(backup.stdout).toContain('The master key is not in the backup');
    expect(writtenDuring).toBeGreaterThan(10); // writes went on while the copy was made
    expect((fs.statSync(backupFile()).mode & 0o777).toString(8)).toBe('600');
    const keyFile = fs.readFileSync(path.join(dirA(), 'master.key'), 'utf8');
    const key = (JSON.parse(keyFile) as { keys: string[] }).keys[0]!;
    expect(fs.readFileSync(backupFile()).includes(Buffer.from(key, 'base64'))).toBe(false);
    // A second backup to the same name is refused, not overwritten.
    const again = await runHush(['backup', backupFile()], { HUSH_DATA_DIR: dirA() });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists: choose a new file name/);
    await a.stop();
  });

  it('refuses to restore without a key, with the wrong key, or while a server uses the data dir', async () => {
    const noKey = await runHush(['restore', backupFile()], { HUSH_DATA_DIR: dirB() });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^hush: no master key to check the backup with: set HUSH_MASTER_KEY or put the key file/);
    expect(fs.existsSync(path.join(dirB(), 'master.key'))).toBe(false); // none generated
    const wrong = await runHush(['restore', backupFile()], { HUSH_DATA_DIR: dirB(), HUSH_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot be unwrapped with the configured master key/);
    expect(fs.existsSync(path.join(dirB(), 'hush.db'))).toBe(false);
    // A server on a data dir with other data: restore refuses and leaves its store alone.
    const c = path.join(root, 'c');
    const other = await startChildServer({ dataDir: c });
    servers.push(other);
    const busy = await runHush(['restore', backupFile()], { HUSH_DATA_DIR: c });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/hush\.db is in use: stop every server \(and hush command\) on .+ first/);
    await other.stop();
    // Not a backup at all.
    fs.writeFileSync(path.join(root, 'junk.db'), 'not sqlite at all, just text'.repeat(100));
    fs.mkdirSync(dirB(), { recursive: true });
    fs.copyFileSync(path.join(dirA(), 'master.key'), path.join(dirB(), 'master.key'));
    const junk = await runHush(['restore', path.join(root, 'junk.db')], { HUSH_DATA_DIR: dirB() });
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/junk\.db is not a Hush store/);
  });

  it('restores into a new data dir where every secret decrypts and is sent by a delivery', async () => {
    const check = await runHush(['restore', '--check', backupFile()], { HUSH_DATA_DIR: dirB() });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/is usable: 1 data key\(s\) and \d+ secret version\(s\) open/);
    const r = await runHush(['restore', backupFile()], { HUSH_DATA_DIR: dirB() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Restored .+ into .+: 1 data key\(s\) and \d+ secret version\(s\) open/);
    const b = await startChildServer({ dataDir: dirB() });
    servers.push(b);
    // The token made on the first data dir works: the backup carries users and tokens.
    const list = await api(b.url, 'GET', '/v1/secrets', { token });
    expect(list.status).toBe(200);
    const names = (list.body.secrets as { name: string }[]).map((s) => s.name).sort();
    // Everything acknowledged before the backup began is there.
    for (const name of ackedAtStart.keys()) expect(names).toContain(name);
    const created = await api(b.url, 'POST', '/v1/integrations', {
      token,
      json: { event: 'restored', url: `${sink.url}/restored`, requestType: 'POST', noDefaults: true, json: Object.fromEntries(names.map((n) => [n, `{{{${n}}}}`])), secrets: names },
    });
    expect(created.status, created.text).toBe(201);
    expect((await api(b.url, 'POST', '/v1/devices/events', { token, json: { name: 'restored', data: 'x' } })).status).toBe(200);
    const [got] = await sink.waitFor(1, 30_000);
    const sent = JSON.parse(got!.body) as Record<string, string>;
    expect(Object.keys(sent).sort()).toEqual(names);
    for (const name of names) {
      const m = new RegExp(`^value-of-${name}-number-(\\d+)$`).exec(sent[name]!);
      expect(m, `${name} was sent as its real value`).not.toBeNull();
      // A value at least as new as the one acknowledged when the backup began, and one that was written.
      expect(Number(m![1])).toBeGreaterThanOrEqual(ackedAtStart.get(name) ?? 1);
      expect(Number(m![1])).toBeLessThanOrEqual(acked.get(name)!);
    }
    // A restore over a data dir that has a store keeps the old one aside.
    await b.stop();
    const over = await runHush(['restore', backupFile()], { HUSH_DATA_DIR: dirB() });
    expect(over.code, over.stderr).toBe(0);
    expect(over.stdout).toMatch(/The replaced store is kept as .+hush\.db\.before-restore-/);
  });
});

describe.skipIf(!TEST_PG_URL)('restore --check (PostgreSQL)', { timeout: 180_000 }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let dir: string;
  const key = Buffer.alloc(32, 5).toString('base64');
  beforeAll(async () => {
    schema = await createTestSchema(TEST_PG_URL!);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-pgcheck-'));
  });
  afterAll(async () => {
    await schema?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a database against the configured key, and refuses backup/restore FILE with the pg_dump pointer', async () => {
    const env = { HUSH_DATA_DIR: dir, HUSH_DATABASE_URL: urlWithSchema(TEST_PG_URL!, schema.schema), HUSH_MASTER_KEY: key };
    const token = await tokenFor(dir, env);
    const s = await startChildServer({ dataDir: dir, pgSchema: schema.schema, env: { HUSH_MASTER_KEY: key } });
    try {
      for (const n of ['ONE', 'TWO']) expect((await api(s.url, 'PUT', `/v1/secrets/${n}`, { token, json: { value: value(n, 1) } })).status).toBe(200);
    } finally {
      await s.stop();
    }
    const ok = await runHush(['restore', '--check'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^The database is usable: 1 data key\(s\) and 2 secret version\(s\) open with the configured master key/);
    const wrong = await runHush(['restore', '--check'], { ...env, HUSH_MASTER_KEY: Buffer.alloc(32, 6).toString('base64') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot be unwrapped with the configured master key/);
    const backup = await runHush(['backup', path.join(dir, 'x.db')], env);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toMatch(/back up with pg_dump/);
    const restore = await runHush(['restore', path.join(dir, 'x.db')], env);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/restore with pg_restore \(see the README\), then run `hush restore --check`/);
  });
});
