/**
 * Issue #16 item 7, in Chromium: the delivery log names the event behind each attempt,
 * marks test sends, shows that rows expand (a chevron that turns), and shows a form body
 * decoded (one field per line) and a JSON body formatted, still masked; Logic run history
 * tells runs of the same second apart; the integrations list offers Test on each row. Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { eventually, expectCleanPages, JOURNEY_MS, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

const TOKEN = 'form-tok/en+value 7c1e';

describe('console: the delivery log (Chromium)', () => {
  let env: ConsoleEnv;
  let sink: HttpSink;
  let user: { id: string; email: string; password: string; token: string };
  let hookId = '';
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${env.server.url}${path}`, { method, headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    env = await startConsoleEnv();
    sink = await startHttpSink();
    user = await env.server.user();
    expect((await call('PUT', '/v1/secrets/FORM_TOKEN', { value: TOKEN })).status).toBe(200);
    const hook = await call('POST', '/v1/integrations', {
      event: 'meter', url: `${sink.url}/in`, requestType: 'POST', form: { token: '{{{FORM_TOKEN}}}', reading: '{{{PARTICLE_EVENT_VALUE}}}' }, secrets: ['FORM_TOKEN'],
    });
    expect(hook.status).toBe(201);
    hookId = String(hook.body.id);
    expect((await call('POST', '/v1/devices/events', { name: 'meter', data: '21.5 °C & rising' })).status).toBe(200);
    await sink.waitFor(1, 15_000);
    expect((await call('POST', `/v1/integrations/${hookId}/test`, { data: 'from the test button' })).status).toBe(200);
  });

  afterAll(async () => {
    await sink?.close();
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`shows the event, the test badge and decoded, masked bodies at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await page.goto(`/sandbox/integrations/${hookId}/logs`);
      const rows = page.getByRole('list', { name: 'Deliveries' }).locator('details');
      // One real delivery and one test send (the wide run also sends one from the list).
      await eventually(async () => rows.count(), (n) => expect(n).toBeGreaterThanOrEqual(2));
      const realRows = rows.filter({ hasNot: page.getByTestId('test-badge') });
      expect(await realRows.count()).toBe(1);
      const [testRow, realRow] = [rows.filter({ has: page.getByTestId('test-badge') }).first(), realRows.first()];
      expect(await realRow.locator('summary').innerText()).toMatch(/event\s+meter/);
      expect(await testRow.locator('summary').innerText()).toMatch(/test event\s+meter/);

      const chevron = realRow.locator('.chevron');
      const closed = await chevron.evaluate((el) => getComputedStyle(el).transform);
      await realRow.locator('summary').click();
      await expect.poll(() => chevron.evaluate((el) => getComputedStyle(el).transform)).not.toBe(closed);
      const text = await realRow.innerText();
      expect(text).toContain('Form fields, decoded');
      expect(text).toContain('token = [[SENSITIVE]]');
      expect(text).toContain('reading = 21.5 °C & rising');
      const html = await page.content();
      for (const leak of [TOKEN, encodeURIComponent(TOKEN), new URLSearchParams({ t: TOKEN }).toString().slice(2)]) expect(html).not.toContain(leak);
      await shot(page, `delivery-log-${viewport.width}x${viewport.height}`);

      // The list offers Test on each row; its answer comes in a dialog, and focus returns to the button.
      await page.goto('/sandbox/integrations');
      const test = page.getByRole('button', { name: /^Send a test event to / });
      await test.click();
      const dialog = page.getByRole('dialog', { name: /^Test event:/ });
      await dialog.getByText('The target accepted the test event.').waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => test.evaluate((el) => el === document.activeElement)).toBe(true);
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
