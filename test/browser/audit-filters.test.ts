/**
 * Issue #16 item 10, in Chromium: the audit page names every action in words (the code in
 * its tooltip), its subtitle covers all families, and it filters by actor, action, target,
 * outcome and time, kept in the URL. Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, JOURNEY_MS, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

describe('console: audit trail labels and filters (Chromium)', () => {
  let env: ConsoleEnv;
  let admin: { id: string; email: string; password: string; token: string };
  let viewer: { id: string; email: string; password: string; token: string };
  const call = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${env.server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    env = await startConsoleEnv();
    [admin, viewer] = [await env.server.user(), await env.server.user()];
    await env.server.services.orgs.create('acme', 'Acme Inc', admin.email);
    await env.server.services.orgs.setMember(await env.server.services.orgs.operatorScope('acme'), viewer.email, 'view-only');
    for (const name of ['API_KEY', 'DB_PASSWORD']) expect((await call(admin.token, 'PUT', `/v1/orgs/acme/secrets/${name}`, { value: `v-${name}` })).status).toBe(200);
    expect((await call(viewer.token, 'PUT', '/v1/orgs/acme/secrets/API_KEY', { value: 'nope' })).status).toBe(403);
    expect((await call(admin.token, 'POST', '/v1/orgs/acme/integrations', { event: 'temp', url: 'http://127.0.0.1:9/hook' })).status).toBe(201);
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`labels and filters the trail at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, admin.email, admin.password);
      await page.goto('/orgs/acme/audit');
      const table = page.getByRole('grid', { name: 'Audit trail' });
      await table.getByText('Created integration').waitFor();
      expect(await page.getByText(/Every change to secrets, integrations, Logic functions/).count()).toBe(1);
      expect(await table.getByText('secret.create', { exact: true }).count()).toBe(0);
      expect(await table.getByText('Created secret').first().getAttribute('title')).toBe('secret.create');
      await shot(page, `audit-trail-${viewport.width}x${viewport.height}`);

      const filters = page.getByTestId('audit-filters');
      await filters.getByRole('button', { name: /Outcome/ }).click();
      await page.getByRole('option', { name: 'Denied' }).click();
      await filters.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => table.getByRole('row').count()).toBe(2); // header + the one denied attempt
      expect(await table.getByRole('row').nth(1).innerText()).toContain(viewer.email);
      expect(new URL(page.url()).searchParams.get('outcome')).toBe('denied');

      await filters.getByRole('button', { name: 'Clear' }).click();
      await filters.getByRole('searchbox', { name: 'Target' }).fill('db_pass');
      await filters.getByRole('button', { name: /Action/ }).click();
      await page.getByRole('option', { name: 'Secrets: any' }).click();
      await filters.getByRole('button', { name: /Time/ }).click();
      await page.getByRole('option', { name: 'Last hour' }).click();
      await filters.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      expect(await table.getByRole('row').nth(1).innerText()).toContain('DB_PASSWORD');
      await shot(page, `audit-trail-filtered-${viewport.width}x${viewport.height}`);

      // The filters live in the URL: a reload keeps them.
      await page.reload();
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      expect(await filters.getByRole('searchbox', { name: 'Target' }).inputValue()).toBe('db_pass');
      await filters.getByRole('searchbox', { name: 'Actor' }).fill('nobody@example.com');
      await filters.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No entries match these filters').waitFor();
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
