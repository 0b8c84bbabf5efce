/**
 * Issue #16 item 3 (Logic part), in Chromium: `secrets.NAME` in the code without the
 * secret selected gives a warning (saving is still allowed); for an existing secret one
 * click selects it and the warning goes; a misspelt name says no secret has it.
 * Screenshots at 1280×800 and 390×844.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, fillCode, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

const CODE = `export default function main({ secrets }) {
  console.log(secrets.BLYNK_TOKEN, secrets['BLYNK_TOKEM']);
}
`;

describe('console: Logic warns about secrets used but not selected (Chromium)', () => {
  let env: ConsoleEnv;
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'BLYNK_TOKEN', 'blynk-value-77e1a0');
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`warns, selects with one click, and still deploys at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      await signIn(page, user.email, user.password);
      await nav(page, 'Logic').click();
      await page.getByRole('link', { name: 'New function' }).first().click();
      await page.getByRole('heading', { name: 'New Logic function' }).waitFor();
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`warn-${viewport.width}`);
      const warning = page.getByTestId('unselected-secrets');
      await fillCode(page, 'export default function main() {}');
      expect(await warning.count()).toBe(0);
      await fillCode(page, CODE);
      await warning.waitFor();
      const text = await warning.innerText();
      expect(text).toContain('secrets.BLYNK_TOKEN is undefined');
      expect(text).toContain('secrets.BLYNK_TOKEM is undefined when the function runs: no secret has this name');
      expect(await warning.getByRole('button', { name: 'Select BLYNK_TOKEM' }).count()).toBe(0);
      await warning.scrollIntoViewIfNeeded();
      await shot(page, `logic-secret-warning-${viewport.width}x${viewport.height}`);

      await warning.getByRole('button', { name: 'Select BLYNK_TOKEN' }).click();
      const picker = page.getByTestId('secret-picker');
      await expect.poll(() => picker.getByRole('checkbox', { name: 'BLYNK_TOKEN' }).isChecked()).toBe(true);
      await expect.poll(() => warning.innerText()).not.toContain('BLYNK_TOKEN is');
      expect(await warning.innerText()).toContain('secrets.BLYNK_TOKEM');

      // A warning, not a refusal: the function deploys.
      await page.getByRole('button', { name: 'Deploy' }).click();
      await page.getByText(`Logic function warn-${viewport.width} deployed.`).waitFor();
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
