/**
 * Ledger, environment variables and the Logic editor's use_env toggle, in Chromium against
 * a real server: create a ledger, set its instance through the JSON editor (Replace, then
 * Merge) and see its versions; add environment variables, see the rollout diff, roll out
 * and see the last snapshot; turn "Use environment variables" on and confirm it over the API.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { eventually, expectCleanPages, JOURNEY_MS, labelProblems, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: Ledger and Environment variables pages (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let user: { id: string; email: string; password: string; token: string };
  let fnId: string;
  const get = async (path: string) => {
    const r = await api(env.server.url, 'GET', path, { token: user.token });
    expect(r.status, r.text).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const fn = await api(env.server.url, 'POST', '/v1/logic/functions', {
      token: user.token,
      json: { logic_function: { name: 'configured', description: '', enabled: true, source: { type: 'JavaScript', code: 'export default function main({ env }) { console.log(env.MODE); }' }, secrets: [], logic_triggers: [] } },
    });
    expect(fn.status, fn.text).toBeLessThan(300);
    fnId = fn.body.logic_function.id;
    page = await (await env.newContext()).newPage();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('creates a ledger, sets its instance in the editor and lists its versions', { timeout: JOURNEY_MS }, async () => {
    await signIn(page, user.email, user.password);
    await nav(page, 'Ledger').click();
    await page.getByText('No ledgers yet').waitFor();
    await page.getByRole('button', { name: 'Create ledger' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create ledger' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('readings');
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Last reading per sensor');
    expect(await labelProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create ledger' }).click();
    await page.getByText('Ledger readings created.').waitFor();
    const row = page.getByTestId('ledger-row-readings');
    expect(await row.innerText()).toMatch(/Owner[\s\S]*Cloud only[\s\S]*Last reading per sensor/);
    await shot(page, 'ledger-01-list');

    await row.getByRole('link', { name: 'readings' }).click();
    await page.getByText('No instances yet').waitFor();
    await page.getByTestId('owner-instance-link').click();
    const editor = page.getByRole('textbox', { name: 'Data (JSON)' });
    await editor.fill('["not", "an", "object"]');
    await page.getByRole('button', { name: 'Set instance' }).click();
    await page.getByText(/must be a JSON object/).waitFor();
    await editor.fill('{"a": 1, "b": 1}');
    await page.getByRole('button', { name: 'Set instance' }).click();
    await page.getByText('Instance replaced.').waitFor();
    await editor.fill('{"b": 2, "c": 3}');
    await page.getByRole('radio', { name: 'Merge' }).check({ force: true });
    await page.getByRole('button', { name: 'Set instance' }).click();
    await page.getByText('Instance merged.').waitFor();
    await eventually(() => page.getByTestId('instance-json').innerText(), (t) => expect(JSON.parse(t)).toEqual({ a: 1, b: 2, c: 3 }));
    await page.getByTestId('instance-version').first().waitFor();
    expect(await page.getByTestId('instance-version').count()).toBe(1);
    const inst = await get(`/v1/ledgers/readings/instances/${user.id}`);
    expect(inst.data).toEqual({ a: 1, b: 2, c: 3 });
    expect((await get(`/v1/ledgers/readings/instances/${user.id}/versions`)).versions[0].data).toEqual({ a: 1, b: 1 });
    await page.getByTestId('instance-version').first().locator('summary').click();
    await page.getByTestId('instance-version').first().getByText('"b": 1').waitFor();
    await shot(page, 'ledger-02-instance');
  });

  it('adds environment variables, shows the rollout diff, rolls out and shows the snapshot', { timeout: JOURNEY_MS }, async () => {
    await nav(page, 'Environment variables').click();
    await page.getByText('No variables set here yet.').waitFor();
    for (const [key, value] of [['MODE', 'production'], ['API_BASE', 'https://example.com']]) {
      await page.getByRole('button', { name: 'Add variable' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add environment variable' });
      await dialog.getByRole('textbox', { name: 'Key' }).fill(key);
      await dialog.getByRole('textbox', { name: 'Value' }).fill(value);
      await dialog.getByRole('button', { name: 'Add variable' }).click();
      await page.getByTestId(`env-row-${key}`).waitFor();
    }
    const diff = page.getByTestId('env-rollout-diff');
    await diff.getByTestId('env-change-MODE').waitFor();
    expect(await diff.getByTestId('env-change-API_BASE').innerText()).toContain('Added');
    expect(await page.getByTestId('env-last-rollout').innerText()).toContain('Never rolled out');
    expect(await labelProblems(page)).toEqual([]);
    await shot(page, 'env-01-diff');

    await page.getByRole('button', { name: 'Roll out' }).click();
    await page.getByTestId('env-rollout-done').waitFor();
    await eventually(() => page.getByTestId('env-last-rollout').innerText(), (t) => expect(t).toContain('Last rolled out'));
    await page.getByText(/No changes since the last rollout/).waitFor();
    const state = await get('/v1/env');
    expect(state.last_snapshot.own).toEqual({ MODE: { value: 'production' }, API_BASE: { value: 'https://example.com' } });
    expect(state.last_snapshot.rollout_at).toBeTruthy();
    await shot(page, 'env-02-rolled-out');
  });

  it('turns "Use environment variables" on in the Logic editor and the API reports use_env', { timeout: JOURNEY_MS }, async () => {
    await page.goto(`/sandbox/logic/${fnId}`);
    await page.getByRole('heading', { name: 'configured' }).waitFor();
    const toggle = page.getByRole('switch', { name: 'Use environment variables' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.focus();
    await page.keyboard.press('Space');
    await eventually(() => toggle.isChecked(), (v) => expect(v).toBe(true));
    const panel = page.getByTestId('test-run-panel');
    await panel.getByRole('button', { name: 'Run' }).click();
    const logs = page.getByTestId('test-run-result').getByRole('list', { name: 'Run logs' });
    await logs.getByText('production').waitFor();
    await shot(page, 'logic-use-env-editor');
    await page.getByRole('button', { name: 'Save and deploy' }).click();
    await page.getByText('Logic function configured saved and deployed.').waitFor();
    expect((await get(`/v1/logic/functions/${fnId}`)).logic_function.use_env).toBe(true);
    await page.goto(`/sandbox/logic/${fnId}`);
    expect(await page.getByRole('switch', { name: 'Use environment variables' }).isChecked()).toBe(true);
    expectCleanPages(env.watch);
  });
});
