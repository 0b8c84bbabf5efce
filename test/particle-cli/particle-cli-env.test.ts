/**
 * End-to-end: particle-cli 3.51's `config env list|set|delete` for each of its scope flags
 * (--sandbox, --org, --product, --device) against a real Hush server.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureParticleCli, makeParticleHome, runParticle, type ParticleResult } from '../support/particle-cli-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

// Each command is a fresh Node process that loads the whole CLI (~1–2 s); a step runs seven of them.
const COMMAND_TIMEOUT_MS = 45_000;
const STEP_TIMEOUT_MS = 240_000;
const ORG = 'cli-env-org';
const DEVICE = 'e1b2c3d4e5f60718293a4b5c';

const show = (args: readonly string[], r: ParticleResult): string => `particle ${args.join(' ')} → code ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe('particle-cli 3.51 config env against Hush', () => {
  let s: TestServer;
  let user: Awaited<ReturnType<TestServer['user']>>;
  let home: string;
  let product = '';

  beforeAll(async () => {
    await ensureParticleCli();
    s = await startTestServer();
    user = await s.user();
    await s.services.orgs.create(ORG, 'CLI Env Org', user.email);
    const p = await api(s.url, 'POST', '/v1/user/products', { token: user.token, json: { name: 'CLI env product', slug: 'cli-env-product' } });
    product = String(p.body.product.id);
    await api(s.url, 'POST', `/v1/products/${product}/devices`, { token: user.token, json: { id: DEVICE } });
    home = makeParticleHome(s.url, { access_token: user.token, username: user.email });
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  const particle = async (...args: string[]) => {
    const r = await runParticle(args, { home, timeoutMs: COMMAND_TIMEOUT_MS });
    return { r, text: show(args, r) };
  };
  /** Every command succeeds (with --device the CLI also looks the device up: `GET /v1/devices/:id`). */
  const changed = (run: { r: ParticleResult; text: string }, _flag: string) => {
    expect(run.r.code, run.text).toBe(0);
  };

  const path = (flag: string) => ({ '--sandbox': '/v1/env', '--org': `/v1/orgs/${ORG}/env`, '--product': `/v1/products/${product}/env`, '--device': `/v1/env/${DEVICE}` })[flag] as string;

  it.each([
    ['--sandbox', [] as string[]],
    ['--org', [ORG]],
    ['--product', ['PRODUCT']],
    ['--device', [DEVICE]],
  ])('set, list and delete with %s', async (flag, rest) => {
    const scope = [flag, ...rest.map((x) => (x === 'PRODUCT' ? product : x))];
    const set = await particle('config', 'env', 'set', 'MODE', 'eco', ...scope);
    changed(set, flag);
    expect(set.r.stdout).toContain('Environment variable MODE has been successfully set.');
    changed(await particle('config', 'env', 'set', 'URL=https://x.test/?a=b', ...scope), flag);
    const list = await particle('config', 'env', 'list', ...scope, '--json');
    expect(list.r.code, list.text).toBe(0);
    expect(JSON.parse(list.r.stdout).latest.own).toEqual({ MODE: { value: 'eco' }, URL: { value: 'https://x.test/?a=b' } });
    // The table lists what was rolled out; staged changes show as pending.
    const table = await particle('config', 'env', 'list', ...scope);
    changed(table, flag);
    expect(table.r.stdout, table.text).toContain('Pending changes');
    expect(table.r.stdout).toMatch(/Added\s.*MODE/);
    const del = await particle('config', 'env', 'delete', 'MODE', ...scope);
    changed(del, flag);
    expect(del.r.stdout).toContain('Environment variable MODE has been successfully deleted.');
    const after = await particle('config', 'env', 'list', ...scope, '--json');
    expect(JSON.parse(after.r.stdout).latest.own).toEqual({ URL: { value: 'https://x.test/?a=b' } });
    // Once rolled out, the table shows the value with its scope and nothing pending.
    expect((await api(s.url, 'POST', `${path(flag)}/rollout`, { token: user.token, json: { when: 'Connect' } })).status).toBe(200);
    const live = await particle('config', 'env', 'list', ...scope);
    expect(live.r.code, live.text).toBe(0);
    expect(live.r.stdout).toMatch(/URL\s.*https:\/\/x\.test\/\?a=b/);
    expect(live.r.stdout).not.toContain('Pending changes');
  }, STEP_TIMEOUT_MS);
});
