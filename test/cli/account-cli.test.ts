import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHush, startOn, type CliResult } from '../support/cli-fns.ts';
import { createTestSchema, TEST_PG_URL, urlWithSchema } from '../support/pg-fns.ts';
import { api } from '../support/test-server.ts';

const OLD_PW = 'the first long password';
const NEW_PW = 'the second long password';

/** A failed command: non-zero exit, nothing on stdout, exactly one `hush: ` line on stderr. */
function expectOneLineError(r: CliResult, message: string): void {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toEqual([`hush: ${message}`, '']);
}

function expectOk(r: CliResult): string {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const login = (url: string, password: string) =>
  api(url, 'POST', '/oauth/token', { form: { grant_type: 'password', username: 'ops@example.com', password, client_id: 'particle' } });

// Each run starts tsx in a fresh process: seconds apiece on a busy two-core machine.
describe('admin CLI: list, set-password, revoke, remove-member, usage errors', { timeout: 180_000 }, () => {
  let dir: string;
  const hush = (args: string[], env: Record<string, string> = {}, stdin?: string) => runHush(args, { HUSH_DATA_DIR: dir, ...env }, stdin);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-cli-acct-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--version, and usage errors as one `hush: ` line', async () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(expectOk(await hush(['--version']))).toBe(`${pkg.version}\n`);
    expectOneLineError(await hush(['nosuch']), "unknown command 'nosuch'");
    expectOneLineError(await hush(['user', 'create']), "required option '--email <email>' not specified");
  });

  it('lists no users and no organizations on a fresh store', async () => {
    expect(expectOk(await hush(['user', 'list']))).toBe('No users yet.\n');
    expect(expectOk(await hush(['org', 'list']))).toBe('No organizations yet.\n');
  });

  it('refuses ambiguous, empty and blank passwords', async () => {
    const both = await hush(['user', 'create', '--email', 'ops@example.com', '--password', OLD_PW, '--password-stdin'], {}, `${OLD_PW}\n`);
    expectOneLineError(both, 'give either --password or --password-stdin, not both');
    expectOneLineError(await hush(['user', 'create', '--email', 'ops@example.com', '--password-stdin'], {}, ''), 'no password on standard input');
    expectOneLineError(await hush(['user', 'create', '--email', 'ops@example.com', '--password', '          ']), 'password must not be only spaces');
  });

  it('user list and org list show what was created', async () => {
    const created = expectOk(await hush(['user', 'create', '--email', 'ops@example.com', '--password-stdin'], {}, `${OLD_PW}\n`));
    const id = /\(id ([0-9a-f]{24})\)/.exec(created)?.[1];
    expectOk(await hush(['user', 'create', '--email', 'dev@example.com', '--password', OLD_PW]));
    expectOk(await hush(['org', 'create', '--slug', 'acme', '--name', 'Acme Inc', '--owner', 'ops@example.com']));
    expectOk(await hush(['org', 'add-member', '--org', 'acme', '--email', 'dev@example.com', '--role', 'developer']));
    const users = expectOk(await hush(['user', 'list'])).split('\n');
    expect(users[0]).toMatch(/^EMAIL +ID +CREATED$/);
    expect(users[1]).toMatch(/^dev@example\.com +[0-9a-f]{24}  \d{4}-\d\d-\d\dT/);
    expect(users[2]).toMatch(new RegExp(`^ops@example\\.com +${id}  \\d{4}-`));
    expect(users.length).toBe(4);
    const orgs = expectOk(await hush(['org', 'list'])).split('\n');
    expect(orgs[0]).toMatch(/^SLUG +ID +MEMBERS +NAME$/);
    expect(orgs[1]).toMatch(/^acme +[0-9a-f]{24} +2 +Acme Inc$/);
  });

  it('org remove-member removes a member but never the last administrator', async () => {
    expectOneLineError(await hush(['org', 'remove-member', '--org', 'acme', '--email', 'ops@example.com']), 'an organization needs at least one administrator');
    expect(expectOk(await hush(['org', 'remove-member', '--org', 'acme', '--email', 'dev@example.com']))).toBe('Removed dev@example.com from acme.\n');
    expectOneLineError(await hush(['org', 'remove-member', '--org', 'acme', '--email', 'dev@example.com']), "'dev@example.com' is not a member of organization 'acme'");
    expectOneLineError(await hush(['org', 'remove-member', '--org', 'nope', '--email', 'dev@example.com']), "organization 'nope' not found");
  });

  it('user set-password replaces the password; token revoke ends every token of the user', async () => {
    const token = expectOk(await hush(['token', 'create', '--email', 'ops@example.com'])).trim();
    expect(expectOk(await hush(['user', 'set-password', '--email', 'OPS@example.com', '--password-stdin'], {}, `${NEW_PW}\n`))).toBe(
      'Changed the password of ops@example.com.\n',
    );
    expectOneLineError(await hush(['user', 'set-password', '--email', 'ghost@example.com', '--password', NEW_PW]), "no user with email 'ghost@example.com'");
    expectOneLineError(await hush(['user', 'set-password', '--email', 'ops@example.com', '--password', 'short']), 'password must be at least 8 characters');
    const server = await startOn(dir);
    try {
      expect((await login(server.url, OLD_PW)).status).toBe(400);
      expect((await login(server.url, NEW_PW)).status).toBe(200);
      expect((await api(server.url, 'GET', '/v1/user', { token })).status).toBe(200);
      // The sign-in above made a second token: both go.
      expect(expectOk(await hush(['token', 'revoke', '--email', 'ops@example.com']))).toBe('Revoked 2 token(s) of ops@example.com.\n');
      expect((await api(server.url, 'GET', '/v1/user', { token })).status).toBe(401);
      expectOneLineError(await hush(['token', 'revoke', '--email', 'ghost@example.com']), "no user with email 'ghost@example.com'");
      // A second server on the same port: one line naming the variable, no stack trace.
      const port = new URL(server.url).port;
      expectOneLineError(await hush(['serve'], { HUSH_PORT: port }), `HUSH_PORT: 127.0.0.1:${port} is already in use; set HUSH_PORT to a free port (0 picks one)`);
    } finally {
      await server.close();
    }
  });

  it('reports an unreachable PostgreSQL server as one line naming HUSH_DATABASE_URL', async () => {
    const r = await hush(['migrate'], { HUSH_DATABASE_URL: 'postgres://nobody:pw-not-shown@127.0.0.1:1/none' });
    expectOneLineError(r, 'HUSH_DATABASE_URL: cannot connect to PostgreSQL: connect ECONNREFUSED 127.0.0.1:1');
  });
});

