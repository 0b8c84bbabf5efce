import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT, runHush, startOn, type CliResult } from '../support/cli-fns.ts';
import { api } from '../support/test-server.ts';

const PASSWORD = 'a long enough password';

/** A failed command: non-zero exit, nothing on stdout, exactly one `hush: ` line on stderr. */
function expectOneLineError(r: CliResult, message: string): void {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toEqual([`hush: ${message}`, '']);
}

// Each run starts tsx in a fresh process: seconds apiece on a busy two-core machine.
describe('admin CLI: node bin/hush.js', { timeout: 180_000 }, () => {
  let dir: string;
  const hush = (args: string[], env: Record<string, string> = {}, stdin?: string) => runHush(args, { HUSH_DATA_DIR: dir, ...env }, stdin);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hush migrate creates the schema, then finds it up to date', async () => {
    const first = await hush(['migrate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied 001-foundation(, \d{3}-[a-z0-9-]+)*\.\n$/);
    expect(fs.existsSync(path.join(dir, 'hush.db'))).toBe(true);
    const again = await hush(['migrate']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('The schema is up to date.\n');
  });

  it('user create --email --password', async () => {
    const r = await hush(['user', 'create', '--email', 'Admin@Example.com', '--password', PASSWORD]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Created user admin@example\.com \(id [0-9a-f]{24}\)\.\n$/);
  });

  it('user create --password-stdin', async () => {
    const r = await hush(['user', 'create', '--email', 'dev@example.com', '--password-stdin'], {}, `${PASSWORD}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Created user dev@example\.com \(id [0-9a-f]{24}\)\.\n$/);
  });

  it('org create and org add-member', async () => {
    const c = await hush(['org', 'create', '--slug', 'acme', '--name', 'Acme Inc', '--owner', 'admin@example.com']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^Created organization acme \(id [0-9a-f]{24}\) with administrator admin@example\.com\.\n$/);
    const m = await hush(['org', 'add-member', '--org', 'acme', '--email', 'dev@example.com', '--role', 'developer']);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toBe('dev@example.com is now developer of acme.\n');
  });

  it('token create prints a 40-hex token that works against a server on that data dir', async () => {
    const r = await hush(['token', 'create', '--email', 'dev@example.com']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{40}\n$/);
    const token = r.stdout.trim();
    const server = await startOn(dir);
    try {
      const user = await api(server.url, 'GET', '/v1/user', { token });
      expect(user.status).toBe(200);
      expect(user.body.username).toBe('dev@example.com');
      // The password given on stdin works too, and the membership made by the CLI holds.
      const login = await api(server.url, 'POST', '/oauth/token', { form: { grant_type: 'password', username: 'dev@example.com', password: PASSWORD, client_id: 'particle' } });
      expect(login.status).toBe(200);
      const orgs = await api(server.url, 'GET', '/v1/orgs', { token });
      expect(orgs.body.organizations.map((o: { slug: string; role: string }) => [o.slug, o.role])).toEqual([['acme', 'developer']]);
      expect((await api(server.url, 'PUT', '/v1/orgs/acme/secrets/FROM_CLI_TOKEN', { token, json: { value: 'cli-token-value' } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses bad input with one `hush: ` line and a non-zero exit', async () => {
    // One at a time: seven processes opening one SQLite file at once on a loaded machine
    // measure lock contention, not the CLI.
    const runs: string[][] = [
      ['user', 'create', '--email', 'admin@example.com', '--password', PASSWORD],
      ['org', 'add-member', '--org', 'acme', '--email', 'dev@example.com', '--role', 'boss'],
      ['org', 'add-member', '--org', 'nope', '--email', 'dev@example.com', '--role', 'developer'],
      ['user', 'create', '--email', 'not-an-email', '--password', PASSWORD],
      ['user', 'create', '--email', 'short@example.com', '--password', 'short'],
      ['token', 'create', '--email', 'ghost@example.com'],
      ['user', 'create', '--email', 'nopw@example.com'],
    ];
    const results: CliResult[] = [];
    for (const args of runs) results.push(await hush(args));
    const [dup, badRole, unknownOrg, badEmail, shortPw, noUser, noPw] = results;
    expectOneLineError(dup, "a user with email 'admin@example.com' already exists");
    expectOneLineError(badRole, "--role must be one of administrator, developer, view-only, got 'boss'");
    expectOneLineError(unknownOrg, "organization 'nope' not found");
    expectOneLineError(badEmail, "'not-an-email' is not a valid email address");
    expectOneLineError(shortPw, 'password must be at least 8 characters');
    expectOneLineError(noUser, "no user with email 'ghost@example.com'");
    expectOneLineError(noPw, 'give --password or --password-stdin');
  });

  it('invalid configuration stops `hush serve` with one line naming the variable', async () => {
    const results = await Promise.all([
      hush(['serve'], { HUSH_PORT: 'abc' }),
      hush(['serve'], { HUSH_DATABASE_URL: 'mysql://x' }),
      hush(['serve'], { HUSH_MASTER_KEY: 'short' }),
      hush(['serve'], { HUSH_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }),
      hush(['serve'], { HUSH_LOG_LEVEL: 'loud' }),
    ]);
    expectOneLineError(results[0], "HUSH_PORT: must be a whole number from 0 to 65535, got 'abc'");
    expectOneLineError(results[1], 'HUSH_DATABASE_URL: must be a postgres:// URL (leave it unset for the embedded SQLite store)');
    expectOneLineError(results[2], 'HUSH_MASTER_KEY: key 1 must be base64 of exactly 32 bytes (e.g. from `openssl rand -base64 32`)');
    expectOneLineError(
      results[3],
      'HUSH_MASTER_KEY: is required with PostgreSQL: every node must share one master key (a key file per node would split the cluster); generate one with `openssl rand -base64 32`',
    );
    expectOneLineError(results[4], "HUSH_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent; got 'loud'");
  });

  it('hush serve prints the URL and first steps, answers /healthz, and exits 0 on SIGTERM', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-serve-'));
    const child = spawn(process.execPath, ['bin/hush.js', 'serve'], {
      cwd: REPO_ROOT,
      env: cleanEnv({ HUSH_DATA_DIR: fresh, HUSH_PORT: '0', HUSH_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          stdout += c;
          const m = /Health check: +(http:\/\/127\.0\.0\.1:\d+)\/healthz\n/.exec(stdout);
          if (m && stdout.endsWith('\n\n')) resolve(m[1]);
        });
        void exited.then(() => reject(new Error(`hush serve exited early: ${stderr}`)));
      });
      expect(stdout).toBe(
        [
          '',
          `Hush is running (SQLite in ${fresh}).`,
          `  Console and API: ${base}/`,
          `  Health check:    ${base}/healthz`,
          '',
          'First steps: create the first user, then sign in to the console with it:',
          '  npm run -s hush -- user create --email you@example.com --password-stdin',
          'and, for API clients (particle-cli, particle-api-js), a token:',
          '  npm run -s hush -- token create --email you@example.com',
          '',
          '',
        ].join('\n'),
      );
      const health = await api(base, 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ ok: true, database: 'up' });
      expect((await api(base, 'GET', '/v1/secrets')).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
