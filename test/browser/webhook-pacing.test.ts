/**
 * Issue #17 item 4 in Chromium: the webhook editor's rate limit, in-flight cap and
 * per-device order sit under "Advanced delivery options", are saved, and are shown again
 * (the fold opens by itself) when the webhook is opened. Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { expectCleanPages, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: webhook pacing (Chromium)', () => {
  let env: ConsoleEnv;
  let user: Awaited<ReturnType<ConsoleEnv['server']['user']>>;

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`sets a rate limit, an in-flight cap and per-device order, saves and shows them at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await nav(page, 'Integrations').click();
      await page.goto('/sandbox/integrations/new');
      const event = `paced-${viewport.width}`;
      await page.getByRole('textbox', { name: 'Event name' }).fill(event);
      await page.getByRole('textbox', { name: 'URL' }).fill('https://api.example.com/hook');
      const fold = page.locator('details.advanced-options');
      expect(await fold.getAttribute('open')).toBeNull();
      await fold.locator('summary').click();
      // Out of range first: the editor says so before the API would.
      await fold.getByRole('textbox', { name: 'Most requests per second' }).fill('5000');
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await expect.poll(() => fold.getByText(/Requests per second must be a number from 0.1 to 1000/).count()).toBeGreaterThan(0);
      await fold.getByRole('textbox', { name: 'Most requests per second' }).fill('2.5');
      await fold.getByRole('textbox', { name: 'Most requests in flight' }).fill('4');
      await fold.getByText("Deliver each device's events in order").click();
      await fold.getByRole('textbox', { name: 'Most requests per second' }).scrollIntoViewIfNeeded();
      await shot(page, `webhook-pacing-${viewport.width}x${viewport.height}`);
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await page.getByText(/Webhook created/).waitFor();

      const list = await api(env.server.url, 'GET', '/v1/integrations', { token: user.token });
      const saved = list.body.find((i: { event: string }) => i.event === event);
      expect(saved).toMatchObject({ max_per_second: 2.5, max_in_flight: 4, ordered: 'device' });
      await page.goto(`/sandbox/integrations/${saved.id}`);
      await expect.poll(() => page.getByRole('textbox', { name: 'Most requests per second' }).inputValue()).toBe('2.5');
      expect(await page.locator('details.advanced-options').getAttribute('open')).not.toBeNull();
      expect(await page.getByRole('textbox', { name: 'Most requests in flight' }).inputValue()).toBe('4');
      expect(await page.getByRole('switch', { name: "Deliver each device's events in order" }).isChecked()).toBe(true);
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
