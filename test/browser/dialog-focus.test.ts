/**
 * Issue #16 item 2 and the acceptance's "every dialog returns focus to its opener", in
 * Chromium, keyboard only: every dialog opened from a row's "…" menu (secret Details, Edit,
 * Delete — cancelled and confirmed — and a Logic function's Delete) gives focus back to that
 * row's "…" button when it closes, so the next Tab continues from the row instead of the top
 * of the page; and every other dialog of the console (Create secret, an integration's and a
 * Logic function's Delete, environment variable Add, Edit and Remove, Create ledger, Archive
 * ledger, Delete instance, Remove member) gives focus back to the button that opened it, or
 * to the nearest one left when its row is gone. Screenshots at 1280×800 and 390×844.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { eventually, expectCleanPages, focusedElement, JOURNEY_MS, nav, secretRow, shot, signIn, startConsoleEnv, tabTo, type ConsoleEnv } from './browser-fns.ts';

async function expectFocus(page: Page, name: string): Promise<void> {
  await eventually(() => focusedElement(page), (f) => expect(f.name).toBe(name));
}

/**
 * Reaches a button in a react-aria table row from the keyboard: Tab into the table (it
 * focuses a row), arrows down to the row named `row`, ArrowLeft to its last cell, which
 * holds the button.
 */
async function focusRowButton(page: Page, row: string, button: string): Promise<void> {
  await tabTo(page, (f) => f.role === 'row');
  for (let i = 0; i < 10 && (await focusedElement(page)).name !== row; i++) await page.keyboard.press('ArrowDown');
  await expectFocus(page, row);
  // ArrowLeft goes from the row to its last cell (the button); the first press after
  // Tab may only move react-aria's focus ring into the row.
  for (let i = 0; i < 3 && (await focusedElement(page)).name !== button; i++) await page.keyboard.press('ArrowLeft');
  await expectFocus(page, button);
}

/** A Logic row's "…" button, reached from the keyboard. */
const focusLogicActions = (page: Page, fn: string) => focusRowButton(page, fn, `Actions for ${fn}`);

/**
 * Focuses `opener` (or reaches it with the keys `opener` presses), opens its dialog with Enter, closes it with Escape and expects focus
 * back on the opener.
 */
async function roundTrip(page: Page, opener: Locator | (() => Promise<void>), dialog: Locator, shotName: string): Promise<void> {
  await (typeof opener === 'function' ? opener() : opener.focus());
  const name = (await focusedElement(page)).name;
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await shot(page, shotName);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await expectFocus(page, name);
}

/** Confirms the open alert dialog from the keyboard (Tab from Cancel to the action, Enter). */
async function confirm(page: Page, dialog: Locator, action: string): Promise<void> {
  await page.keyboard.press('Tab');
  await expectFocus(page, action);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
}

/** Opens the focused "…" menu with Enter and picks `item` with the arrow keys. */
async function pick(page: Page, item: string): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByRole('menu').waitFor();
  for (let i = 0; i < 5 && (await focusedElement(page)).name !== item; i++) await page.keyboard.press('ArrowDown');
  await expectFocus(page, item);
  await page.keyboard.press('Enter');
}

