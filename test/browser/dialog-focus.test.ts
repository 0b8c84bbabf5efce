/**
 * Issue #16 item 2, in Chromium, keyboard only: every dialog opened from a row's "…" menu
 * (secret Details, Edit, Delete — cancelled and confirmed — and a Logic function's Delete)
 * gives focus back to that row's "…" button when it closes, so the next Tab continues
 * from the row instead of the top of the page. Screenshots at 1280×800 and 390×844.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { eventually, expectCleanPages, focusedElement, JOURNEY_MS, nav, secretRow, shot, signIn, startConsoleEnv, tabTo, type ConsoleEnv } from './browser-fns.ts';

async function expectFocus(page: Page, name: string): Promise<void> {
  await eventually(() => focusedElement(page), (f) => expect(f.name).toBe(name));
}

/**
 * Reaches a Logic row's "…" button from the keyboard: Tab into the react-aria table (it
 * focuses a row), arrows down to the row, ArrowLeft to its last cell, which holds the button.
 */
async function focusLogicActions(page: Page, fn: string): Promise<void> {
  await tabTo(page, (f) => f.role === 'row');
  for (let i = 0; i < 10 && (await focusedElement(page)).name !== fn; i++) await page.keyboard.press('ArrowDown');
  await expectFocus(page, fn);
  // ArrowLeft goes from the row to its last cell (the button); the first press after
  // Tab may only move react-aria's focus ring into the row.
  for (let i = 0; i < 3 && (await focusedElement(page)).name !== `Actions for ${fn}`; i++) await page.keyboard.press('ArrowLeft');
  await expectFocus(page, `Actions for ${fn}`);
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
