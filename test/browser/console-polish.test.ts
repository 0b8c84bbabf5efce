/**
 * Second review round, in Chromium: a refused submit lands on the first invalid field; the
 * Logic list's function name is a link reached with the keyboard; at 390 px secret names
 * are never broken mid-word and a comma never starts a line; signing out while the
 * server is unreachable says so and keeps the session, and works once it is back.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectCleanPages, focusedElement, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, tabTo, type ConsoleEnv } from './browser-fns.ts';
import { midWordBreaks, renderedLines } from './layout-fns.ts';

/** Calls the API from the page with the session cookie and CSRF token; returns the status. */
async function api(page: Page, method: string, path: string, body: unknown): Promise<number> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/v1/console/session')).json();
      const r = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: JSON.stringify(body),
      });
      return r.status;
    },
    { method, path, body },
  );
}

describe('console: review round 2 (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let user: { email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    page = await (await env.newContext()).newPage();
    await signIn(page, user.email, user.password);
    const names = ['SERVICE_BLYNK_AUTHORIZATION_TOKEN', 'SERVICE_STRIPE_AUTHORIZATION_TOKEN', 'SERVICE_TWILIO_AUTHORIZATION_TOKEN'];
    for (const name of names) expect(await api(page, 'POST', '/v1/secrets', { name, value: `value-of-${name}` })).toBe(201);
    expect(await api(page, 'POST', '/v1/integrations', { integration_type: 'Webhook', event: 'temp', url: 'http://127.0.0.1:9/x', secrets: names })).toBe(201);
    const logic = { name: 'alarm', enabled: true, source: { type: 'JavaScript', code: 'export default function main() {}' }, secrets: [], logic_triggers: [] };
    expect(await api(page, 'POST', '/v1/logic/functions', { logic_function: logic })).toBe(201);
  });

  afterAll(async () => {
    await env?.close();
  });

  it('a refused submit moves focus to the first invalid field', { timeout: JOURNEY_MS }, async () => {
    await page.getByRole('button', { name: 'Create secret' }).click();
    const dialog = page.getByTestId('create-secret-dialog');
    await dialog.getByRole('button', { name: 'Create secret' }).click();
    await eventually(() => focusedElement(page), (f) => expect(f.name).toMatch(/^Name/));
    await page.keyboard.type('NEW_ONE');
    await page.keyboard.press('Enter');
    await eventually(() => focusedElement(page), (f) => expect(f.name).toMatch(/^Value/));
    await shot(page, 'r2-01-create-secret-refused');
    await page.keyboard.press('Escape');

    await page.goto('/sandbox/integrations/new');
    await page.getByLabel(/^Event name/).fill('temp');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await eventually(() => focusedElement(page), (f) => expect(f.name).toMatch(/^URL/));
    await page.getByRole('button', { name: 'Add header' }).click();
    await eventually(() => focusedElement(page), (f) => expect(f.name).toBe('Header 1 name'));
  });

  it("the Logic list's function name is a link, reached with the keyboard", { timeout: JOURNEY_MS }, async () => {
    await nav(page, 'Logic').click();
    const link = page.getByRole('grid', { name: 'Logic functions' }).getByRole('link', { name: 'alarm' });
    await link.waitFor();
    await page.getByRole('heading', { name: 'Logic' }).click();
    await tabTo(page, (f) => f.role === 'row' || f.name === 'alarm');
    for (let i = 0; i < 6 && (await focusedElement(page)).name !== 'alarm'; i++) await page.keyboard.press('ArrowRight');
    expect((await focusedElement(page)).name).toBe('alarm');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'alarm' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/sandbox\/logic\/[^/]+$/);
  });

  it('at 390 px, secret names are never broken mid-word and commas stay with their name', { timeout: JOURNEY_MS }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto('/sandbox/integrations');
      await page.getByTestId('integrations-table').waitFor();
      await shot(page, 'r2-02-narrow-integrations');
      // Names wrap only after a separator, and a list's comma stays on its name's last line.
      expect(await midWordBreaks(page, '[data-testid="integrations-table"] .cell')).toEqual([]);
      const listed = (await renderedLines(page, '[data-testid="integrations-table"] .breakable')).filter((lines) => lines.join('').startsWith('SERVICE_'));
      expect(listed.map((lines) => lines.join(''))).toEqual([
        'SERVICE_BLYNK_AUTHORIZATION_TOKEN,',
        'SERVICE_STRIPE_AUTHORIZATION_TOKEN,',
        'SERVICE_TWILIO_AUTHORIZATION_TOKEN',
      ]);
      for (const lines of listed) expect(lines.at(-1)).toMatch(/TOKEN,?$/);
      await page.goto('/sandbox/secrets');
      await page.getByTestId('secrets-table').waitFor();
      await shot(page, 'r2-03-narrow-secrets');
      expect(await midWordBreaks(page, '[data-testid="secrets-table"] .cell')).toEqual([]);
      // The table scrolls in its box; the page itself does not scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('signing out while the server is unreachable says the session may still be active', { timeout: JOURNEY_MS }, async () => {
    await page.goto('/sandbox/secrets');
    await page.getByTestId('secrets-table').waitFor();
    await page.context().setOffline(true);
    try {
      await page.getByRole('button', { name: 'Sign out' }).click();
      const banner = page.getByTestId('sign-out-error');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/could not be reached.*may still be active/);
      expect(new URL(page.url()).pathname).toBe('/sandbox/secrets');
      await shot(page, 'r2-04-sign-out-unreachable');
    } finally {
      await page.context().setOffline(false);
    }
    await page.getByRole('button', { name: 'Try signing out again' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/v1/console/session')).json());
    expect(session.user).toBeNull();
    expectCleanPages(env.watch);
  });
});
