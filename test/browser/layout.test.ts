/**
 * Layout in Chromium: a phone-sized viewport (390×844) has no sideways page scroll and
 * starts the page on the first screen; long secret lists do not lengthen pages; template
 * cards hold their buttons; a page whose code cannot be fetched shows the error inside
 * the console, with the navigation still there.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('console: layout on narrow and wide screens (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let user: { email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    page = await (await env.newContext()).newPage();
    await signIn(page, user.email, user.password);
    // Enough secrets for the pickers to scroll.
    for (let i = 0; i < 30; i++) {
      const name = `LAYOUT_KEY_${String(i).padStart(2, '0')}`;
      const res = await page.evaluate(
        async ({ name }) => {
          const session = await (await fetch('/v1/console/session')).json();
          const r = await fetch('/v1/secrets', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
            body: JSON.stringify({ name, value: `layout-value-${name}` }),
          });
          return r.status;
        },
        { name },
      );
      expect(res).toBe(201);
    }
  });

  afterAll(async () => {
    await env?.close();
  });

  it('fits a 390 px wide screen: navigation in one row, wide tables scroll in their own box', { timeout: JOURNEY_MS }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/sandbox/secrets', '/sandbox/integrations/new', '/sandbox/logic/new', '/sandbox/audit']) {
      await page.goto(path);
      await page.locator('h1').first().waitFor();
      await page.waitForTimeout(300);
      expect(await pageWidth(page), `${path} scrolls sideways`).toBeLessThanOrEqual(390);
    }
    await page.goto('/sandbox/secrets');
    await page.getByTestId('secrets-table').waitFor();
    // The page title is on the first screen, below a one-row navigation.
    const title = await page.getByRole('heading', { name: 'Cloud secrets' }).boundingBox();
    expect(title!.y).toBeLessThan(400);
    await shot(page, 'layout-01-narrow-secrets');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps pages as long as their content, and template buttons inside their cards', { timeout: JOURNEY_MS }, async () => {
    await page.goto('/sandbox/logic/new');
    await page.getByRole('checkbox', { name: 'LAYOUT_KEY_29' }).waitFor({ state: 'attached' });
    // The hidden inputs of a scrolled checkbox list must not add height below the page.
    const extra = await page.evaluate(() => {
      const shell = document.querySelector('.shell')!.getBoundingClientRect();
      return document.documentElement.scrollHeight - (shell.bottom + window.scrollY);
    });
    expect(extra).toBeLessThanOrEqual(1);

    await nav(page, 'Integrations').click();
    await page.getByRole('link', { name: 'From a template' }).click();
    const cards = page.getByRole('list', { name: 'Templates' }).getByRole('listitem');
    await cards.first().waitFor();
    for (const card of await cards.all()) {
      const box = (await card.boundingBox())!;
      const button = (await card.getByRole('link', { name: /^Use / }).boundingBox())!;
      expect(button.x + button.width).toBeLessThanOrEqual(box.x + box.width);
    }
    await shot(page, 'layout-02-templates');
  });

  it('shows a page that cannot be loaded as an error inside the console', { timeout: JOURNEY_MS }, async () => {
    await page.goto('/sandbox/secrets');
    await page.getByTestId('secrets-table').waitFor();
    // The Logic page's code is fetched on demand: make that fetch fail, as when the server is down.
    await page.route(/\/assets\/logic-list-page-[^/]+\.js$/, (route) => route.abort('connectionrefused'));
    await nav(page, 'Logic').click();
    const alert = page.getByRole('alert').filter({ hasText: 'This page failed to load' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Could not reach the Hush server to load this page');
    await shot(page, 'layout-03-page-load-error');
    // The navigation is still there and works.
    await page.unroute(/\/assets\/logic-list-page-[^/]+\.js$/);
    await nav(page, 'Secrets').click();
    await page.getByTestId('secrets-table').waitFor();
    // The failed chunk load is logged by the browser as an error; only CSP and page errors count.
    expect(env.watch.cspViolations).toEqual([]);
  });

  it('reported no CSP violation', () => {
    expectCleanPages({ ...env.watch, pageErrors: env.watch.pageErrors.filter((e) => !/dynamically imported module/.test(e)) });
  });
});
