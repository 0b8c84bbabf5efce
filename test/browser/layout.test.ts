/**
 * Layout in Chromium: a phone-sized viewport (390×844) has no sideways page scroll and
 * starts the page on the first screen; long secret lists do not lengthen pages; template
 * cards hold their buttons; a page whose code cannot be fetched shows the error inside
 * the console, with the navigation still there. Issue #16 item 4: no table or dialog
 * breaks a word (long names, events, URLs and e-mails wrap only after separators), at
 * 1280×800 and 390×844, with screenshots. Item 5: at 390 px no list page scrolls sideways,
 * every row's menu and actions are on screen (a wide table scrolls in its box with the
 * name and actions columns held), and the whole navigation is on screen.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { expectCleanPages, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, tabTo, type ConsoleEnv } from './browser-fns.ts';
import { midWordBreaks, outsideViewport, pageWidth } from './layout-fns.ts';

/** Names as long as real ones get, with separators and without. */
const LONG = {
  secret: 'SENSOR_TEMPERATURE_CALIBRATION_OFFSET',
  /** Not used by anything, so it can be deleted. */
  spare: 'SENSOR_HUMIDITY_CALIBRATION_OFFSET_SPARE',
  event: 'sensor/temperature/kitchen-reading',
  url: 'https://ingest.example-metrics.io/v2/devices/kitchen-sensor/temperature?source=hush&unit=celsius',
  fn: 'kitchen-sensor-temperature-alarm',
  product: 'Kitchen temperature sensors',
  device: '0123456789abcdef01234567',
  ledger: 'kitchen-temperature-readings',
  envKey: 'KITCHEN_SENSOR_TEMPERATURE_UNIT',
  org: 'kitchen-sensor-operations',
} as const;

/** Creates one of each thing a console table lists, with the long names above; returns the product's slug. */
async function seedLongNames(env: ConsoleEnv, user: { email: string; token: string }): Promise<string> {
  const call = async (method: string, path: string, json: unknown) => {
    const r = await api(env.server.url, method, path, { token: user.token, json });
    expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
    return JSON.parse(r.text || '{}') as { product?: { slug: string } };
  };
  await call('PUT', `/v1/secrets/${LONG.secret}`, { value: 'calibration-value-3f1a' });
  await call('PUT', `/v1/secrets/${LONG.spare}`, { value: 'calibration-value-9c2d' });
  await call('POST', '/v1/integrations', {
    integration_type: 'Webhook', name: `Forward ${LONG.event}`, event: LONG.event, url: LONG.url, requestType: 'POST',
    headers: { Authorization: `Bearer {{{${LONG.secret}}}}` }, secrets: [LONG.secret],
  });
  await call('POST', '/v1/logic/functions', {
    logic_function: { name: LONG.fn, description: '', enabled: true, source: { type: 'JavaScript', code: 'export default function main() {}' }, secrets: [], logic_triggers: [] },
  });
  const product = await call('POST', '/v1/user/products', { name: LONG.product });
  await call('POST', `/v1/products/${product.product!.slug}/devices`, { id: LONG.device });
  await call('POST', '/v1/ledgers', { ledger: { name: LONG.ledger, scope: 'Owner', description: 'Readings of the kitchen/temperature sensors' } });
  await call('PUT', `/v1/env/${LONG.envKey}`, { value: 'celsius/degrees' });
  await env.server.services.orgs.create(LONG.org, 'Kitchen sensor operations', user.email);
  return product.product!.slug;
}

