/**
 * Issue #16 item 3 (webhooks), in Chromium: a template variable that is neither a selected
 * secret, a Particle variable nor a field of the example event gets a warning (saving is
 * still allowed); an existing secret is selected with one click. Screenshots at 1280×800
 * and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: the webhook editor warns about undefined template variables (Chromium)', () => {
  let env: ConsoleEnv;
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'AUTH_KEY', 'auth-value-5b21c9e0');
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`warns, selects with one click, and still saves at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await nav(page, 'Integrations').click();
      await page.goto('/sandbox/integrations/new');
      await page.getByRole('textbox', { name: 'Event name' }).fill(`temp-${viewport.width}`);
      await page.getByRole('textbox', { name: 'URL' }).fill('https://api.example.com/{{room}}');
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByRole('textbox', { name: 'Header 1 name' }).fill('Authorization');
      await page.getByRole('textbox', { name: 'Header 1 value' }).fill('Bearer {{{AUTH_KEYY}}} {{{AUTH_KEY}}}');

      const warning = page.getByTestId('unknown-template-vars');
      await warning.waitFor();
      const text = await warning.innerText();
      expect(text).toContain('{{{AUTH_KEYY}}} is not a selected secret, a Particle variable or a field of the example event');
      expect(text).toContain('{{room}} is not a selected secret');
      expect(text).toContain('{{{AUTH_KEY}}} is a secret that is not selected');
      await warning.scrollIntoViewIfNeeded();
      await shot(page, `webhook-template-warning-${viewport.width}x${viewport.height}`);

      await warning.getByRole('button', { name: 'Select AUTH_KEY' }).click();
      await expect.poll(() => page.getByTestId('secret-picker').getByRole('checkbox', { name: 'AUTH_KEY' }).isChecked()).toBe(true);
      await page.getByRole('textbox', { name: 'Example event data' }).fill('{"room": "kitchen"}');
      await expect.poll(() => warning.innerText()).not.toContain('{{room}}');
      expect(await warning.innerText()).not.toContain('{{{AUTH_KEY}}} is a secret');
      expect(await warning.innerText()).toContain('{{{AUTH_KEYY}}}');

      // A warning, not a refusal.
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await page.getByText(/Webhook created/).waitFor();
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