describe('console: focus returns to the row menu after its dialogs (Chromium)', () => {
  let env: ConsoleEnv;
  let user: { id: string; email: string; password: string; token: string };
  let hookId = '';
  let fnId = '';
  const members: { id: string; email: string }[] = [];
  const call = async (method: string, path: string, json?: unknown) => {
    const r = await api(env.server.url, method, path, { token: user.token, json });
    expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
    return r.text ? (JSON.parse(r.text) as { id?: string; logic_function?: { id: string } }) : {};
  };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    for (const name of ['ALPHA_KEY', 'BETA_KEY', 'GAMMA_KEY']) await env.server.services.secrets.create(scope, name, `${name}-value-93b1`);
    for (const name of ['first-fn', 'second-fn']) {
      const fn = await api(env.server.url, 'POST', '/v1/logic/functions', {
        token: user.token,
        json: { logic_function: { name, description: '', enabled: true, source: { type: 'JavaScript', code: 'export default function main() {}' }, secrets: [], logic_triggers: [] } },
      });
      expect(fn.status, fn.text).toBeLessThan(300);
    }
    // For the other dialogs: an integration, a function, variables, ledgers with an
    // instance, and an organization with two members to remove.
    hookId = String((await call('POST', '/v1/integrations', { integration_type: 'Webhook', name: 'focus hook', event: 'focus', url: 'http://127.0.0.1:9/in', requestType: 'POST', secrets: [] })).id);
    fnId = (await call('POST', '/v1/logic/functions', { logic_function: { name: 'zz-focus-fn', description: '', enabled: true, source: { type: 'JavaScript', code: 'export default function main() {}' }, secrets: [], logic_triggers: [] } })).logic_function!.id;
    for (const key of ['FOCUS_MODE_1280', 'FOCUS_MODE_390']) await call('PUT', `/v1/env/${key}`, { value: 'on' });
    for (const name of ['focus-ledger-1280', 'focus-ledger-390']) {
      await call('POST', '/v1/ledgers', { ledger: { name, scope: 'Owner', description: '' } });
      await call('PUT', `/v1/ledgers/${name}/instances/${user.id}`, { instance: { data: { n: 1 } } });
    }
    await env.server.services.orgs.create('focus-org', 'Focus org', user.email);
    const operator = await env.server.services.orgs.operatorScope('focus-org');
    for (let i = 0; i < 2; i++) {
      const member = await env.server.user();
      await env.server.services.orgs.setMember(operator, member.email, 'view-only');
      members.push(member);
    }
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`secrets and Logic rows at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await secretRow(page, 'BETA_KEY').waitFor();
      const size = `${viewport.width}x${viewport.height}`;

      // Into the table (one Tab stop), down to BETA_KEY's button.
      await tabTo(page, (f) => f.name.startsWith('Actions for '));
      await page.keyboard.press('ArrowDown');
      await expectFocus(page, 'Actions for BETA_KEY');

      // Details, Edit and Delete (closed with Escape), each back on BETA_KEY's button.
      for (const [item, role, title] of [
        ['View details', 'dialog', 'Secret BETA_KEY'],
        ['Edit', 'dialog', 'Edit secret BETA_KEY'],
        ['Delete', 'alertdialog', 'Delete secret BETA_KEY?'],
      ] as const) {
        await pick(page, item);
        const dialog = page.getByRole(role, { name: title });
        await dialog.waitFor();
        await shot(page, `dialog-focus-${item.replace(' ', '-').toLowerCase()}-${size}`);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        await expectFocus(page, 'Actions for BETA_KEY');
      }

      // Logic: Delete → Cancel on the second row.
      await nav(page, 'Logic').click();
      await page.getByRole('row', { name: /second-fn/ }).waitFor();
      await focusLogicActions(page, 'second-fn');
      await pick(page, 'Delete');
      const logicConfirm = page.getByRole('alertdialog', { name: 'Delete second-fn?' });
      await logicConfirm.waitFor();
      await page.keyboard.press('Escape');
      await logicConfirm.waitFor({ state: 'hidden' });
      await expectFocus(page, 'Actions for second-fn');
      await shot(page, `dialog-focus-logic-${size}`);
      await page.close();
    });
  }

  for (const [i, viewport] of [{ width: 1280, height: 800 }, { width: 390, height: 844 }].entries()) {
    it(`every other dialog gives focus back to its opener at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      const size = `${viewport.width}x${viewport.height}`;
      const [suffix, member] = [String(viewport.width), members[i]!];

      await roundTrip(page, page.getByRole('button', { name: 'Create secret' }), page.getByRole('dialog', { name: 'Create secret' }), `dialog-focus-create-secret-${size}`);

      await page.goto(`/sandbox/integrations/${hookId}`);
      await roundTrip(page, page.getByRole('button', { name: 'Delete', exact: true }), page.getByRole('alertdialog', { name: 'Delete focus hook?' }), `dialog-focus-integration-delete-${size}`);

      await page.goto(`/sandbox/logic/${fnId}`);
      await roundTrip(page, page.getByRole('button', { name: 'Delete', exact: true }), page.getByRole('alertdialog', { name: 'Delete zz-focus-fn?' }), `dialog-focus-logic-editor-delete-${size}`);

      // Environment variables: Add, Edit, Remove (cancelled, then confirmed: focus on Add variable).
      const key = `FOCUS_MODE_${suffix}`;
      await page.goto('/sandbox/env');
      await roundTrip(page, page.getByTestId('env-add-button'), page.getByRole('dialog', { name: 'Add environment variable' }), `dialog-focus-env-add-${size}`);
      await roundTrip(page, page.getByTestId(`env-edit-${key}`), page.getByRole('dialog', { name: `Edit ${key}` }), `dialog-focus-env-edit-${size}`);
      const removeVar = page.getByRole('alertdialog', { name: `Remove ${key}?` });
      await roundTrip(page, page.getByTestId(`env-remove-${key}`), removeVar, `dialog-focus-env-remove-${size}`);
      await page.keyboard.press('Enter');
      await removeVar.waitFor();
      await confirm(page, removeVar, 'Remove variable');
      await page.getByTestId(`env-row-${key}`).waitFor({ state: 'detached' });
      await eventually(() => focusedElement(page), (f) => expect(f.name).toBe('Add variable'));

      // Ledgers: Create, Archive (cancelled, then confirmed: focus on Create ledger), Delete instance.
      const ledger = `focus-ledger-${suffix}`;
      await page.goto(`/sandbox/ledger/${ledger}/instances/${user.id}`);
      await roundTrip(page, page.getByTestId('delete-instance-button'), page.getByRole('alertdialog', { name: `Delete instance ${user.id}?` }), `dialog-focus-instance-delete-${size}`);
      await page.goto('/sandbox/ledger');
      await roundTrip(page, page.getByTestId('create-ledger-button'), page.getByRole('dialog', { name: 'Create ledger' }), `dialog-focus-ledger-create-${size}`);
      const archive = page.getByRole('alertdialog', { name: `Archive ${ledger}?` });
      await roundTrip(page, page.getByTestId(`ledger-archive-${ledger}`), archive, `dialog-focus-ledger-archive-${size}`);
      await page.keyboard.press('Enter');
      await archive.waitFor();
      await confirm(page, archive, 'Archive ledger');
      await eventually(() => focusedElement(page), (f) => expect(f.name).toBe('Create ledger'));

      // Members: Remove (cancelled, then confirmed: focus on the next member's Remove button).
      await page.goto('/orgs/focus-org/members');
      const remove = page.getByRole('alertdialog', { name: `Remove ${member.email}?` });
      await page.getByRole('button', { name: `Remove ${member.email}` }).waitFor();
      await roundTrip(page, () => focusRowButton(page, member.email, `Remove ${member.email}`), remove, `dialog-focus-member-remove-${size}`);
      await page.keyboard.press('Enter');
      await remove.waitFor();
      await confirm(page, remove, 'Remove member');
      await page.getByRole('button', { name: `Remove ${member.email}` }).waitFor({ state: 'detached' });
      await eventually(() => focusedElement(page), (f) => expect(f.name).toMatch(/^Remove /));
      expectCleanPages(env.watch);
      await page.close();
    });
  }

  it('after deleting a secret, focus goes to the next row button, not the page body', { timeout: JOURNEY_MS }, async () => {
    const page = await (await env.newContext()).newPage();
    await signIn(page, user.email, user.password);
    await secretRow(page, 'GAMMA_KEY').waitFor();
    await page.getByRole('button', { name: 'Actions for GAMMA_KEY' }).focus();
    await expectFocus(page, 'Actions for GAMMA_KEY');
    await pick(page, 'Delete');
    const confirm = page.getByRole('alertdialog', { name: 'Delete secret GAMMA_KEY?' });
    await confirm.waitFor();
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Delete secret');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    await secretRow(page, 'GAMMA_KEY').waitFor({ state: 'detached' });
    await eventually(() => focusedElement(page), (f) => expect(f.name).toMatch(/^Actions for (ALPHA|BETA)_KEY$/));

    // Logic: confirmed delete of first-fn leaves focus on second-fn's button.
    await nav(page, 'Logic').click();
    await page.getByRole('row', { name: /first-fn/ }).waitFor();
    await focusLogicActions(page, 'first-fn');
    await pick(page, 'Delete');
    const logicConfirm = page.getByRole('alertdialog', { name: 'Delete first-fn?' });
    await logicConfirm.waitFor();
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Delete function');
    await page.keyboard.press('Enter');
    await logicConfirm.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /first-fn/ }).waitFor({ state: 'detached' });
    await expectFocus(page, 'Actions for second-fn');
    expectCleanPages(env.watch);
    await page.close();
  });
});
