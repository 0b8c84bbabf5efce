/**
 * Issue #17 item 2 in Chromium: the integration page's "Failed deliveries" panel lists dead
 * letters (time, event, attempts, last error); Replay sends one again, "Replay all since…"
 * the rest, each once, counted at a real loopback sink. Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondWith, startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { api } from '../support/test-server.ts';
import { until } from '../support/until-fns.ts';
import { expectCleanPages, JOURNEY_MS, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: failed deliveries and replay (Chromium)', () => {
  let env: ConsoleEnv;
  let sink: HttpSink;
  let user: Awaited<ReturnType<ConsoleEnv['server']['user']>>;
  const call = (method: string, p: string, json?: unknown) => api(env.server.url, method, p, { token: user.token, ...(json === undefined ? {} : { json }) });
  const dataAt = (data: string) => sink.requests.filter((r) => JSON.parse(r.body).d === data).length;

  beforeAll(async () => {
    env = await startConsoleEnv();
    // Refused as undeliverable: a 404 is not retried, so each delivery dies at its first attempt.
    sink = await startHttpSink({ handler: respondWith(404, 'no such hook') });
    user = await env.server.user();
  });
  afterAll(async () => {
    await env?.close();
    await sink?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`lists dead letters and replays one, then all since a time, at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      sink.setHandler(respondWith(404, 'no such hook'));
      const event = `dl-${viewport.width}`;
      const created = await call('POST', '/v1/integrations', { event, url: `${sink.url}/hook`, requestType: 'POST', json: { d: '{{{PARTICLE_EVENT_VALUE}}}' } });
      expect(created.status, created.text).toBe(201);
      const hookId = created.body.id as string;
      for (const d of ['one', 'two', 'three']) expect((await call('POST', '/v1/devices/events', { name: event, data: `${d}-${viewport.width}` })).status).toBe(200);
      await until(async () => ((await call('GET', `/v1/integrations/${hookId}/deliveries?status=dead`)).body.deliveries.length === 3 ? true : undefined), 10_000, 'three dead letters');
      sink.setHandler(); // the receiver is back

      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await page.goto(`/sandbox/integrations/${hookId}`);
      const panel = page.getByTestId('failed-deliveries');
      const table = panel.getByRole('table', { name: 'Failed deliveries' });
      await expect.poll(() => table.getByRole('row').count()).toBe(4); // header and three dead letters
      expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Time', 'Event', 'Attempts', 'Last error', 'Actions']);
      const first = table.getByRole('row').nth(1);
      expect(await first.innerText()).toContain(event);
      expect(await first.innerText()).toContain('HTTP 404');
      await panel.scrollIntoViewIfNeeded();
      await shot(page, `webhook-dead-letters-${viewport.width}x${viewport.height}`);

      // Replay the newest one ("three").
      await first.getByRole('button', { name: /^Replay / }).click();
      await panel.getByText(/Replay queued/).waitFor();
      await expect.poll(() => first.getByText('Replayed').count()).toBe(1);
      await until(async () => (dataAt(`three-${viewport.width}`) === 2 ? true : undefined), 10_000, 'the replay at the sink');

      // Then all the others since an hour ago.
      const hourAgo = new Date(Date.now() - 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      await panel.getByLabel('Replay all since').fill(`${hourAgo.getFullYear()}-${pad(hourAgo.getMonth() + 1)}-${pad(hourAgo.getDate())}T${pad(hourAgo.getHours())}:${pad(hourAgo.getMinutes())}`);
      await panel.getByRole('button', { name: 'Replay all since…' }).click();
      await panel.getByText('2 deliveries replayed.').waitFor();
      await expect.poll(() => table.getByText('Replayed').count()).toBe(3);
      await until(async () => (dataAt(`one-${viewport.width}`) === 2 && dataAt(`two-${viewport.width}`) === 2 ? true : undefined), 10_000, 'the replays at the sink');
      await shot(page, `webhook-dead-letters-replayed-${viewport.width}x${viewport.height}`);
      // Each dead letter went out once more: the first (404) attempt and its one replay.
      for (const d of ['one', 'two', 'three']) expect(dataAt(`${d}-${viewport.width}`)).toBe(2);
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
