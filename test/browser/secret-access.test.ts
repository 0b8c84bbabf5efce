/**
 * Issue #19 item 1, in Chromium: a secret's details show its uses per day per consumer (an
 * integration and a Logic function, names linked) and the "never used" badge; the list sorts by
 * last access and filters "unused for 30+ days". Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { until } from '../support/until-fns.ts';
import { leakedForms } from '../support/value-forms.ts';
import { expectCleanPages, JOURNEY_MS, nav, secretRow, shot, signIn, startConsoleEnv, WAIT_MS, type ConsoleEnv } from './browser-fns.ts';

const VALUE = 'access-chart-token-71c2ea';

describe('console: access by consumer (Chromium)', () => {
  let env: ConsoleEnv;
  let sink: HttpSink;
  let user: Awaited<ReturnType<ConsoleEnv['server']['user']>>;
  let hookId = '';
  let fnId = '';

  beforeAll(async () => {
    env = await startConsoleEnv();
    sink = await startHttpSink();
    user = await env.server.user();
    const call = (method: string, path: string, json?: unknown) => api(env.server.url, method, path, { token: user.token, json });
    expect((await call('POST', '/v1/secrets', { name: 'CHART_TOKEN', value: VALUE })).status).toBe(201);
    expect((await call('POST', '/v1/secrets', { name: 'IDLE_KEY', value: 'idle-key-value-30d1' })).status).toBe(201);
    const hook = await call('POST', '/v1/integrations', {
      event: 'chart', url: `${sink.url}/hook`, requestType: 'POST', headers: { Authorization: 'Bearer {{{CHART_TOKEN}}}' }, secrets: ['CHART_TOKEN'],
    });
    expect(hook.status).toBe(201);
    hookId = hook.body.id;
    const fn = await call('POST', '/v1/logic/functions', {
      logic_function: { name: 'chart-reader', enabled: true, source: { type: 'JavaScript', code: 'export default function f({ secrets }) { console.log(secrets.CHART_TOKEN.length); }' }, secrets: ['CHART_TOKEN'], logic_triggers: [{ type: 'Event', event_name: 'chart', product_id: 0 }] },
    });
    expect(fn.status).toBe(201);
    fnId = fn.body.logic_function.id;
    for (const data of ['a', 'b']) expect((await call('POST', '/v1/devices/events', { name: 'chart', data })).status).toBe(200);
    await sink.waitFor(2, WAIT_MS);
    // The counts arrive with the coalesced flush.
    await until(async () => {
      const consumers: Array<{ total: number }> = (await call('GET', '/v1/secrets/CHART_TOKEN')).body.secret.consumers;
      return consumers.length === 2 && consumers.every((c) => c.total === 2);
    }, WAIT_MS, 'two uses per consumer');
  });

  afterAll(async () => {
    await env?.close();
    await sink?.close();
  });

  it('shows the per-day chart with linked consumers, the never-used badge, and sorts and filters the list', { timeout: JOURNEY_MS }, async () => {
    const page = await (await env.newContext()).newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, user.email, user.password);
    await nav(page, 'Secrets').click();
    await secretRow(page, 'CHART_TOKEN').waitFor();

    // Unused for 30+ days: only the secret nobody has used.
    await page.getByText('Unused for 30+ days', { exact: true }).click();
    await expect.poll(() => secretRow(page, 'CHART_TOKEN').count(), { timeout: WAIT_MS }).toBe(0);
    await secretRow(page, 'IDLE_KEY').waitFor();
    await shot(page, 'secrets-unused-filter-1280x800');
    await page.getByText('Unused for 30+ days', { exact: true }).click();
    await secretRow(page, 'CHART_TOKEN').waitFor();

    // Sort by last access, newest first: the used secret comes first.
    await page.getByTestId('secrets-sort').getByRole('button').click();
    await page.getByRole('option', { name: 'Last accessed, newest first' }).click();
    const rows = page.locator('[data-testid^="secret-row-"]');
    await expect.poll(async () => (await rows.first().getAttribute('data-testid')) ?? '', { timeout: WAIT_MS }).toBe('secret-row-CHART_TOKEN');
    await page.getByTestId('secrets-sort').getByRole('button').click();
    await page.getByRole('option', { name: 'Last accessed, oldest first' }).click();
    await expect.poll(async () => (await rows.first().getAttribute('data-testid')) ?? '', { timeout: WAIT_MS }).toBe('secret-row-IDLE_KEY');

    // The details chart: one bar chart per consumer, names linked.
    await secretRow(page, 'CHART_TOKEN').click();
    const dialog = page.getByRole('dialog', { name: 'Secret CHART_TOKEN' });
    const chart = dialog.getByTestId('secret-usage-chart');
    await chart.waitFor();
    await dialog.getByTestId(`usage-bars-logic-${fnId}`).waitFor();
    expect(await dialog.getByTestId(`usage-bars-integration-${hookId}`).getAttribute('aria-label')).toMatch(/: 2 uses in the last 30 days, 2 today$/);
    expect(await chart.getByRole('link', { name: 'chart-reader' }).getAttribute('href')).toBe(`/sandbox/logic/${fnId}`);
    expect(await chart.getByRole('link', { name: /^chart for / }).getAttribute('href')).toBe(`/sandbox/integrations/${hookId}`);
    expect(await dialog.getByTestId(`usage-bars-logic-${fnId}`).locator('rect').count()).toBe(30);
    expect(await dialog.getByTestId('unused-badge-CHART_TOKEN').count()).toBe(0);
    await shot(page, 'secret-details-usage-chart-1280x800');
    await page.setViewportSize({ width: 390, height: 844 });
    await chart.waitFor();
    await shot(page, 'secret-details-usage-chart-390x844');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // A secret nobody used says so.
    await page.setViewportSize({ width: 1280, height: 800 });
    await secretRow(page, 'IDLE_KEY').click();
    const idle = page.getByRole('dialog', { name: 'Secret IDLE_KEY' });
    await idle.getByTestId('unused-badge-IDLE_KEY').waitFor();
    expect(await idle.getByTestId('unused-badge-IDLE_KEY').innerText()).toBe('never used');
    await idle.getByText('No integration or Logic function has used it in the last 30 days.').waitFor();

    expect(leakedForms(await page.content(), [VALUE])).toEqual([]);
    expectCleanPages(env.watch);
  });
});
