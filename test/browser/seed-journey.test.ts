/**
 * The product page's journey, end to end in Chromium against a real server: create secrets,
 * use them in a webhook (one created from the editor's "new tab" link and picked up without
 * a reload), deliver an event to a real HTTP sink, check the delivery log is masked, replace
 * a value, see Delete blocked while in use, then release and delete the secret.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { eventually, expectCleanPages, JOURNEY_MS, nav, secretCells, secretRow, setCheckbox, shot, signIn, startConsoleEnv, WAIT_MS, type ConsoleEnv } from './browser-fns.ts';

const AUTH_VALUE = 'sk_live_AUTHKEY_4f9c2e71d3b8a6';
const AUTH_VALUE_2 = 'sk_live_ROTATED_9a1b7c3d5e2f80';
const TOKEN_VALUE = 'tok_second_7e3d91c4a2b5f6';

describe('console: the cloud secrets journey (Chromium)', () => {
  let env: ConsoleEnv;
  let sink: HttpSink;
  let context: BrowserContext;
  let page: Page;
  let user: { email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    sink = await startHttpSink();
    user = await env.server.user();
    context = await env.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    await env?.close();
    await sink?.close();
  });

  it('creates secrets, uses them in a webhook, masks the delivery log, replaces and deletes', { timeout: JOURNEY_MS }, async () => {
    // Sign in; Cloud services → Secrets.
    await signIn(page, user.email, user.password);
    await nav(page, 'Integrations').click();
    await page.getByRole('heading', { name: 'Integrations', exact: true }).waitFor();
    await nav(page, 'Secrets').click();
    await page.getByRole('heading', { name: 'Cloud secrets' }).waitFor();
    await page.getByText('No secrets yet').waitFor();
    await shot(page, 'seed-01-secrets-empty');

    // Create AUTH_KEY: the value goes into a password field.
    await page.getByRole('button', { name: 'Create secret' }).click();
    const create = page.getByRole('dialog', { name: 'Create secret' });
    await create.getByLabel('Name').fill('AUTH_KEY');
    const value = create.getByLabel('Value');
    expect(await value.getAttribute('type')).toBe('password');
    await value.fill(AUTH_VALUE);
    await shot(page, 'seed-02-create-secret');
    await create.getByRole('button', { name: 'Create secret' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.getByTestId('secrets-notice').getByText('Secret AUTH_KEY created.').waitFor();
    await secretRow(page, 'AUTH_KEY').waitFor();
    const cells = await secretCells(page, 'AUTH_KEY');
    expect(cells[0]).toBe('AUTH_KEY');
    expect(cells[1]).toBe('0');
    expect(cells[3]).toBe('Never');
    expect(await page.content()).not.toContain(AUTH_VALUE);
    await shot(page, 'seed-03-secrets-list');

    // The webhook editor: a new integration on `temp` pointing at the sink.
    await nav(page, 'Integrations').click();
    await page.getByRole('link', { name: 'New webhook' }).first().click();
    await page.getByRole('heading', { name: 'New webhook' }).waitFor();
    await page.getByLabel('Event name').fill('temp');
    await page.getByLabel('URL').fill(`${sink.url}/hook`);
    const picker = page.getByTestId('secret-picker');
    await picker.getByRole('checkbox', { name: 'AUTH_KEY' }).waitFor();
    expect(await picker.getByRole('checkbox', { name: 'TOKEN_2' }).count()).toBe(0);
    // Marks this document: it must survive the trip to the other tab (no reload).
    await page.evaluate(() => ((window as unknown as { __noReload: string }).__noReload = 'same document'));

    // "click here to create a new secret" opens the secrets page in a NEW TAB.
    const [tab] = await Promise.all([context.waitForEvent('page', { timeout: WAIT_MS }), page.getByRole('link', { name: 'click here to create a new secret' }).click()]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe('/sandbox/secrets');
    const create2 = tab.getByRole('dialog', { name: 'Create secret' });
    await create2.waitFor();
    await create2.getByLabel('Name').fill('TOKEN_2');
    await create2.getByLabel('Value').fill(TOKEN_VALUE);
    await shot(tab, 'seed-04-new-tab-create-secret');
    await create2.getByRole('button', { name: 'Create secret' }).click();
    await tab.getByTestId('secrets-notice').getByText('Secret TOKEN_2 created.').waitFor();
    await secretRow(tab, 'TOKEN_2').waitFor();
    await tab.close();

    // Back in the first tab, without reloading: the picker lists TOKEN_2 after focus returns.
    await page.bringToFront();
    await page.evaluate(() => {
      window.dispatchEvent(new Event('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await picker.getByRole('checkbox', { name: 'TOKEN_2' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: string }).__noReload)).toBe('same document');
    expect(await page.getByLabel('Event name').inputValue()).toBe('temp');
    await setCheckbox(picker, 'TOKEN_2', true);
    await setCheckbox(picker, 'AUTH_KEY', true);
    await page.getByTestId('secret-usage-hint').getByText('{{{AUTH_KEY}}}').first().waitFor();

    // Authorization: Bearer {{{AUTH_KEY}}}, and TOKEN_2 in a second header.
    const headers = page.getByTestId('headers');
    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByLabel('Header 1 name').fill('Authorization');
    await headers.getByLabel('Header 1 value').fill('Bearer {{{AUTH_KEY}}}');
    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByLabel('Header 2 name').fill('X-Token');
    await headers.getByLabel('Header 2 value').fill('{{{TOKEN_2}}}');
    await shot(page, 'seed-05-webhook-editor');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText(/Webhook created/).waitFor();
    await shot(page, 'seed-06-integrations-list');

    // Publish `temp` from the console's Events page; the sink gets the real values.
    await nav(page, 'Events').click();
    const publish = page.getByRole('form', { name: 'Publish an event' });
    await publish.getByLabel('Event name').fill('temp');
    await publish.getByLabel('Event data').fill('21.5');
    await publish.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published temp.').waitFor();
    const [delivered] = await sink.waitFor(1, WAIT_MS);
    expect(delivered!.headers.authorization).toBe(`Bearer ${AUTH_VALUE}`);
    expect(delivered!.headers['x-token']).toBe(TOKEN_VALUE);
    await shot(page, 'seed-07-events-published');

    // The delivery log shows [[SENSITIVE]], never the values.
    await nav(page, 'Integrations').click();
    await page.getByRole('grid').getByText('temp', { exact: true }).first().click();
    await page.getByRole('link', { name: 'Delivery log' }).click();
    await page.getByRole('heading', { name: /^Delivery log/ }).waitFor();
    const deliveries = page.getByRole('list', { name: 'Deliveries' });
    await eventually(
      async () => {
        if ((await deliveries.count()) === 0) await page.getByRole('button', { name: 'Refresh' }).click();
        return deliveries.locator('details').count();
      },
      (n) => expect(n).toBeGreaterThan(0),
    );
    const entry = deliveries.locator('details').first();
    await entry.locator('summary').click();
    const logText = await entry.innerText();
    expect(logText).toContain('[[SENSITIVE]]');
    expect(logText).toMatch(/authorization: Bearer \[\[SENSITIVE\]\]/i);
    const html = await page.content();
    expect(html).not.toContain(AUTH_VALUE);
    expect(html).not.toContain(TOKEN_VALUE);
    await shot(page, 'seed-08-delivery-log');

    // Secrets list: AUTH_KEY is used once and was accessed.
    await nav(page, 'Secrets').click();
    await eventually(() => secretCells(page, 'AUTH_KEY'), (c) => {
      expect(c[1]).toBe('1');
      expect(c[3]).not.toBe('Never');
    });

    // Edit AUTH_KEY: only a new value, the old one is never shown; the field has a show toggle.
    await page.getByRole('button', { name: 'Actions for AUTH_KEY' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit secret AUTH_KEY' });
    const newValue = edit.getByLabel('New value');
    expect(await newValue.inputValue()).toBe('');
    expect(await newValue.getAttribute('type')).toBe('password');
    expect(await edit.innerText()).toContain('The current value is never shown');
    await newValue.fill(AUTH_VALUE_2);
    const toggle = edit.getByRole('button', { name: 'Show value' });
    await toggle.click();
    expect(await newValue.getAttribute('type')).toBe('text');
    expect(await edit.getByRole('button', { name: 'Hide value' }).getAttribute('aria-pressed')).toBe('true');
    await shot(page, 'seed-09-edit-secret');
    await edit.getByRole('button', { name: 'Hide value' }).click();
    expect(await newValue.getAttribute('type')).toBe('password');
    await edit.getByRole('button', { name: 'Save and use now' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.getByText('Secret AUTH_KEY updated.', { exact: false }).waitFor();
    expect(await page.content()).not.toContain(AUTH_VALUE_2);

    // The new value is used at once by the webhook.
    await nav(page, 'Events').click();
    await page.getByRole('form', { name: 'Publish an event' }).getByLabel('Event name').fill('temp');
    await page.getByRole('form', { name: 'Publish an event' }).getByRole('button', { name: 'Publish' }).click();
    const requests = await sink.waitFor(2, WAIT_MS);
    expect(requests[1]!.headers.authorization).toBe(`Bearer ${AUTH_VALUE_2}`);

    // Delete is disabled while the secret is used, and says why.
    await nav(page, 'Secrets').click();
    await page.getByRole('button', { name: 'Actions for AUTH_KEY' }).click();
    const del = page.getByRole('menuitem', { name: /^Delete/ });
    expect(await del.getAttribute('aria-disabled')).toBe('true');
    await page.getByRole('menu').getByText(/^In use by 1 integration or Logic function: integration “.+”\. Remove the secret from it before deleting\.$/).waitFor();
    await shot(page, 'seed-10-delete-disabled');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'hidden' });

    // Remove AUTH_KEY from the webhook (unselect it and drop the header that used it).
    await page.getByRole('button', { name: 'Actions for AUTH_KEY' }).click();
    await page.getByRole('menuitem', { name: 'View details' }).click();
    const details = page.getByRole('dialog', { name: 'Secret AUTH_KEY' });
    await details.getByRole('list', { name: 'Integrations using this secret' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
    await setCheckbox(page.getByTestId('secret-picker'), 'AUTH_KEY', false);
    await page.getByTestId('headers').getByRole('button', { name: 'Remove header 1' }).click();
    expect(await page.getByTestId('headers').getByLabel('Header 1 name').inputValue()).toBe('X-Token');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/Webhook .* saved\./).waitFor();

    // Now it can be deleted, after a confirmation.
    await nav(page, 'Secrets').click();
    await eventually(() => secretCells(page, 'AUTH_KEY'), (c) => expect(c[1]).toBe('0'));
    await page.getByRole('button', { name: 'Actions for AUTH_KEY' }).click();
    const del2 = page.getByRole('menuitem', { name: 'Delete' });
    expect(await del2.getAttribute('aria-disabled')).toBeNull();
    await del2.click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete secret AUTH_KEY?' });
    await confirm.waitFor();
    await shot(page, 'seed-11-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete secret' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('Secret AUTH_KEY deleted.').waitFor();
    await secretRow(page, 'AUTH_KEY').waitFor({ state: 'detached' });
    await secretRow(page, 'TOKEN_2').waitFor();
    await shot(page, 'seed-12-after-delete');

    expectCleanPages(env.watch);
  });
});
