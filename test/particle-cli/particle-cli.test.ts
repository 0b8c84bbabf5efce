/**
 * End-to-end: the real particle-cli (pinned in ./package.json) against a real Hush server.
 * The other suites imitate the CLI with particle-api-js; this one runs the published CLI's
 * own commands and checks what it prints (spec §3.3, §5.5, §6.4, §7.9, §8.7) and what the
 * server ends up holding.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { ensureParticleCli, makeParticleHome, readParticleConfig, runParticle, startParticle, type ParticleResult } from '../support/particle-cli-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

// Each command is a fresh Node process that loads the whole CLI (~1–2 s); CI has two busy cores.
const COMMAND_TIMEOUT_MS = 45_000;
const STEP_TIMEOUT_MS = 120_000;

const ORG = 'cli-org';
const tag = randomBytes(4).toString('hex');
// Distinctive values, so finding one in the CLI's output cannot be a coincidence.
const API_KEY_VALUE = `cli-api-key-${tag}-value`;
const OTHER_VALUE = `cli-other-${tag}-value`;
const ORG_VALUE = `cli-org-${tag}-value`;
const SECRET_VALUES = [API_KEY_VALUE, OTHER_VALUE, ORG_VALUE];

const LF_NAME = 'Secret Echo';
const LF_SOURCE = `import Particle from 'particle:core';

export default function process({ event, secrets }) {
  console.log('event data', event.eventData);
  console.log('key is', secrets.API_KEY);
}
`;

interface Run {
  readonly args: readonly string[];
  readonly result: ParticleResult;
}

const show = ({ args, result: r }: Run): string => `particle ${args.join(' ')} → code ${r.code}${r.timedOut ? ' (timed out)' : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe('the real particle-cli 3.51.0 against Hush', () => {
  let s: TestServer;
  let sink: HttpSink;
  let user: Awaited<ReturnType<TestServer['user']>>;
  let home: string;
  let work: string;
  let token = '';
  let hookId = '';
  let lfId = '';
  const runs: Run[] = [];

  beforeAll(async () => {
    // The first run on a machine installs the CLI (~30 s); later runs reuse the cache.
    await ensureParticleCli();
    s = await startTestServer();
    sink = await startHttpSink();
    user = await s.user();
    await s.services.orgs.create(ORG, 'CLI Org', user.email);
    // No token yet: the first step logs in with the password, as a person would.
    home = makeParticleHome(s.url);
    work = path.join(home, 'work');
    fs.mkdirSync(work);
  }, 180_000);

  afterAll(async () => {
    await sink?.close();
    await s?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  /** Runs a command in `work` and records it for the final "no value leaked" check. */
  const particle = async (...args: string[]): Promise<Run> => {
    const result = await runParticle(args, { home, cwd: work, timeoutMs: COMMAND_TIMEOUT_MS });
    const run = { args, result };
    runs.push(run);
    return run;
  };
  /** Runs a command that must succeed; returns its stdout. */
  const ok = async (...args: string[]): Promise<string> => {
    const run = await particle(...args);
    expect(run.result.code, show(run)).toBe(0);
    return run.result.stdout;
  };
  const get = (urlPath: string) => api(s.url, 'GET', urlPath, { token: user.token });

  it('logs in with -u/-p, stores the token, and whoami names the user', async () => {
    expect(await ok('login', '-u', user.email, '-p', user.password)).toContain('Successfully completed login!');
    const config = readParticleConfig(home);
    expect(config).toMatchObject({ apiUrl: s.url, username: user.email });
    token = String(config.access_token);
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    expect((await api(s.url, 'GET', '/v1/user', { token })).body).toMatchObject({ username: user.email });

    expect(await ok('whoami')).toContain(user.email);
  }, STEP_TIMEOUT_MS);

  it('sets (NAME VALUE and NAME=VALUE), lists, gets and deletes sandbox secrets', async () => {
    const set = await ok('config', 'secrets', 'set', 'API_KEY', API_KEY_VALUE, '--sandbox');
    expect(set).toContain('Secret API_KEY set successfully.');
    expect(set).toMatch(/^API_KEY\n {4}Logic Functions: \(none\)\n {4}Integrations: \(none\)\n/m);
    expect(await ok('config', 'secrets', 'set', `OTHER_KEY=${OTHER_VALUE}`, '--sandbox')).toContain('Secret OTHER_KEY set successfully.');

    const list = await ok('config', 'secrets', 'list', '--sandbox');
    expect(list).toMatch(/^API_KEY\n {4}Usage count: 0\n {4}Created at: \S+\n {4}Updated at: \S+\n {4}Last accessed at: Never accessed\n-{45}$/m);
    expect(list).toMatch(/^OTHER_KEY$/m);

    const json = JSON.parse(await ok('config', 'secrets', 'list', '--sandbox', '--json')) as Array<Record<string, unknown>>;
    expect(json.map((x) => x.name).sort()).toEqual(['API_KEY', 'OTHER_KEY']);
    expect(json[0]).toEqual({ name: expect.any(String), createdAt: expect.any(String), updatedAt: expect.any(String), lastAccessedAt: null, usageCount: 0 });

    expect(await ok('config', 'secrets', 'get', 'API_KEY', '--sandbox')).toMatch(/^API_KEY\n {4}Logic Functions: \(none\)\n {4}Integrations: \(none\)\n/);

    expect(await ok('config', 'secrets', 'delete', 'OTHER_KEY', '--sandbox')).toContain('Secret OTHER_KEY deleted successfully.');
    expect((await get('/v1/secrets')).body.secrets.map((x: { name: string }) => x.name)).toEqual(['API_KEY']);

    const missing = await particle('config', 'secrets', 'get', 'NOPE_KEY', '--sandbox');
    expect(missing.result.code, show(missing)).not.toBe(0);
    expect(missing.result.stdout + missing.result.stderr).toContain("secret 'NOPE_KEY' not found");
  }, STEP_TIMEOUT_MS);

  it('manages organization secrets with --org', async () => {
    expect(await ok('config', 'secrets', 'set', `ORG_KEY=${ORG_VALUE}`, '--org', ORG)).toContain('Secret ORG_KEY set successfully.');
    const json = JSON.parse(await ok('config', 'secrets', 'list', '--org', ORG, '--json')) as Array<{ name: string }>;
    expect(json.map((x) => x.name)).toEqual(['ORG_KEY']);
    expect(await ok('config', 'secrets', 'get', 'ORG_KEY', '--org', ORG)).toMatch(/^ORG_KEY\n {4}Logic Functions: \(none\)/);
    // The org's secret lives in the org, not in the user's sandbox.
    expect((await get(`/v1/orgs/${ORG}/secrets`)).body.secrets.map((x: { name: string }) => x.name)).toEqual(['ORG_KEY']);
    expect((await get('/v1/secrets')).body.secrets.map((x: { name: string }) => x.name)).toEqual(['API_KEY']);

    expect(await ok('config', 'secrets', 'delete', 'ORG_KEY', '--org', ORG)).toContain('Secret ORG_KEY deleted successfully.');
    expect((await get(`/v1/orgs/${ORG}/secrets`)).body.secrets).toEqual([]);
  }, STEP_TIMEOUT_MS);

  it('creates a webhook from a JSON file that uses {{{API_KEY}}}, and lists it', async () => {
    const hook = {
      event: 'cli-hook',
      url: `${sink.url}/from-file`,
      requestType: 'POST',
      json: { key: '{{{API_KEY}}}', value: '{{{PARTICLE_EVENT_VALUE}}}' },
      headers: { Authorization: 'Bearer {{{API_KEY}}}' },
      secrets: ['API_KEY'],
    };
    fs.writeFileSync(path.join(work, 'hook.json'), JSON.stringify(hook, null, 2));
    const out = await ok('webhook', 'create', 'hook.json');
    expect(out).toContain('Using settings from the file hook.json');
    hookId = /Successfully created webhook with ID ([0-9a-f]{24})/.exec(out)?.[1] ?? '';
    expect(hookId, out).not.toBe('');

    const stored = (await get('/v1/integrations')).body as Array<Record<string, unknown>>;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: hookId, event: 'cli-hook', secrets: ['API_KEY'], json: hook.json, headers: hook.headers });

    const list = await ok('webhook', 'list');
    expect(list).toContain('Found 1 integrations registered');
    expect(list).toContain(`1.) Integration ID ${hookId} is watching for "cli-hook"`);
    expect(list).toContain(`and sending to: ${sink.url}/from-file`);
  }, STEP_TIMEOUT_MS);

  it('publishes an event that fires the webhook with the real secret value', async () => {
    expect(await ok('publish', 'cli-hook', '42')).toContain('Published event: cli-hook');
    const [req] = await sink.waitFor(1, 20_000);
    expect(req.url).toBe('/from-file');
    // A custom `json` body is merged with the default fields (no `noDefaults`), spec §7.6.
    expect(JSON.parse(req.body)).toMatchObject({ key: API_KEY_VALUE, value: '42', event: 'cli-hook', data: '42' });
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY_VALUE}`);

    const usage = await ok('config', 'secrets', 'get', 'API_KEY', '--sandbox');
    expect(usage).toMatch(new RegExp(`^ {4}Integrations:\\n {5}- cli-hook for 127\\.0\\.0\\.1: \\S*${hookId}$`, 'm'));
  }, STEP_TIMEOUT_MS);

  it('refuses to delete a secret in use, printing the server message and exiting non-zero', async () => {
    const run = await particle('config', 'secrets', 'delete', 'API_KEY', '--sandbox');
    expect(run.result.code, show(run)).not.toBe(0);
    expect(run.result.stdout + run.result.stderr).toContain('Secret API_KEY is in use by integrations or Logic Functions and cannot be deleted');
    expect((await get('/v1/secrets/API_KEY')).status).toBe(200);
  }, STEP_TIMEOUT_MS);

  it('subscribe --max 1 prints an event published while it listens, then exits', async () => {
    const before = s.node.bus.subscriberCount();
    const sub = await startParticle(['subscribe', 'cli-sub', '--max', '1'], { home, cwd: work, timeoutMs: COMMAND_TIMEOUT_MS });
    // Publish only once the stream is open on the server, or the event would go unseen.
    for (let waited = 0; s.node.bus.subscriberCount() <= before; waited += 50) {
      if (waited > 30_000) {
        sub.kill();
        throw new Error(`subscribe never connected; output so far:\n${sub.output()}`);
      }
      await sleep(50);
    }
    expect(await ok('publish', 'cli-sub/temp', '21.5')).toContain('Published event: cli-sub/temp');

    const run = { args: ['subscribe', 'cli-sub', '--max', '1'], result: await sub.result };
    runs.push(run);
    expect(run.result.code, show(run)).toBe(0);
    const out = run.result.stdout;
    expect(out).toContain('Subscribing to "cli-sub" from my devices');
    expect(out).toContain('1 event(s) received. Exiting...');
    const line = out.split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(line ?? 'null')).toMatchObject({ name: 'cli-sub/temp', data: '21.5', coreid: 'api' });
  }, STEP_TIMEOUT_MS);

  it('creates, executes and deploys a Logic function whose logs mask the secret', async () => {
    const dir = path.join(work, 'logic');
    const created = await ok('lf', 'create', '--name', LF_NAME, '--description', 'logs a secret', '--force', dir);
    expect(created).toContain('Successfully created');
    const configPath = path.join(dir, 'secret-echo.logic.json');
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { logic_function: Record<string, unknown> };
    expect(config.logic_function).toMatchObject({ name: LF_NAME, secrets: null });
    // What a user does next: write the code and declare the secret it reads.
    fs.writeFileSync(path.join(dir, 'secret-echo.js'), LF_SOURCE);
    fs.writeFileSync(configPath, JSON.stringify({ ...config, logic_function: { ...config.logic_function, secrets: ['API_KEY'] } }, null, 2));

    const executed = await ok('lf', 'execute', '--data', 'hello', dir);
    expect(executed).toContain(`Logic Function ${LF_NAME} executed in your Sandbox`);
    expect(executed).toContain('Execution Status: Success');
    expect(executed).toMatch(/1\.- .*"args":\["event data","hello"\]/);
    expect(executed).toMatch(/2\.- .*"args":\["key is","\[\[SENSITIVE\]\]"\]/);

    const deployed = await ok('lf', 'deploy', '--force', '--data', 'hello', dir);
    expect(deployed).toContain('[[SENSITIVE]]');
    expect(deployed).toContain('Success!');
    lfId = new RegExp(`Logic Function ${LF_NAME}\\(([0-9a-f-]{36})\\) deployed to your Sandbox`).exec(deployed)?.[1] ?? '';
    expect(lfId, deployed).not.toBe('');
    const stored = (await get('/v1/logic/functions')).body.logic_functions as Array<Record<string, unknown>>;
    expect(stored).toEqual([expect.objectContaining({ id: lfId, name: LF_NAME, enabled: true, secrets: ['API_KEY'] })]);

    const list = await ok('lf', 'list');
    expect(list).toContain('Logic Functions deployed in your Sandbox:');
    expect(list).toContain(`- ${LF_NAME} (enabled)`);
    expect(list).toContain(`- ID: ${lfId}`);

    // The secret now reports both of its users.
    expect(await ok('config', 'secrets', 'get', 'API_KEY', '--sandbox')).toMatch(new RegExp(`^ {4}Logic Functions:\\n {5}- ${LF_NAME}: \\S*${lfId}\\S*$`, 'm'));
  }, STEP_TIMEOUT_MS);

  it('disables and deletes the Logic function by name', async () => {
    // `disable` has no --force; it prompts only to overwrite local copies, and `work` has none.
    expect(await ok('lf', 'disable', '--name', LF_NAME)).toContain(`Logic Function ${LF_NAME} (${lfId}) is now disabled.`);
    expect((await get(`/v1/logic/functions/${lfId}`)).body.logic_function).toMatchObject({ enabled: false });

    expect(await ok('lf', 'delete', '--name', LF_NAME, '--force')).toContain(`Logic Function ${LF_NAME}(${lfId}) has been successfully deleted.`);
    expect((await get('/v1/logic/functions')).body.logic_functions).toEqual([]);
  }, STEP_TIMEOUT_MS);

  it('executes and deploys a Logic function that imports a vendor module', async () => {
    const dir = path.join(work, 'vendor-logic');
    expect(await ok('lf', 'create', '--name', 'Lodash Sum', '--description', 'sums with lodash', '--force', dir)).toContain('Successfully created');
    const code = `import { sumBy, groupBy } from 'vendor:lodash';
export default function process({ event }) {
  const readings = JSON.parse(event.eventData);
  console.log('total', sumBy(readings, 'v'), 'groups', Object.keys(groupBy(readings, 'k')).length);
}`;
    fs.writeFileSync(path.join(dir, 'lodash-sum.js'), code);
    const data = JSON.stringify([{ k: 'a', v: 2 }, { k: 'b', v: 3 }]);
    const executed = await ok('lf', 'execute', '--data', data, dir);
    expect(executed).toContain('Execution Status: Success');
    expect(executed).toMatch(/"args":\["total",5,"groups",2\]/);
    const deployed = await ok('lf', 'deploy', '--force', '--data', data, dir);
    expect(deployed).toContain('Success!');
    const id = /Logic Function Lodash Sum\(([0-9a-f-]{36})\) deployed to your Sandbox/.exec(deployed)?.[1] ?? '';
    expect(id, deployed).not.toBe('');
    expect(await ok('lf', 'delete', '--name', 'Lodash Sum', '--force')).toContain('has been successfully deleted.');
  }, STEP_TIMEOUT_MS);

  it('deletes the webhook, after which the secret can be deleted too', async () => {
    await ok('webhook', 'delete', hookId);
    expect((await get('/v1/integrations')).body).toEqual([]);
    expect(await ok('config', 'secrets', 'delete', 'API_KEY', '--sandbox')).toContain('Secret API_KEY deleted successfully.');
    expect((await get('/v1/secrets')).body.secrets).toEqual([]);
  }, STEP_TIMEOUT_MS);

  it('logs out, revoking the token on the server', async () => {
    expect(await ok('logout')).toContain(`You have been logged out from ${user.email}`);
    expect(readParticleConfig(home).access_token ?? null).toBeNull();
    expect((await api(s.url, 'GET', '/v1/user', { token })).status).toBe(401);
  }, STEP_TIMEOUT_MS);

  it('never printed a secret value the user did not type on that command line', () => {
    expect(runs.length).toBeGreaterThan(20);
    for (const run of runs) {
      const output = run.result.stdout + run.result.stderr;
      for (const value of SECRET_VALUES) {
        if (run.args.some((a) => a.includes(value))) continue;
        expect(output.includes(value), `${value} leaked by: ${show(run)}`).toBe(false);
      }
    }
  });
});
