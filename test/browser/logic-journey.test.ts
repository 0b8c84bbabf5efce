/**
 * Secrets in Logic, in Chromium: write a function in the editor, give it a secret, run it
 * with test event data (status Success, logs show [[SENSITIVE]] and never the value), then
 * deploy it and see the secret's usage count go up.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectCleanPages, fillCode, JOURNEY_MS, nav, secretCells, setCheckbox, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

const VALUE = 'logic-secret-3c9f1a7e52b4d8';
const CODE = `import Particle from 'particle:core';

export default function main({ event, secrets }) {
  console.log('event', event.eventName, 'data', event.eventData);
  console.log('token is', secrets.LOGIC_TOKEN);
  console.log('length', secrets.LOGIC_TOKEN.length);
}
`;

describe('console: a Logic function with a secret (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    // The secret already exists (created through the services, as the CLI would).
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'LOGIC_TOKEN', VALUE);
    await env.server.services.secrets.create(scope, 'UNUSED_ONE', 'not-selected-value-123');
    page = await (await env.newContext()).newPage();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('runs the editor code with a selected secret, masks the logs and deploys', { timeout: JOURNEY_MS }, async () => {
    await signIn(page, user.email, user.password);
    await nav(page, 'Logic').click();
    await page.getByText('No Logic functions yet').waitFor();
    await page.getByRole('link', { name: 'New function' }).first().click();
    await page.getByRole('heading', { name: 'New Logic function' }).waitFor();

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('temperature-relay');
    await page.getByLabel('Description').fill('Relays temperatures with a token');
    await fillCode(page, CODE);

    // Secrets multi-select.
    const picker = page.getByTestId('secret-picker');
    await picker.getByRole('checkbox', { name: 'LOGIC_TOKEN' }).waitFor();
    await setCheckbox(picker, 'LOGIC_TOKEN', true);
    await picker.getByText('secrets.LOGIC_TOKEN').waitFor();
    expect(await picker.getByRole('checkbox', { name: 'UNUSED_ONE' }).isChecked()).toBe(false);

    // Test event data, then Run.
    const panel = page.getByTestId('test-run-panel');
    await panel.getByLabel('Test event name').fill('temp');
    await panel.getByLabel('Test event data').fill('{"celsius":21.5}');
    await shot(page, 'logic-01-editor');
    await panel.getByRole('button', { name: 'Run' }).click();
    const result = page.getByTestId('test-run-result');
    await result.waitFor();
    await result.getByText('Success', { exact: true }).waitFor();
    const logs = result.getByRole('list', { name: 'Run logs' });
    const logText = await logs.innerText();
    expect(logText).toContain('token is [[SENSITIVE]]');
    expect(logText).toContain('{"celsius":21.5}');
    expect(logText).toContain(`length ${VALUE.length}`);
    expect(await page.content()).not.toContain(VALUE);
    await result.scrollIntoViewIfNeeded();
    await shot(page, 'logic-02-test-run');

    // Deploy: back on the list with the function, and the secret counts the use.
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Logic function temperature-relay deployed.').waitFor();
    const row = page.getByRole('row', { name: /temperature-relay/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('LOGIC_TOKEN');
    await shot(page, 'logic-03-list');

    // Reopen: the saved function keeps its code and its secret.
    await row.getByRole('rowheader').click();
    await page.getByRole('heading', { name: 'temperature-relay' }).waitFor();
    expect(await page.getByTestId('code-editor').innerText()).toContain('secrets.LOGIC_TOKEN');
    expect(await page.getByTestId('secret-picker').getByRole('checkbox', { name: 'LOGIC_TOKEN' }).isChecked()).toBe(true);

    await nav(page, 'Secrets').click();
    await eventually(() => secretCells(page, 'LOGIC_TOKEN'), (c) => expect(c[1]).toBe('1'));
    expect((await secretCells(page, 'UNUSED_ONE'))[1]).toBe('0');
    await shot(page, 'logic-04-secrets-usage');

    expectCleanPages(env.watch);
  });
});
