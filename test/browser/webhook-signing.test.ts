/**
 * Issue #17 items 1 and 5 in Chromium: the webhook editor's "Signing secret" select offers
 * the selected secrets, the retry schedule sits folded under "Advanced delivery options",
 * both are saved and shown again when the webhook is opened. Screenshots at 1280×800 and
 * 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { expectCleanPages, JOURNEY_MS, nav, setCheckbox, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: webhook signing and retry schedule (Chromium)', () => {
  let env: ConsoleEnv;
  let user: Awaited<ReturnType<ConsoleEnv['server']['user']>>;

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'HOOK_SIGNING_KEY', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    await env.server.services.secrets.create(scope, 'API_TOKEN', 'api-token-value-81f2a');
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`picks a signing secret and an exponential schedule, saves and shows them at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await nav(page, 'Integrations').click();
      await page.goto('/sandbox/integrations/new');
      const event = `signed-${viewport.width}`;
      await page.getByRole('textbox', { name: 'Event name' }).fill(event);
      await page.getByRole('textbox', { name: 'URL' }).fill('https://api.example.com/hook');
      await setCheckbox(page.getByTestId('secret-picker'), 'HOOK_SIGNING_KEY', true);
      await page.getByRole('button', { name: /Signing secret/ }).click();
      // Only selected secrets are offered.
      await expect.poll(() => page.getByRole('option').allInnerTexts()).toEqual(['None (requests are not signed)', 'HOOK_SIGNING_KEY']);
      await page.getByRole('option', { name: 'HOOK_SIGNING_KEY' }).click();
      const fold = page.locator('details.advanced-options');
      expect(await fold.getAttribute('open')).toBeNull();
      await fold.locator('summary').click();
      await fold.getByText('Exponential backoff with jitter').click();
      await expect.poll(() => fold.getByRole('radio', { name: 'Exponential backoff with jitter' }).isChecked()).toBe(true);
      await fold.getByRole('textbox', { name: 'Attempts in all' }).fill('6');
      await fold.getByRole('textbox', { name: 'First retry after (s)' }).fill('10');
      await page.getByRole('button', { name: /Signing secret/ }).scrollIntoViewIfNeeded();
      await shot(page, `webhook-signing-${viewport.width}x${viewport.height}`);
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await page.getByText(/Webhook created/).waitFor();

      const list = await api(env.server.url, 'GET', '/v1/integrations', { token: user.token });
      const saved = list.body.find((i: { event: string }) => i.event === event);
      expect(saved).toMatchObject({ signing_secret: 'HOOK_SIGNING_KEY', retry_schedule: { type: 'exponential', max_attempts: 6, initial_delay_ms: 10_000, max_delay_ms: 3_600_000 } });
      await page.goto(`/sandbox/integrations/${saved.id}`);
      await expect.poll(() => page.getByRole('button', { name: /Signing secret/ }).innerText()).toContain('HOOK_SIGNING_KEY');
      expect(await page.locator('details.advanced-options').getAttribute('open')).not.toBeNull();
      expect(await page.getByRole('textbox', { name: 'Attempts in all' }).inputValue()).toBe('6');
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
