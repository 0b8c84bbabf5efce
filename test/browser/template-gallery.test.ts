/**
 * Issue #16 item 13, in Chromium: the integration gallery offers at least ten targets laid
 * out evenly (cards of a row share their top and height, nothing overflows the page), each
 * with its docs link; a template with a secret picker creates a working webhook (Twilio SMS:
 * basic auth with the account SID and the chosen secret). Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, JOURNEY_MS, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: the integration template gallery (Chromium)', () => {
  let env: ConsoleEnv;
  let user: { id: string; email: string; password: string; token: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'TWILIO_TOKEN', 'twilio-auth-4f1d07aa');
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`lists the targets evenly and creates a Twilio SMS webhook at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await page.goto('/sandbox/integrations/templates');
      const cards = page.getByRole('list', { name: 'Templates' }).getByRole('listitem');
      await cards.first().waitFor();
      expect(await cards.count()).toBeGreaterThanOrEqual(10);

      const boxes = await cards.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }));
      const rows = new Map<number, typeof boxes>();
      for (const b of boxes) rows.set(Math.round(b.y), [...(rows.get(Math.round(b.y)) ?? []), b]);
      if (viewport.width >= 1280) expect(rows.size).toBeLessThan(boxes.length); // several cards per row on a wide screen
      for (const row of rows.values()) {
        expect(new Set(row.map((b) => Math.round(b.height))).size, 'cards of one row share their height').toBe(1);
        expect(new Set(row.map((b) => Math.round(b.width))).size, 'cards of one row share their width').toBe(1);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      const docs = page.getByTestId('template-docs-twilio-sms');
      expect(await docs.getAttribute('href')).toMatch(/^https:\/\/www\.twilio\.com\/docs\//);
      expect(await docs.getAttribute('target')).toBe('_blank');
      await shot(page, `template-gallery-${viewport.width}x${viewport.height}`);

      await page.getByRole('link', { name: 'Use Twilio SMS' }).click();
      await page.getByRole('textbox', { name: 'Event name' }).fill(`alarm-${viewport.width}`);
      await page.getByRole('textbox', { name: 'Account SID' }).fill(`AC${'b'.repeat(32)}`);
      await page.getByRole('textbox', { name: 'From number' }).fill('+15005550006');
      await page.getByRole('textbox', { name: 'To number' }).fill('+15551234567');
      await page.getByTestId('template-field-secret').getByRole('button').first().click();
      await page.getByRole('option', { name: 'TWILIO_TOKEN' }).click();
      expect(await page.getByTestId('template-docs').getAttribute('href')).toMatch(/^https:\/\/www\.twilio\.com\//);
      await shot(page, `template-twilio-form-${viewport.width}x${viewport.height}`);
      await page.getByRole('button', { name: 'Create integration' }).click();
      await page.getByText(/Twilio SMS integration created/).waitFor();

      const res = await fetch(`${env.server.url}/v1/integrations`, { headers: { authorization: `Bearer ${user.token}` } });
      const created = ((await res.json()) as Array<Record<string, unknown>>).find((i) => i.event === `alarm-${viewport.width}`);
      expect(created).toMatchObject({
        url: `https://api.twilio.com/2010-04-01/Accounts/AC${'b'.repeat(32)}/Messages.json`,
        requestType: 'POST',
        form: { From: '+15005550006', To: '+15551234567' },
        secrets: ['TWILIO_TOKEN'],
      });
      expect(JSON.stringify(created)).not.toContain('twilio-auth-4f1d07aa');
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