describe('console: layout on narrow and wide screens (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let user: { email: string; password: string; token: string };
  let productSlug = '';

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
    productSlug = await seedLongNames(env, user);
  });

  afterAll(async () => {
    await env?.close();
  });

  it('fits a 390 px wide screen: no page scrolls sideways, every row menu and the whole navigation are on screen', { timeout: JOURNEY_MS }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const lists = [
      ['/sandbox/secrets', LONG.secret],
      ['/sandbox/integrations', LONG.url],
      ['/sandbox/logic', LONG.fn],
      ['/sandbox/audit', LONG.secret],
      ['/sandbox/products', LONG.product],
      [`/sandbox/products/${productSlug}`, LONG.device],
      ['/sandbox/ledger', LONG.ledger],
      ['/sandbox/env', LONG.envKey],
      [`/orgs/${LONG.org}/members`, user.email],
    ] as const;
    for (const [path, text] of lists) {
      await page.goto(path);
      await page.locator('.table .cell').filter({ hasText: text }).first().waitFor();
      await shot(page, `layout-04-narrow-${path.split('/')[2]}${path.includes('/products/') ? '-devices' : ''}`);
      expect(await pageWidth(page), `${path} scrolls sideways`).toBeLessThanOrEqual(390);
      // The row menus and actions stay on screen even where the table scrolls in its box.
      expect(await outsideViewport(page, '.table .col-actions button, .table .col-actions a'), `row actions of ${path}`).toEqual([]);
      // Every page of the navigation is on screen, none cut off at the edge.
      expect(await outsideViewport(page, 'nav[aria-label="Console"] a'), `navigation on ${path}`).toEqual([]);
    }
    for (const path of ['/sandbox/integrations/new', '/sandbox/logic/new', '/sandbox/events']) {
      await page.goto(path);
      await page.locator('h1').first().waitFor();
      expect(await pageWidth(page), `${path} scrolls sideways`).toBeLessThanOrEqual(390);
    }
    await page.goto('/sandbox/integrations');
    await page.getByTestId('integrations-table').waitFor();
    await shot(page, 'layout-01-narrow-integrations');
    // The table scrolled to its end still shows the row's name and its actions.
    await page.locator('.table-scroll').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    expect(await outsideViewport(page, '.table .col-actions a')).toEqual([]);
    const name = await page.getByTestId('integrations-table').locator('tbody tr > :first-child').first().boundingBox();
    expect(name!.x).toBeGreaterThanOrEqual(0);
    await shot(page, 'layout-01-narrow-integrations-scrolled');

    await page.goto('/sandbox/secrets');
    await page.getByTestId('secrets-table').waitFor();
    // The page title is on the first screen, below the navigation.
    const title = await page.getByRole('heading', { name: 'Cloud secrets' }).boundingBox();
    expect(title!.y).toBeLessThan(400);
    await shot(page, 'layout-01-narrow-secrets');
    // The navigation works from the keyboard: Tab from the top reaches its last page.
    await page.getByRole('heading', { name: 'Cloud secrets' }).click();
    await tabTo(page, (f) => f.tag === 'a' && f.name === 'Audit', { back: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Audit/ }).first().waitFor();
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

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const size = `${viewport.width}x${viewport.height}`;
    it(`breaks no word in a table or dialog at ${size}`, { timeout: JOURNEY_MS }, async () => {
      await page.setViewportSize(viewport);
      const pages: readonly (readonly [string, string, string])[] = [
        ['secrets', '/sandbox/secrets', LONG.secret],
        ['integrations', '/sandbox/integrations', LONG.url],
        ['logic', '/sandbox/logic', LONG.fn],
        ['audit', '/sandbox/audit', LONG.secret],
        ['products', '/sandbox/products', LONG.product],
        ['devices', `/sandbox/products/${productSlug}`, LONG.device],
        ['ledger', '/sandbox/ledger', LONG.ledger],
        ['env', '/sandbox/env', LONG.envKey],
        ['members', `/orgs/${LONG.org}/members`, user.email],
      ];
      for (const [name, path, text] of pages) {
        await page.goto(path);
        await page.locator('.table .cell').filter({ hasText: text }).first().waitFor();
        expect(await midWordBreaks(page, '.table .cell, .table .col'), `${path} at ${size}`).toEqual([]);
        await shot(page, `layout-words-${name}-${size}`);
      }
      // Dialogs titled and worded with a long name: details and delete of a secret, delete of a Logic function.
      const dialogs = [
        ['/sandbox/secrets', `Actions for ${LONG.secret}`, 'View details', 'dialog'],
        ['/sandbox/secrets', `Actions for ${LONG.spare}`, 'Delete', 'alertdialog'],
        ['/sandbox/logic', `Actions for ${LONG.fn}`, 'Delete', 'alertdialog'],
      ] as const;
      for (const [path, opener, item, role] of dialogs) {
        await page.goto(path);
        await page.getByRole('button', { name: opener }).click();
        await page.getByRole('menuitem', { name: item }).click();
        const dialog = page.getByRole(role);
        await dialog.waitFor();
        await shot(page, `layout-words-dialog-${path.split('/')[2]}-${item.replace(' ', '-').toLowerCase()}-${size}`);
        expect(await midWordBreaks(page, '.dialog'), `${item} dialog from ${path} at ${size}`).toEqual([]);
        // Nothing in the dialog is wider than the dialog.
        expect(await dialog.evaluate((el) => el.scrollWidth - el.clientWidth), `${item} dialog from ${path} at ${size}`).toBeLessThanOrEqual(0);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
      }
    });
  }

  it('reported no CSP violation', () => {
    expectCleanPages({ ...env.watch, pageErrors: env.watch.pageErrors.filter((e) => !/dynamically imported module/.test(e)) });
  });
});
