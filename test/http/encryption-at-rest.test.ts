import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { HushError } from '../../src/errors/errors.ts';
import { startServer } from '../../src/server/serve.ts';
import { startOn } from '../support/cli-fns.ts';
import { testDialects, TEST_PG_URL } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

// Distinctive values: none of these strings occurs anywhere else in the store.
const VALUES = {
  FIRST: 'Quokka-Zebra-8c1f-first-value',
  REPLACED: 'Narwhal-Okapi-52d7-replaced-value',
  UNICODE: 'Ünïcødé-Pangolin-σεκρετ-値',
  ORG: 'Axolotl-Tapir-90be-org-value',
};
const ALL_VALUES = Object.values(VALUES);

/** Every byte encoding of a value that would betray it in a file or dump. */
const encodings = (v: string) => [Buffer.from(v, 'utf8'), Buffer.from(v, 'utf16le'), Buffer.from(Buffer.from(v, 'utf8').toString('hex'))];

/** Stores the values: two versions of one secret, a unicode one and an org one. */
async function storeValues(s: TestServer): Promise<{ user: Awaited<ReturnType<TestServer['user']>>; orgId: string }> {
  const user = await s.user();
  const put = async (p: string, value: string) => expect((await api(s.url, 'PUT', p, { token: user.token, json: { secret: { value } } })).status).toBe(200);
  await put('/v1/secrets/ROTATED', VALUES.FIRST);
  await put('/v1/secrets/ROTATED', VALUES.REPLACED);
  await put('/v1/secrets/UNICODE', VALUES.UNICODE);
  const org = await s.services.orgs.create(`rest-${user.id.slice(0, 8)}`, 'At rest', user.email);
  await put(`/v1/orgs/${org.slug}/secrets/ORG_VALUE`, VALUES.ORG);
  // The values really are there (and readable by the server).
  expect(await s.services.resolver.values(`user:${user.id}`, ['ROTATED', 'UNICODE'])).toEqual({ ROTATED: VALUES.REPLACED, UNICODE: VALUES.UNICODE });
  return { user, orgId: org.id };
}

describe('encryption at rest: SQLite files', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ dialect: 'sqlite' });
    await storeValues(s);
  });
  afterAll(async () => s?.stop());

  const scan = () => {
    const files = fs.readdirSync(s.dataDir);
    expect(files).toContain('hush.db');
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(s.dataDir, f));
      for (const v of ALL_VALUES) for (const enc of encodings(v)) expect(bytes.includes(enc), `${f} contains ${v}`).toBe(false);
    }
    return files;
  };

  it('no file in the data dir holds a value while the server runs (db, -wal, -shm)', () => {
    const files = scan();
    expect(files).toEqual(expect.arrayContaining(['hush.db', 'hush.db-wal', 'hush.db-shm', 'master.key']));
    // The scan is meaningful: the WAL holds the recent rows, names included.
    expect(fs.readFileSync(path.join(s.dataDir, 'hush.db-wal')).includes(Buffer.from('ORG_VALUE'))).toBe(true);
  });

  it('nor after the server stops and SQLite checkpoints', async () => {
    await s.close();
    scan();
  });
});

