import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHush, type CliResult } from '../support/cli-fns.ts';
import { createTestSchema, TEST_PG_URL, urlWithSchema } from '../support/pg-fns.ts';
import { leakedForms } from '../support/value-forms.ts';

const VALUES = ['import-value-one-9f3c', 'import value "two" \\ 7b2e', 'replaced-value-three-51aa', 'stdin-value-four-c0de', 'bad-file-value-e4e4'];
const PW = 'a long enough password';

const ok = (r: CliResult): string => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

// Each run starts tsx in a fresh process: seconds apiece on a busy two-core machine.
type StoreSetup = () => Promise<{ env: Record<string, string>; done(): Promise<void> }>;
const sqliteStore: StoreSetup = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-cli-secrets-'));
  return { env: { HUSH_DATA_DIR: dir }, done: async () => fs.rmSync(dir, { recursive: true, force: true }) };
};
const postgresStore: StoreSetup = async () => {
  const schema = await createTestSchema(TEST_PG_URL ?? '');
  return { env: { HUSH_DATABASE_URL: urlWithSchema(TEST_PG_URL ?? '', schema.schema), HUSH_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }, done: () => schema.drop() };
};
const stores: Array<[string, StoreSetup]> = [['sqlite', sqliteStore], ...(TEST_PG_URL ? [['postgres', postgresStore] as [string, StoreSetup]] : [])];

describe.each(stores)('hush secrets import and list (%s)', { timeout: 240_000 }, (_dialect, open) => {
  let store: Awaited<ReturnType<typeof open>>;
  const outputs: string[] = [];
  const hush = async (args: string[], stdin?: string) => {
    const r = await runHush(args, store.env, stdin);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  let dir: string;
  beforeAll(async () => {
    store = await open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-dotenv-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await store?.done();
  });

  it('refuses a file with bad lines whole, upserts a good one, and reports created, replaced and unchanged', async () => {
    ok(await hush(['user', 'create', '--email', 'team@example.com', '--password', PW]));
    const bad = path.join(dir, 'bad.env');
    fs.writeFileSync(bad, `GOOD_ONE=${VALUES[4]}\nlower_name=${VALUES[4]}\n\nEMPTY=\n`);
    const refused = await hush(['secrets', 'import', '--owner', 'team@example.com', bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^hush: nothing was imported: line 2: .*'lower_name'; line 4: EMPTY: Secret value must not be empty\n$/);
    expect(ok(await hush(['secrets', 'list', '--owner', 'team@example.com']))).toBe('No secrets in team@example.com.\n');

    const good = path.join(dir, '.env');
    fs.writeFileSync(good, `# deploy keys\nAPI_KEY=${VALUES[0]}\nexport DB_PASSWORD='${VALUES[1]}'\n`);
    expect(ok(await hush(['secrets', 'import', '--owner', 'team@example.com', good]))).toBe('Imported into team@example.com: 2 created, 0 replaced, 0 unchanged.\n');
    const again = `API_KEY=${VALUES[0]}\nDB_PASSWORD=${VALUES[2]}\nFROM_STDIN=${VALUES[3]}\n`;
    expect(ok(await hush(['secrets', 'import', '--owner', 'team@example.com', '-'], again))).toBe('Imported into team@example.com: 1 created, 1 replaced, 1 unchanged.\n');

    const table = ok(await hush(['secrets', 'list', '--owner', 'team@example.com'])).split('\n');
    expect(table[0]).toMatch(/^NAME +VERSION +UPDATED +BY +LAST USED +USED BY$/);
    expect(table.slice(1, 4).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([['API_KEY', '1'], ['DB_PASSWORD', '2'], ['FROM_STDIN', '1']]);
    const json = JSON.parse(ok(await hush(['secrets', 'list', '--owner', 'team@example.com', '--json']))) as Array<{ name: string; version: number; updated_by: string }>;
    expect(json.map((s) => [s.name, s.version, s.updated_by])).toEqual([['API_KEY', 1, 'operator'], ['DB_PASSWORD', 2, 'operator'], ['FROM_STDIN', 1, 'operator']]);

    ok(await hush(['org', 'create', '--slug', 'team-org', '--name', 'Team', '--owner', 'team@example.com']));
    expect(ok(await hush(['secrets', 'import', '--owner', 'team-org', '-'], `ORG_TOKEN=${VALUES[0]}\n`))).toBe('Imported into team-org: 1 created, 0 replaced, 0 unchanged.\n');
    expect(ok(await hush(['secrets', 'list', '--owner', 'team-org']))).toMatch(/\nORG_TOKEN +1 /);
    const unknown = await hush(['secrets', 'list', '--owner', 'nobody@example.com']);
    expect([unknown.code, unknown.stderr]).toEqual([1, "hush: no user with email 'nobody@example.com'\n"]);

    // No value, nor an encoding of one, in anything the commands printed.
    expect(leakedForms(outputs.join('\n'), VALUES)).toEqual([]);
  });
});