describe.runIf(TEST_PG_URL)('admin CLI on PostgreSQL', { timeout: 180_000 }, () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let env: Record<string, string>;
  const hush = (args: string[], stdin?: string) => runHush(args, env, stdin);

  beforeAll(async () => {
    schema = await createTestSchema(TEST_PG_URL ?? '');
    env = { HUSH_DATABASE_URL: urlWithSchema(TEST_PG_URL ?? '', schema.schema), HUSH_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
  });
  afterAll(async () => schema.drop());

  it('creates, lists, resets and revokes', async () => {
    expectOk(await hush(['user', 'create', '--email', 'pg@example.com', '--password-stdin'], `${OLD_PW}\n`));
    expectOneLineError(await hush(['user', 'create', '--email', 'pg@example.com', '--password', OLD_PW]), "a user with email 'pg@example.com' already exists");
    expectOk(await hush(['org', 'create', '--slug', 'pg-org', '--name', 'PG', '--owner', 'pg@example.com']));
    expect(expectOk(await hush(['user', 'list']))).toMatch(/^EMAIL +ID +CREATED\npg@example\.com +[0-9a-f]{24}  \d{4}-/);
    expect(expectOk(await hush(['org', 'list']))).toMatch(/^SLUG +ID +MEMBERS +NAME\npg-org +[0-9a-f]{24} +1 +PG\n$/);
    expectOk(await hush(['token', 'create', '--email', 'pg@example.com']));
    expect(expectOk(await hush(['user', 'set-password', '--email', 'pg@example.com', '--password', NEW_PW]))).toBe('Changed the password of pg@example.com.\n');
    expect(expectOk(await hush(['token', 'revoke', '--email', 'pg@example.com']))).toBe('Revoked 1 token(s) of pg@example.com.\n');
  });
});
