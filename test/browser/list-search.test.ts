/**
 * Issue #16 item 8, in Chromium: the secrets, integrations, Logic and audit lists share one
 * search-and-sort toolbar (client-side, over what is loaded), and times read "3 minutes
 * ago" with the absolute time, to the second and with its zone, on hover (title) and on
 * keyboard focus; the version history shows seconds. Screenshots at 1280×800 and 390×844.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { eventually, expectCleanPages, focusedElement, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, tabTo, type ConsoleEnv } from './browser-fns.ts';

/** The first cell's text of each body row of `table`, top to bottom. */
const firstCells = (table: Locator) => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r.firstElementChild as HTMLElement).innerText.trim()));

async function sortBy(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).getByRole('button').click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const search = (page: Page) => page.getByRole('searchbox', { name: 'Search' });

describe('console: search, sort and times of the lists (Chromium)', () => {
  let env: ConsoleEnv;
  let user: { id: string; email: string; password: string; token: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const call = async (method: string, path: string, json: unknown) => {
      const r = await api(env.server.url, method, path, { token: user.token, json });
      expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
    };
    for (const name of ['ZETA_TOKEN', 'ALPHA_TOKEN', 'BETA_KEY']) await call('PUT', `/v1/secrets/${name}`, { value: `${name}-value-51c7` });
    // A second version of BETA_KEY for the version history.
    await call('PUT', '/v1/secrets/BETA_KEY', { value: 'BETA_KEY-value-2-8e03' });
    for (const [name, event] of [['zeta hook', 'meter/zeta'], ['alpha hook', 'door/alpha']]) {
      await call('POST', '/v1/integrations', { integration_type: 'Webhook', name, event, url: 'http://127.0.0.1:9/in', requestType: 'POST', secrets: [] });
    }
    for (const name of ['zeta-fn', 'alpha-fn']) {
      await call('POST', '/v1/logic/functions', { logic_function: { name, description: '', enabled: true, source: { type: 'JavaScript', code: 'export default function main() {}' }, secrets: [], logic_triggers: [] } });
    }
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const size = `${viewport.width}x${viewport.height}`;
    it(`searches and sorts the secrets, integrations, Logic and audit lists at ${size}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);

      // Secrets: search by part of the name, any case; nothing found says so.
      const secrets = page.getByTestId('secrets-table');
      await eventually(() => firstCells(secrets), (c) => expect(c).toEqual(['ALPHA_TOKEN', 'BETA_KEY', 'ZETA_TOKEN']));
      await search(page).fill('token');
      await eventually(() => firstCells(secrets), (c) => expect(c).toEqual(['ALPHA_TOKEN', 'ZETA_TOKEN']));
      expect(await page.getByRole('status').filter({ hasText: 'of 3 secrets' }).innerText()).toBe('2 of 3 secrets');
      await shot(page, `lists-01-secrets-search-${size}`);
      await search(page).fill('nothing-like-this');
      await page.getByText('No secret matches').waitFor();
      await page.getByRole('button', { name: 'Clear' }).click();
      await eventually(() => firstCells(secrets), (c) => expect(c).toHaveLength(3));

      // Integrations: sort by name, search by event.
      await nav(page, 'Integrations').click();
      const hooks = page.getByTestId('integrations-table');
      await eventually(() => firstCells(hooks), (c) => expect(c).toEqual(['zeta hook', 'alpha hook']));
      await sortBy(page, 'integrations-sort', 'Name');
      await eventually(() => firstCells(hooks), (c) => expect(c).toEqual(['alpha hook', 'zeta hook']));
      await search(page).fill('METER/');
      await eventually(() => firstCells(hooks), (c) => expect(c).toEqual(['zeta hook']));
      await shot(page, `lists-02-integrations-search-${size}`);

      // Logic: by name by default; newest first puts the last created first.
      await nav(page, 'Logic').click();
      const fns = page.getByRole('grid', { name: 'Logic functions' });
      await eventually(() => firstCells(fns), (c) => expect(c).toEqual(['alpha-fn', 'zeta-fn']));
      await sortBy(page, 'logic-sort', 'Updated, oldest first');
      await eventually(() => firstCells(fns), (c) => expect(c).toEqual(['zeta-fn', 'alpha-fn']));
      await search(page).fill('alpha');
      await eventually(() => firstCells(fns), (c) => expect(c).toEqual(['alpha-fn']));
      await shot(page, `lists-03-logic-search-${size}`);

      // Audit: search the loaded entries, oldest first starts with the first secret created.
      await nav(page, 'Audit').click();
      const trail = page.getByRole('grid', { name: 'Audit trail' });
      await trail.locator('tbody tr').first().waitFor();
      await search(page).fill('ZETA_TOKEN');
      await eventually(() => trail.locator('tbody tr').allInnerTexts(), (rows) => {
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row).toContain('ZETA_TOKEN');
      });
      await search(page).fill('');
      await sortBy(page, 'audit-sort', 'Oldest first');
      await eventually(() => trail.locator('tbody tr').first().innerText(), (row) => expect(row).toContain('ZETA_TOKEN'));
      await shot(page, `lists-04-audit-oldest-${size}`);
      expectCleanPages(env.watch);
      await page.close();
    });

    it(`shows relative times with the absolute time on hover and focus, and seconds in the version history, at ${size}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      const updated = page.getByTestId('secret-row-BETA_KEY').locator('time');
      await updated.waitFor();
      expect(await updated.innerText()).toMatch(/^(now|\d+ minutes? ago)$/);
      // The title (hover) is the absolute time to the second with a time zone.
      const title = (await updated.getAttribute('title')) ?? '';
      expect(title).toMatch(/\d{1,2}:\d{2}:\d{2}/);
      expect(title).toMatch(/UTC|GMT|[+-]\d/);

      // The details dialog: Tab reaches the created time, whose focus shows the same text.
      await page.getByTestId('secret-row-BETA_KEY').locator('th').click();
      const dialog = page.getByRole('dialog', { name: 'Secret BETA_KEY' });
      await dialog.waitFor();
      await tabTo(page, (f) => f.tag === 'time');
      const tip = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return { after: getComputedStyle(el, '::after').content, title: el.title };
      });
      expect(tip.after).toBe(JSON.stringify(tip.title));
      expect((await focusedElement(page)).text).toMatch(/ago|now/);
      await shot(page, `lists-05-time-focus-${size}`);

      // Version history: each version's time to the second.
      const versions = dialog.locator('[data-testid^="secret-version-"]');
      await versions.nth(1).waitFor();
      const times = await versions.locator('time').allInnerTexts();
      expect(times.length).toBeGreaterThanOrEqual(2);
      for (const t of times) expect(t).toMatch(/\d{1,2}:\d{2}:\d{2}/);
      await versions.first().scrollIntoViewIfNeeded();
      await shot(page, `lists-06-versions-seconds-${size}`);
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
