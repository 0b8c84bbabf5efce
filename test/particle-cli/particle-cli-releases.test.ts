/**
 * Older particle-cli releases sign in with another client pair than 3.51 does (3.0 to 3.47:
 * `CLI2`/`client_secret_here` as a form; 3.49 on: `particle-cli`/`particle-cli` through
 * particle-api-js). Each release is really installed from npm into the temp cache, as the
 * main particle-cli suite installs 3.51.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureParticleCli, makeParticleHome, readParticleConfig, runParticle } from '../support/particle-cli-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

const RELEASES = ['3.40.0', '3.47.2'] as const;
const COMMAND_TIMEOUT_MS = 60_000;

describe('older particle-cli releases sign in to Hush', () => {
  let s: TestServer;
  let user: Awaited<ReturnType<TestServer['user']>>;
  const homes: string[] = [];

  beforeAll(async () => {
    // The first run on a machine installs each release (~30 s each); later runs reuse the cache.
    for (const release of RELEASES) await ensureParticleCli(release);
    s = await startTestServer();
    user = await s.user();
  }, 600_000);

  afterAll(async () => {
    await s?.stop();
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  });

  it.each(RELEASES)('particle-cli %s logs in with -u/-p and whoami names the user', async (release) => {
    const home = makeParticleHome(s.url);
    homes.push(home);
    const installed = await runParticle(['--version'], { home, release, timeoutMs: COMMAND_TIMEOUT_MS });
    expect(installed.stdout.trim()).toBe(release);
    const login = await runParticle(['login', '-u', user.email, '-p', user.password], { home, release, timeoutMs: COMMAND_TIMEOUT_MS });
    expect(login.code, login.stdout + login.stderr).toBe(0);
    expect(login.stdout).toContain('Successfully completed login!');
    const token = String(readParticleConfig(home).access_token);
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    expect((await api(s.url, 'GET', '/v1/user', { token })).body).toMatchObject({ username: user.email });
    const whoami = await runParticle(['whoami'], { home, release, timeoutMs: COMMAND_TIMEOUT_MS });
    expect(whoami.code, whoami.stdout + whoami.stderr).toBe(0);
    expect(whoami.stdout).toContain(user.email);
  });

  it('refuses the old client id with another secret', async () => {
    const r = await fetch(`${s.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: user.email, password: user.password, client_id: 'CLI2', client_secret: 'guessed' }),
    });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: 'invalid_client' });
  });
});
