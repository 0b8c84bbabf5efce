/**
 * Issue #19 items 2 and 3, in Chromium: rotate a webhook's token with "Save as pending, test
 * first" against a target that accepts only the new token, see the test pass, promote, and see
 * the next real delivery use it; the pending and expiry badges. Screenshots at 1280×800.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { leakedForms } from '../support/value-forms.ts';
import { expectCleanPages, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, WAIT_MS, type ConsoleEnv } from './browser-fns.ts';

const OLD = 'old-hook-token-4e71a9';
const NEW = 'new-hook-token-b83c05';

describe('console: staged rotation and expiry badges (Chromium)', () => {
  let env: ConsoleEnv;
  let sink: HttpSink;
  let user: Awaited<ReturnType<ConsoleEnv['server']['user']>>;
  let hookId = '';

  beforeAll(async () => {
    env = await startConsoleEnv();
    sink = await startHttpSink({
      handler: (req, res) => {
        const ok = req.headers.authorization === `Bearer ${NEW}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok }));
      },
    });
    user = await env.server.user();
    const call = (method: string, path: string, json: unknown) => api(env.server.url, method, path, { token: user.token, json });
    expect((await call('POST', '/v1/secrets', { name: 'HOOK_TOKEN', value: OLD, expires_at: new Date(Date.now() + 5 * 86_400_000).toISOString() })).status).toBe(201);
    expect((await call('POST', '/v1/secrets', { name: 'LAPSED_KEY', value: 'lapsed-value-9d1f', expires_at: new Date(Date.now() - 86_400_000).toISOString() })).status).toBe(201);
    const hook = await call('POST', '/v1/integrations', {
      event: 'rotate', url: `${sink.url}/hook`, requestType: 'POST', headers: { Authorization: 'Bearer {{{HOOK_TOKEN}}}' }, secrets: ['HOOK_TOKEN'],
    });
    expect(hook.status).toBe(201);
    hookId = hook.body.id;
  });

  afterAll(async () => {
    await env?.close();
    await sink?.close();
  });

  it('saves as pending, tests with it, promotes, and the next delivery uses it', { timeout: JOURNEY_MS }, async () => {
    const page = await (await env.newContext()).newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, user.email, user.password);
    await nav(page, 'Secrets').click();
    await page.getByTestId('expiry-badge-HOOK_TOKEN').waitFor();
    expect(await page.getByTestId('expiry-badge-HOOK_TOKEN').innerText()).toBe('expires in 5 days');
    expect(await page.getByTestId('expiry-badge-LAPSED_KEY').innerText()).toBe('expired');
    await shot(page, 'secrets-expiry-badges-1280x800');

    await page.getByRole('button', { name: 'Actions for HOOK_TOKEN' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit secret HOOK_TOKEN' });
    await edit.getByLabel('New value').fill(NEW);
    await edit.getByRole('button', { name: 'Save as pending, test first' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.getByText('Pending value of HOOK_TOKEN saved. Deliveries and runs keep the current value until you promote it.').waitFor();
    await page.getByTestId('pending-badge-HOOK_TOKEN').waitFor();
    expect(await page.getByTestId('pending-badge-HOOK_TOKEN').innerText()).toMatch(/^pending \(/);
    await shot(page, 'secrets-pending-badge-1280x800');

    // Test the webhook: with the current value it fails, with the pending one it passes.
    await page.goto(`/sandbox/integrations/${hookId}`);
    await page.getByRole('button', { name: 'Send test event' }).click();
    const result = page.getByRole('dialog', { name: 'Test event' });
    await result.getByText('The test failed', { exact: false }).waitFor();
    await result.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Test with pending secrets' }).click();
    await result.getByText('The target accepted the test event.').waitFor();
    await shot(page, 'integration-test-with-pending-1280x800');
    await result.getByRole('button', { name: 'Close' }).click();
    expect(sink.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${OLD}`, `Bearer ${NEW}`]);

    // Promote from the Edit dialog.
    await nav(page, 'Secrets').click();
    await page.getByRole('button', { name: 'Actions for HOOK_TOKEN' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    await edit.getByTestId('pending-panel').waitFor();
    await shot(page, 'edit-secret-pending-panel-1280x800');
    await edit.getByRole('button', { name: 'Promote pending value' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.getByText('Pending value of HOOK_TOKEN promoted.', { exact: false }).waitFor();
    await expect.poll(() => page.getByTestId('pending-badge-HOOK_TOKEN').count(), { timeout: WAIT_MS }).toBe(0);

    // The next real delivery uses the promoted value.
    expect((await api(env.server.url, 'POST', '/v1/devices/events', { token: user.token, json: { name: 'rotate', data: 'go' } })).status).toBe(200);
    const requests = await sink.waitFor(3, WAIT_MS);
    expect(requests[2]!.headers.authorization).toBe(`Bearer ${NEW}`);
    expect(leakedForms(await page.content(), [OLD, NEW])).toEqual([]);
    expectCleanPages(env.watch);
  });
});
