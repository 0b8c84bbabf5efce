/**
 * Keyboard only, in Chromium: sign in, create, edit and delete a secret with Tab, Enter,
 * Space, Escape and the arrow keys (no mouse event at all), and check that every form
 * control of the secrets page and its dialogs has an accessible label.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectCleanPages, focusedElement, JOURNEY_MS, labelProblems, secretCells, secretRow, shot, startConsoleEnv, tabTo, type ConsoleEnv } from './browser-fns.ts';

const VALUE = 'keyboard-value-51a7c3e9';
const VALUE_2 = 'keyboard-value-rotated-0b6d';

/** Waits until the focused element's name is `name` (focus moves asynchronously after overlays). */
async function expectFocus(page: Page, name: string | RegExp): Promise<void> {
  await eventually(() => focusedElement(page), (f) => (typeof name === 'string' ? expect(f.name).toBe(name) : expect(f.name).toMatch(name)));
}

/** Moves focus to the "…" button of a secret's row: Tab into the table (one stop), arrows to the row. */
async function focusRowActions(page: Page, secret: string): Promise<void> {
  const target = `Actions for ${secret}`;
  if ((await focusedElement(page)).name === target) return;
  await tabTo(page, (f) => f.name.startsWith('Actions for '));
  for (let i = 0; i < 50 && (await focusedElement(page)).name !== target; i++) await page.keyboard.press('ArrowDown');
  await expectFocus(page, target);
}

async function expectLabelled(page: Page, where: string): Promise<void> {
  expect(await labelProblems(page), `unlabelled controls on ${where}`).toEqual([]);
}

describe('console: keyboard only, and labelled controls (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'EXISTING_ONE', 'existing-value-1234');
    page = await (await env.newContext()).newPage();
    // Any mouse event in the page fails the test: everything below is keyboard only.
    await page.addInitScript(() => {
      for (const type of ['mousedown', 'mouseup', 'click', 'pointerdown'] as const) {
        window.addEventListener(type, (e) => {
          // Keyboard activation of a button dispatches a synthetic click with detail 0 and no pointer.
          if (type === 'click' && (e as MouseEvent).detail === 0) return;
          (window as unknown as { __mouse: string[] }).__mouse ??= [];
          (window as unknown as { __mouse: string[] }).__mouse.push(type);
        }, true);
      }
    });
  });

  afterAll(async () => {
    await env?.close();
  });

  it('signs in, creates, edits and deletes a secret with the keyboard alone', { timeout: JOURNEY_MS }, async () => {
    // Sign in: the email field has focus on arrival.
    await page.goto('/');
    await expectFocus(page, 'Email');
    await expectLabelled(page, 'the sign-in page');
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Password');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await secretRow(page, 'EXISTING_ONE').waitFor();
    await expectLabelled(page, 'the secrets page');

    // Create: Tab to the button, Enter opens the dialog with the name focused.
    await tabTo(page, (f) => f.name === 'Create secret');
    await page.keyboard.press('Enter');
    const create = page.getByRole('dialog', { name: 'Create secret' });
    await create.waitFor();
    await expectFocus(page, 'Name');
    await expectLabelled(page, 'the create dialog');
    // Escape closes it and gives focus back to the button.
    await page.keyboard.press('Escape');
    await create.waitFor({ state: 'hidden' });
    await expectFocus(page, 'Create secret');
    await page.keyboard.press('Space');
    await create.waitFor();
    await expectFocus(page, 'Name');
    await page.keyboard.type('KB_SECRET');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Value');
    expect((await focusedElement(page)).type).toBe('password');
    await page.keyboard.type(VALUE);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Show value');
    await page.keyboard.press('Space');
    expect(await create.getByLabel('Value').getAttribute('type')).toBe('text');
    await shot(page, 'keyboard-01-create-dialog');
    await page.keyboard.press('Space');
    expect(await create.getByLabel('Value').getAttribute('type')).toBe('password');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Cancel');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Create secret');
    await page.keyboard.press('Enter');
    await create.waitFor({ state: 'hidden' });
    await page.getByTestId('secrets-notice').getByText('Secret KB_SECRET created.').waitFor();
    await secretRow(page, 'KB_SECRET').waitFor();
    expect((await secretCells(page, 'KB_SECRET'))[1]).toBe('0');

    // Details and edit, from the row's "…" menu (Tab into the table, arrows to the button).
    await focusRowActions(page, 'KB_SECRET');
    await page.keyboard.press('Enter');
    await page.getByRole('menu', { name: 'Actions for KB_SECRET' }).waitFor();
    await expectFocus(page, 'View details');
    await expectLabelled(page, 'the row menu');
    await page.keyboard.press('Enter');
    const details = page.getByRole('dialog', { name: 'Secret KB_SECRET' });
    await details.waitFor();
    await expectLabelled(page, 'the details dialog');
    await expectFocus(page, 'Close');
    await page.keyboard.press('Enter');
    await details.waitFor({ state: 'hidden' });

    await focusRowActions(page, 'KB_SECRET');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'View details');
    await page.keyboard.press('ArrowDown');
    await expectFocus(page, 'Edit');
    await page.keyboard.press('Enter');
    const edit = page.getByRole('dialog', { name: 'Edit secret KB_SECRET' });
    await edit.waitFor();
    await expectFocus(page, 'New value');
    expect((await focusedElement(page)).type).toBe('password');
    await expectLabelled(page, 'the edit dialog');
    await page.keyboard.type(VALUE_2);
    await shot(page, 'keyboard-02-edit-dialog');
    await page.keyboard.press('Enter');
    await edit.waitFor({ state: 'hidden' });
    await page.getByText('Secret KB_SECRET updated.', { exact: false }).waitFor();

    // Delete: Space opens the menu, arrows to Delete, the confirmation starts on Cancel.
    await focusRowActions(page, 'KB_SECRET');
    await page.keyboard.press('Space');
    await expectFocus(page, 'View details');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expectFocus(page, 'Delete');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('alertdialog', { name: 'Delete secret KB_SECRET?' });
    await confirm.waitFor();
    await expectFocus(page, 'Cancel');
    await expectLabelled(page, 'the delete dialog');
    await shot(page, 'keyboard-03-delete-dialog');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'Delete secret');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('Secret KB_SECRET deleted.').waitFor();
    await secretRow(page, 'KB_SECRET').waitFor({ state: 'detached' });
    await secretRow(page, 'EXISTING_ONE').waitFor();

    // The value never reached the page, and no mouse event happened.
    const html = await page.content();
    expect(html).not.toContain(VALUE);
    expect(html).not.toContain(VALUE_2);
    expect(await page.evaluate(() => (window as unknown as { __mouse?: string[] }).__mouse ?? [])).toEqual([]);
    expectCleanPages(env.watch);

    // The label check itself finds an unlabelled control (so the passes above mean something).
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'unlabelled-probe';
      document.getElementById('main')!.append(input);
    });
    const problems = await labelProblems(page);
    expect(problems.some((p) => p.element.includes('unlabelled-probe'))).toBe(true);
    expect(problems.some((p) => p.problem === 'no accessible name')).toBe(true);
  });
});