describe.skipIf(!TEST_PG_URL)('encryption at rest: PostgreSQL rows', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ dialect: 'postgres' });
    await storeValues(s);
  });
  afterAll(async () => s?.stop());

  it('no row of any table in the schema holds a value', async () => {
    const db = s.services.store.db;
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s;
    expect(schema).toMatch(/^hush_t_/);
    const tables = (await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = ${schema}`.execute(db)).rows.map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['secrets', 'secret_versions', 'data_key_wrappings', 'audit_log']));
    let rowCount = 0;
    for (const t of tables) {
      const rows = (await sql<{ row: string }>`select x::text as row from ${sql.table(t)} x`.execute(db)).rows;
      rowCount += rows.length;
      const dump = rows.map((r) => r.row).join('\n');
      for (const v of ALL_VALUES) {
        expect(dump, `${t} contains ${v}`).not.toContain(v);
        expect(dump.toLowerCase(), `${t} contains ${v} as hex`).not.toContain(Buffer.from(v, 'utf8').toString('hex'));
        expect(dump.toLowerCase()).not.toContain(Buffer.from(v, 'utf16le').toString('hex'));
      }
    }
    expect(rowCount).toBeGreaterThan(10);
  });
});

describe.each(testDialects())('swapped ciphertexts fail authentication (%s)', (dialect) => {
  let s: TestServer;
  let owner: string;
  let orgOwner: string;
  beforeAll(async () => {
    s = await startTestServer({ dialect });
    const { user, orgId } = await storeValues(s);
    owner = `user:${user.id}`;
    orgOwner = `org:${orgId}`;
  });
  afterAll(async () => s?.stop());

  const swap = async (a: { owner: string; name: string }, b: { owner: string; name: string }) => {
    const db = s.services.store.db;
    const [ra, rb] = await Promise.all(
      [a, b].map(async (k) => {
        const cur = (await s.services.store.db.selectFrom('secrets').select('current_version').where('owner', '=', k.owner).where('name', '=', k.name).executeTakeFirstOrThrow()).current_version;
        return db.selectFrom('secret_versions').selectAll().where('owner', '=', k.owner).where('name', '=', k.name).where('version', '=', cur).executeTakeFirstOrThrow();
      }),
    );
    const setRow = (to: typeof ra, from: typeof ra) =>
      db.updateTable('secret_versions').set({ ciphertext: from.ciphertext, nonce: from.nonce, data_key_id: from.data_key_id }).where('owner', '=', to.owner).where('name', '=', to.name).where('version', '=', to.version).execute();
    await setRow(ra, rb);
    await setRow(rb, ra);
    return [ra.version, rb.version];
  };

  const failure = async (o: string, name: string): Promise<HushError> => {
    try {
      await s.services.resolver.values(o, [name]);
    } catch (e) {
      expect(e).toBeInstanceOf(HushError);
      return e as HushError;
    }
    throw new Error(`reading ${name} should have failed`);
  };

  it('two rows of one owner, different names: both refuse to decrypt, naming the secret', async () => {
    const [va, vb] = await swap({ owner, name: 'ROTATED' }, { owner, name: 'UNICODE' });
    const a = await failure(owner, 'ROTATED');
    expect(a.code).toBe('integrity_error');
    expect(a.message).toBe(`secret ROTATED (version ${va}) could not be decrypted: its ciphertext does not belong to this secret (altered or swapped row)`);
    const b = await failure(owner, 'UNICODE');
    expect(b.code).toBe('integrity_error');
    expect(b.message).toBe(`secret UNICODE (version ${vb}) could not be decrypted: its ciphertext does not belong to this secret (altered or swapped row)`);
    for (const e of [a, b]) for (const v of ALL_VALUES) expect(e.message).not.toContain(v);
  });

  it('rows of two owners: both refuse to decrypt', async () => {
    await swap({ owner, name: 'ROTATED' }, { owner: orgOwner, name: 'ORG_VALUE' });
    expect((await failure(owner, 'ROTATED')).message).toMatch(/^secret ROTATED \(version \d+\) could not be decrypted/);
    expect((await failure(orgOwner, 'ORG_VALUE')).message).toMatch(/^secret ORG_VALUE \(version \d+\) could not be decrypted/);
  });

  it('a tampered ciphertext byte refuses to decrypt', async () => {
    const db = s.services.store.db;
    const row = await db.selectFrom('secret_versions').selectAll().where('owner', '=', orgOwner).where('name', '=', 'ORG_VALUE').executeTakeFirstOrThrow();
    const bent = Buffer.from(row.ciphertext);
    bent[0] ^= 1;
    await db.updateTable('secret_versions').set({ ciphertext: bent, data_key_id: row.data_key_id }).where('owner', '=', orgOwner).where('name', '=', 'ORG_VALUE').where('version', '=', row.version).execute();
    expect((await failure(orgOwner, 'ORG_VALUE')).code).toBe('integrity_error');
  });

  it('a server restarted on the damaged store still starts; intact secrets work', async () => {
    await s.close();
    const again = await s.startAgain();
    try {
      expect((await again.services.resolver.values(owner, ['ROTATED']).then(() => null, (e: unknown) => e as HushError))?.code).toBe('integrity_error');
      const token = (await again.services.auth.issueToken(owner.slice('user:'.length), 'particle')).accessToken;
      expect((await api(again.url, 'PUT', '/v1/secrets/FRESH', { token, json: { value: 'fresh-value-123' } })).status).toBe(200);
      expect(await again.services.resolver.values(owner, ['FRESH'])).toEqual({ FRESH: 'fresh-value-123' });
    } finally {
      await again.close();
    }
  });
});

describe('start-up refuses the wrong master key', () => {
  it('a wrong HUSH_MASTER_KEY against an existing data dir fails with a clear message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-wrongkey-'));
    try {
      const first = await startOn(dir);
      const u = await first.services.auth.createUser('keys@example.com', 'long enough password');
      const t = await first.services.auth.issueToken(u.id, 'particle');
      expect((await api(first.url, 'PUT', '/v1/secrets/KEPT', { token: t.accessToken, json: { value: 'kept-value-123' } })).status).toBe(200);
      await first.close();
      const wrong = Buffer.alloc(32, 9).toString('base64');
      await expect(startOn(dir, { HUSH_MASTER_KEY: wrong })).rejects.toThrow(
        /^data key [0-9a-f]{24} cannot be unwrapped with the configured master key [0-9a-f]{16} \(it is wrapped by [0-9a-f]{16}\): check HUSH_MASTER_KEY or the key file$/,
      );
      // The right key (the file) still works afterwards: the failed start changed nothing.
      const again = await startOn(dir);
      expect(await again.services.resolver.values(`user:${u.id}`, ['KEPT'])).toEqual({ KEPT: 'kept-value-123' });
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL without HUSH_MASTER_KEY fails start-up naming the variable', async () => {
    const config = loadConfig({ HUSH_DATABASE_URL: TEST_PG_URL ?? 'postgres://nobody@127.0.0.1:1/none', HUSH_PORT: '0', HUSH_DATA_DIR: os.tmpdir() });
    await expect(startServer(config)).rejects.toThrow(
      'HUSH_MASTER_KEY: is required with PostgreSQL: every node must share one master key (a key file per node would split the cluster); generate one with `openssl rand -base64 32`',
    );
  });
});
