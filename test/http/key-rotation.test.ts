import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { runHush, startOn } from '../support/cli-fns.ts';
import { api } from '../support/test-server.ts';

/** `hush key rotate` / `hush key prune` run as the real CLI against a data dir (spec: design §2 "At rest"). */

interface Seeded {
  readonly owner: string;
  readonly values: Record<string, string>;
}

/** One user (sandbox) with two secrets, one replaced, plus an org secret: two owners, two data keys. */
async function seed(s: RunningServer, tag: string): Promise<Seeded[]> {
  const email = `${tag}-${randomBytes(3).toString('hex')}@example.com`;
  const u = await s.services.auth.createUser(email, 'long enough password');
  const token = (await s.services.auth.issueToken(u.id, 'particle')).accessToken;
  const put = async (p: string, value: string) => expect((await api(s.url, 'PUT', p, { token, json: { value } })).status).toBe(200);
  await put('/v1/secrets/ALPHA', `${tag}-alpha-old`);
  await put('/v1/secrets/ALPHA', `${tag}-alpha-value`);
  await put('/v1/secrets/BETA', `${tag}-beta-value`);
  const org = await s.services.orgs.create(`${tag}-${randomBytes(3).toString('hex')}`, 'Rotation', email);
  await put(`/v1/orgs/${org.slug}/secrets/GAMMA`, `${tag}-gamma-value`);
  return [
    { owner: `user:${u.id}`, values: { ALPHA: `${tag}-alpha-value`, BETA: `${tag}-beta-value` } },
    { owner: `org:${org.id}`, values: { GAMMA: `${tag}-gamma-value` } },
  ];
}

async function expectReadable(s: RunningServer, seeded: readonly Seeded[]): Promise<void> {
  for (const { owner, values } of seeded) expect(await s.services.resolver.values(owner, Object.keys(values))).toEqual(values);
}

const readKeyFile = (dir: string): string[] => (JSON.parse(fs.readFileSync(path.join(dir, 'master.key'), 'utf8')) as { keys: string[] }).keys;

// Each CLI run starts tsx in a fresh process: seconds apiece on a busy two-core machine.
describe('hush key rotate keeps every secret usable', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-rotate-'));
    dirs.push(d);
    return d;
  };
  const start = async (dir: string, env: Record<string, string> = {}) => {
    const s = await startOn(dir, env);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('key-file mode: rotate on a stopped server’s data dir, then a new server reads every value', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const seeded = await seed(first, 'file');
    await first.close();
    const before = readKeyFile(dir);
    expect(before).toHaveLength(1);

    const r = await runHush(['key', 'rotate'], { HUSH_DATA_DIR: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Rotated to master key [0-9a-f]{16}: 2 data key\(s\) re-wrapped\.\n$/);
    const after = readKeyFile(dir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    expect(fs.statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);

    const second = await start(dir);
    await expectReadable(second, seeded);
    // Writing still works, and a new owner gets a data key under the new master key.
    await expectReadable(second, await seed(second, 'after'));
  });

  it('key-file mode: a running server keeps working through a rotation', async () => {
    const dir = tempDir();
    const running = await start(dir);
    const seeded = await seed(running, 'live');
    const r = await runHush(['key', 'rotate'], { HUSH_DATA_DIR: dir });
    expect(r.code).toBe(0);
    await expectReadable(running, seeded);
    // A new owner's data key is wrapped under the rotated key (the server reloads the file).
    const more = await seed(running, 'during');
    await running.close();
    const fresh = await start(dir);
    await expectReadable(fresh, [...seeded, ...more]);
  });

  it('env mode: new key alone reads everything; old-key nodes work until prune; then the old key fails start-up', async () => {
    const dir = tempDir();
    const OLD = randomBytes(32).toString('base64');
    const oldNode = await start(dir, { HUSH_MASTER_KEY: OLD });
    const seeded = await seed(oldNode, 'env');
    expect(fs.existsSync(path.join(dir, 'master.key'))).toBe(false);

    const r = await runHush(['key', 'rotate'], { HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: OLD });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Rotated to master key [0-9a-f]{16}: 2 data key\(s\) re-wrapped\.$/);
    expect(lines[1]).toMatch(/^New HUSH_MASTER_KEY=[A-Za-z0-9+/]{43}=$/);
    expect(lines[2]).toBe(
      'Set it on every node (old wrappings stay until `hush key prune`, so nodes on the old key keep working), restart them, then run `hush key prune`.',
    );
    const NEW = lines[1].slice('New HUSH_MASTER_KEY='.length);
    expect(Buffer.from(NEW, 'base64')).toHaveLength(32);
    expect(NEW).not.toBe(OLD);

    // The node still on the old key keeps reading and writing.
    await expectReadable(oldNode, seeded);
    expect((await oldNode.services.resolver.values(seeded[0].owner, ['ALPHA'])).ALPHA).toBe('env-alpha-value');
    // ...and so does a node freshly started on the old key, before prune.
    const oldAgain = await start(dir, { HUSH_MASTER_KEY: OLD });
    await expectReadable(oldAgain, seeded);
    // A straggler: an old-key node creates a new owner's data key after the rotation.
    const straggler = await seed(oldNode, 'straggler');

    const newNode = await start(dir, { HUSH_MASTER_KEY: NEW });
    await expectReadable(newNode, seeded);

    for (const s of servers.splice(0)) await s.close();
    const prune = await runHush(['key', 'prune'], { HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: `${NEW},${OLD}` });
    expect(prune.stderr).toBe('');
    expect(prune.code).toBe(0);
    // 4 data keys: the 2 seeded ones had both wrappings; the straggler's 2 only the old one.
    expect(prune.stdout).toBe('Pruned 4 old wrapping(s); 2 data key(s) wrapped under the primary key first.\n');

    const after = await start(dir, { HUSH_MASTER_KEY: NEW });
    await expectReadable(after, [...seeded, ...straggler]);
    await after.close();
    servers.splice(0);

    await expect(start(dir, { HUSH_MASTER_KEY: OLD })).rejects.toThrow(
      /^data key [0-9a-f]{24} cannot be unwrapped with the configured master key [0-9a-f]{16} \(it is wrapped by [0-9a-f]{16}\): check HUSH_MASTER_KEY or the key file$/,
    );
    const serve = await runHush(['serve'], { HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: OLD, HUSH_PORT: '0', HUSH_LOG_LEVEL: 'warn' });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(/^hush: data key [0-9a-f]{24} cannot be unwrapped with the configured master key [0-9a-f]{16} .*: check HUSH_MASTER_KEY or the key file\n$/);
    expect(serve.stdout).toBe('');
  });
});
