/**
 * Loading the secrets page, in Chromium: the session and the secrets are requested in
 * parallel (the small `early` script starts both), the list is not fetched twice, a long
 * list shows its first screenful first and then every row (with `aria-rowcount` and
 * `aria-rowindex` throughout), the arrow keys reach every secret, and the scripts arrive
 * compressed. No timing is asserted: the console benchmark measures that.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectCleanPages, focusedElement, JOURNEY_MS, secretRow, signIn, startConsoleEnv, tabTo, type ConsoleEnv } from './browser-fns.ts';

const COUNT = 150;
const ORG = { slug: 'load-org', name: 'Load Org' };
const name = (i: number) => `LOAD_SECRET_${String(i).padStart(3, '0')}`;

/** Loads `path` in `page`, recording the API requests and the scripts' content encodings. */
async function load(page: Page, path: string) {
  const api: string[] = [];
  const scripts: Promise<{ url: string; encoding: string; bytes: number }>[] = [];
  const onRequest = (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/v1/')) api.push(`${r.method()} ${url.pathname}`);
  };
  page.on('request', onRequest);
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script') return;
    const encoding = res.headers()['content-encoding'] ?? 'none';
    scripts.push(res.body().then((b) => ({ url: new URL(res.url()).pathname, encoding, bytes: b.length })));
  });
  await page.goto(path);
  return { api, scripts: () => Promise.all(scripts), stop: () => page.off('request', onRequest) };
}

describe('console: loading the secrets page (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let user: { email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    const { orgs, secrets } = env.server.services;
    const u = await env.server.user();
    user = u;
    const sandbox = orgs.sandboxScope({ userId: u.id, email: u.email, tokenHash: '', clientId: 'test', expiresAt: null });
    for (let i = 0; i < COUNT; i++) await secrets.create(sandbox, name(i), `load-value-${i}`);
    await orgs.create(ORG.slug, ORG.name, u.email);
    await secrets.create(await orgs.operatorScope(ORG.slug), 'ORG_ONLY', 'org-only-value');
    page = await (await env.newContext()).newPage();
    await signIn(page, user.email, user.password);
  });

  afterAll(async () => {
    await env?.close();
  });

  it('requests the session and the secrets in parallel, once each, and then shows every row', { timeout: JOURNEY_MS }, async () => {
    const loaded = await load(page, '/sandbox/secrets');
    const table = page.getByTestId('secrets-table');
    await table.waitFor();
    // The table gives the full size from its first render on; the first row is the first secret.
    expect(await table.getAttribute('aria-rowcount')).toBe(String(COUNT + 1));
    const rows = table.locator('tbody tr');
    expect(await rows.first().getAttribute('aria-rowindex')).toBe('2');
    // Then every row, in order, each with its index.
    await eventually(() => rows.count(), (n) => expect(n).toBe(COUNT));
    expect(await rows.last().getAttribute('aria-rowindex')).toBe(String(COUNT + 1));
    await secretRow(page, name(COUNT - 1)).waitFor();
    loaded.stop();

    // One session request and one secrets request for the load: the page's query used the
    // early answer instead of asking again when it mounted. The list also refreshes every
    // 5 s while shown: requests that start more than 3 s after the first answer are not counted.
    expect(loaded.api.slice(0, 2).sort()).toEqual(['GET /v1/console/session', 'GET /v1/secrets']);
    expect(loaded.api.filter((r) => r === 'GET /v1/console/session')).toHaveLength(1);
    // Resource timing lists a request once it has finished.
    await page.waitForLoadState('networkidle');
    const timing = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => /\/v1\/(console\/session|secrets)$/.test(new URL(e.name).pathname))
        .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd })),
    );
    const session = timing.find((t) => t.path === '/v1/console/session')!;
    const lists = timing.filter((t) => t.path === '/v1/secrets');
    expect(lists.filter((t) => t.start < lists[0]!.end + 3000)).toHaveLength(1);
    // Both were on their way before either had answered.
    expect(lists[0]!.start).toBeLessThan(session.end);
    expect(session.start).toBeLessThan(lists[0]!.end);

    // The scripts came compressed (the build writes .br/.gz next to those of 1 KiB or more;
    // the server picks what the browser accepts).
    const scripts = await loaded.scripts();
    expect(scripts.length).toBeGreaterThan(1);
    expect(scripts.filter((s) => s.bytes >= 1024 && s.encoding === 'none')).toEqual([]);
    expect(scripts.some((s) => s.encoding === 'br')).toBe(true);
    expectCleanPages(env.watch);
  });

  it('moves to the last secret with End right after the first screenful appears', { timeout: JOURNEY_MS }, async () => {
    await page.goto('/sandbox/secrets');
    await secretRow(page, name(0)).waitFor();
    await tabTo(page, (f) => f.name.startsWith('Actions for '));
    await page.keyboard.press('End');
    await eventually(() => focusedElement(page), (f) => expect(f.name).toBe(`Actions for ${name(COUNT - 1)}`));
    await page.keyboard.press('Home');
    await eventually(() => focusedElement(page), (f) => expect(f.name).toBe(`Actions for ${name(0)}`));
    await page.keyboard.press('PageDown');
    await eventually(() => focusedElement(page), (f) => expect(f.name).toBe(`Actions for ${name(10)}`));
    expectCleanPages(env.watch);
  });

  it('loads an organization’s secrets page directly, with the same early requests', { timeout: JOURNEY_MS }, async () => {
    const loaded = await load(page, `/orgs/${ORG.slug}/secrets`);
    await secretRow(page, 'ORG_ONLY').waitFor();
    expect(await page.getByTestId('secrets-table').getAttribute('aria-rowcount')).toBe('2');
    loaded.stop();
    expect(loaded.api.slice(0, 2).sort()).toEqual(['GET /v1/console/session', `GET /v1/orgs/${ORG.slug}/secrets`]);
    await page.waitForLoadState('networkidle');
    const lists = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => new URL(e.name).pathname.endsWith('/secrets')).map((e) => ({ start: e.startTime, end: e.responseEnd })),
    );
    expect(lists.filter((t) => t.start < lists[0]!.end + 3000)).toHaveLength(1);
    expectCleanPages(env.watch);
  });
});
