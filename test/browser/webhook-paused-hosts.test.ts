/**
 * Issue #17 item 3 in Chromium: the integrations page shows the owner's paused target hosts
 * (host, since when, errors, last error, next probe); Resume sends the waiting deliveries at
 * once, counted at a real loopback sink; a view-only member sees the panel without a Resume
 * button. Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flakySink, HOST_HEALTH_TEST_ENV } from '../support/host-health-fns.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { api } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';
import { expectCleanPages, JOURNEY_MS, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: paused hosts (Chromium)', () => {
  let env: ConsoleEnv;
  let sink: HttpSink;
  type User = Awaited<ReturnType<ConsoleEnv['server']['user']>>;
  const call = (u: User, method: string, p: string, json?: unknown) => api(env.server.url, method, p, { token: u.token, ...(json === undefined ? {} : { json }) });
  /** Pauses 127.0.0.1 for `u` under `prefix`: five failing deliveries; answers the sink's count of 200s. */
  const pauseHost = async (u: User, prefix: string, event: string) => {
    const flaky = flakySink(sink, 0);
    const created = await call(u, 'POST', `${prefix}/integrations`, { event, url: `${sink.url}/hook`, requestType: 'POST', json: { d: '{{{PARTICLE_EVENT_VALUE}}}' } });
    expect(created.status, created.text).toBe(201);
    for (let i = 0; i < 5; i++) expect((await call(u, 'POST', prefix === '/v1' ? '/v1/devices/events' : `${prefix}/events`, { name: event, data: `${event}-${i}` })).status).toBe(200);
    await until(async () => ((await call(u, 'GET', `${prefix}/integrations/hosts`)).body.hosts.length === 1 ? true : undefined), 10_000, 'a paused host');
    return flaky;
  };

  beforeAll(async () => {
    // No probe comes within the test: only Resume ends a pause.
    env = await startConsoleEnv({ env: { ...HOST_HEALTH_TEST_ENV, HUSH_HOST_PROBE_MS: '3600000', HUSH_HOST_PROBE_MAX_MS: '3600000' } });
    sink = await startHttpSink();
  });
  afterAll(async () => {
    await env?.close();
    await sink?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`lists a paused host and resumes it at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const user = await env.server.user();
      const event = `ph-${viewport.width}`;
      const flaky = await pauseHost(user, '/v1', event);
      // Published while the host is paused: these wait (the first five wait for their 30 s retries).
      for (let i = 0; i < 3; i++) expect((await call(user, 'POST', '/v1/devices/events', { name: event, data: `held-${event}-${i}` })).status).toBe(200);
      flaky.heal();
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await page.goto('/sandbox/integrations');
      const panel = page.getByTestId('paused-hosts');
      const table = panel.getByRole('table', { name: 'Paused hosts' });
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Host', 'Paused', 'Errors', 'Last error', 'Next probe', 'Actions']);
      const row = table.getByRole('row').nth(1);
      expect(await row.innerText()).toContain('127.0.0.1');
      expect(await row.innerText()).toContain('HTTP 503');
      await panel.scrollIntoViewIfNeeded();
      await shot(page, `webhook-paused-hosts-${viewport.width}x${viewport.height}`);
      await row.getByRole('button', { name: 'Resume 127.0.0.1' }).click();
      await panel.getByText(/127\.0\.0\.1 resumed/).waitFor();
      await expect.poll(() => table.count()).toBe(0);
      // The waiting deliveries go out at once, once each.
      const held = [0, 1, 2].map((i) => `held-${event}-${i}`);
      await until(async () => (held.every((d) => flaky.delivered.get(d) === 1) ? true : undefined), 10_000, 'the waiting deliveries at the sink');
      await shot(page, `webhook-paused-hosts-resumed-${viewport.width}x${viewport.height}`);
      expectCleanPages(env.watch);
      await page.close();
    });
  }

  it('shows a view-only member the paused hosts without a Resume button', { timeout: JOURNEY_MS }, async () => {
    const [admin, viewer] = [await env.server.user(), await env.server.user()];
    const { orgs } = env.server.services;
    await orgs.create('paused-hosts', 'Paused hosts', admin.email);
    await orgs.setMember(await orgs.operatorScope('paused-hosts'), viewer.email, 'view-only');
    const flaky = await pauseHost(admin, '/v1/orgs/paused-hosts', 'ph-org');
    const page = await (await env.newContext()).newPage();
    await signIn(page, viewer.email, viewer.password);
    await page.goto('/orgs/paused-hosts/integrations');
    const panel = page.getByTestId('paused-hosts');
    await expect.poll(() => panel.getByRole('row').count()).toBe(2);
    expect(await panel.getByRole('button', { name: /^Resume/ }).count()).toBe(0);
    expect(await panel.getByRole('row').nth(1).innerText()).toContain('Paused');
    await shot(page, 'webhook-paused-hosts-view-only-1280x720');
    flaky.heal();
    expect((await call(admin, 'POST', `/v1/orgs/paused-hosts/integrations/hosts/${(await call(admin, 'GET', '/v1/orgs/paused-hosts/integrations/hosts')).body.hosts[0].id}/resume`)).status).toBe(200);
    expectCleanPages(env.watch);
    await page.close();
  });
});
