/**
 * The console's browser-side security, in Chromium against a real server: the strict CSP
 * (no inline script or style) on every console page with no violation reported while
 * visiting all of them, an HttpOnly SameSite=Strict session cookie, and cookie-authenticated
 * writes refused without the CSRF header.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/http/console-static.ts';
import { expectCleanPages, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

/** Parses a CSP header into directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!.toLowerCase(), sources] as const),
  );
}

function expectStrictCsp(csp: string | null | undefined): void {
  expect(csp).toBe(CONSOLE_CSP);
  const d = directives(csp!);
  expect(d.get('script-src')).toEqual(["'self'"]);
  expect(d.get('style-src')).toEqual(["'self'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce-|sha256-|\*/);
}

/** A write through the page's own fetch (the session cookie goes with it), with chosen headers. */
async function pageFetch(page: Page, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text };
    },
    { method, path, body, headers },
  );
}

describe('console: CSP, session cookie and CSRF (Chromium)', () => {
  let env: ConsoleEnv;
  let context: BrowserContext;
  let page: Page;
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'KEEP_ME', 'keep-me-value-7731');
    await env.server.services.orgs.create('sec-org', 'Security Org', user.email);
    context = await env.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('serves the console with the strict CSP and no inline script or style', async () => {
    for (const path of ['/', '/login', '/sandbox/secrets', '/orgs/sec-org/logic/new']) {
      const res = await fetch(env.server.url + path);
      expect(res.status, path).toBe(200);
      expectStrictCsp(res.headers.get('content-security-policy'));
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const html = (await res.text()).replace(/<!--[\s\S]*?-->/g, '');
      // Every script is an external file; no <style> element or style attribute.
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, content] of scripts) {
        expect(attrs).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
        expect(content!.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    }
    // Assets come from the same origin, long-cached.
    const html = await (await fetch(env.server.url + '/')).text();
    const entry = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(env.server.url + entry);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('visits every console page without a CSP violation, and the CSP really blocks inline code', { timeout: JOURNEY_MS }, async () => {
    const response = await page.goto('/login');
    expectStrictCsp(response?.headers()['content-security-policy']);
    await signIn(page, user.email, user.password);

    // Every section, lazily loaded chunks included, in the sandbox and in the org.
    for (const base of ['/sandbox', '/orgs/sec-org']) {
      await page.goto(`${base}/secrets`);
      await page.getByRole('heading', { level: 1, name: 'Cloud secrets' }).waitFor();
      for (const [link, heading] of [
        ['Integrations', 'Integrations'],
        ['Logic', 'Logic'],
        ['Events', 'Events'],
        ['Members', /^Members/],
        ['Audit', /audit/i],
        ['Secrets', 'Cloud secrets'],
      ] as const) {
        await nav(page, link).click();
        await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      }
      for (const [sub, heading] of [
        ['integrations/new', 'New webhook'],
        ['integrations/templates', /template/i],
        ['logic/new', 'New Logic function'],
      ] as const) {
        await page.goto(`${base}/${sub}`);
        await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      }
    }
    await page.goto('/sandbox/events');
    await page.getByTestId('stream-status').getByText('Live').waitFor();
    await shot(page, 'security-01-events-live');
    expectCleanPages(env.watch);

    // The check is not vacuous: an injected inline script is blocked and reported.
    const before = env.watch.cspViolations.length;
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      const st = document.createElement('style');
      st.textContent = 'body { background: red }';
      document.head.append(st);
    });
    await expect.poll(() => env.watch.cspViolations.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(before + 2);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false)).toBe(false);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 0, 0)');
    env.watch.cspViolations.splice(before);
  });

  it('keeps the session in an HttpOnly SameSite=Strict cookie and refuses cookie writes without the CSRF header', async () => {
    const cookies = await context.cookies(env.server.url);
    const session = cookies.find((c) => c.name === 'hush_session');
    expect(session, 'session cookie').toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe('Strict');
    expect(session!.path).toBe('/');
    // Not readable from scripts.
    await page.goto('/sandbox/secrets');
    await page.getByRole('heading', { name: 'Cloud secrets' }).waitFor();
    expect(await page.evaluate(() => document.cookie)).not.toContain('hush_session');

    // A cookie-authenticated write without X-CSRF-Token (or with a wrong one) is refused.
    const noHeader = await pageFetch(page, 'POST', '/v1/secrets', { name: 'CSRF_PROBE', value: 'csrf-probe-value' });
    expect(noHeader.status).toBe(403);
    expect(noHeader.text).toMatch(/X-CSRF-Token/);
    const wrong = await pageFetch(page, 'POST', '/v1/secrets', { name: 'CSRF_PROBE', value: 'csrf-probe-value' }, { 'X-CSRF-Token': 'not-the-token' });
    expect(wrong.status).toBe(403);
    const del = await pageFetch(page, 'DELETE', '/v1/secrets/KEEP_ME', undefined);
    expect(del.status).toBe(403);
    const put = await pageFetch(page, 'PUT', '/v1/secrets/KEEP_ME', { value: 'overwritten-by-csrf' });
    expect(put.status).toBe(403);
    // The same request outside the browser, with the stolen cookie value but no header: refused too.
    const outside = await fetch(`${env.server.url}/v1/secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `hush_session=${session!.value}` },
      body: JSON.stringify({ name: 'CSRF_PROBE', value: 'csrf-probe-value' }),
    });
    expect(outside.status).toBe(403);

    // Nothing changed; and with the session's CSRF token the same write goes through.
    const list = await page.evaluate(async () => (await (await fetch('/v1/secrets')).json()) as { secrets: { name: string; updated_at: string; created_at: string }[] });
    expect(list.secrets.map((s) => s.name)).toEqual(['KEEP_ME']);
    const csrf = await page.evaluate(async () => ((await (await fetch('/v1/console/session')).json()) as { csrf_token: string }).csrf_token);
    const ok = await pageFetch(page, 'POST', '/v1/secrets', { name: 'CSRF_PROBE', value: 'csrf-probe-value' }, { 'X-CSRF-Token': csrf });
    expect(ok.status, ok.text).toBeLessThan(300);

    // Signing out clears the cookie; the API then answers 401.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    expect((await context.cookies(env.server.url)).find((c) => c.name === 'hush_session')).toBeUndefined();
    const after = await page.evaluate(async () => (await fetch('/v1/secrets')).status);
    expect(after).toBe(401);
    expectCleanPages(env.watch);
  });
});
