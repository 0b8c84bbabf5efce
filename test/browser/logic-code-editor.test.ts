/**
 * Issue #16 item 12, in Chromium: the Logic code field is CodeMirror 6 (line numbers,
 * JavaScript highlighting, unselected-secret warnings as lint diagnostics), fetched only
 * when a Logic editor opens; the test panel sits beside the code at 1280 px and below it
 * at 390 px. Typing into the editor and deploying saves the typed code.
 * Screenshots at 1280×800 and 390×844.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPages, fillCode, JOURNEY_MS, nav, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

/** Every script the page fetched so far. */
function scriptLog(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') urls.push(r.url());
  });
  return urls;
}

describe('console: the Logic code editor (Chromium)', () => {
  let env: ConsoleEnv;
  let user: { id: string; email: string; password: string };

  beforeAll(async () => {
    env = await startConsoleEnv();
    user = await env.server.user();
    const scope = env.server.services.orgs.sandboxScope({ userId: user.id, email: user.email, tokenHash: '', clientId: 'test', expiresAt: null });
    await env.server.services.secrets.create(scope, 'EDITOR_TOKEN', 'editor-value-91f0c2');
  });

  afterAll(async () => {
    await env?.close();
  });

  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    it(`types, warns in the code, and deploys at ${viewport.width}×${viewport.height}`, { timeout: JOURNEY_MS }, async () => {
      const page = await (await env.newContext()).newPage();
      await page.setViewportSize(viewport);
      const scripts = scriptLog(page);
      await signIn(page, user.email, user.password);
      expect(scripts.filter((u) => /codemirror/i.test(u)), 'CodeMirror fetched by the first page').toEqual([]);

      await nav(page, 'Logic').click();
      await page.getByRole('link', { name: 'New function' }).first().click();
      await page.getByRole('heading', { name: 'New Logic function' }).waitFor();
      const editor = page.getByTestId('code-editor');
      await editor.waitFor();
      expect(scripts.some((u) => /codemirror/i.test(u))).toBe(true);
      expect(await editor.getAttribute('contenteditable')).toBe('true');
      expect(await page.getByLabel('Code').getAttribute('data-testid')).toBe('code-editor');
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`typed-${viewport.width}`);

      // Typed (not pasted): the editor indents each line itself.
      await fillCode(page, "export default function main({ secrets }) {\nconsole.log('token', secrets.EDITOR_TOKEN);\n}\n\n");
      const content = page.locator('.cm-content');
      // An empty line holds a <br>: its inner text is a newline.
      const lines = async () => (await content.locator('.cm-line').allInnerTexts()).map((l) => l.replace(/\n$/, ''));
      expect(await lines()).toEqual(['export default function main({ secrets }) {', "  console.log('token', secrets.EDITOR_TOKEN);", '}', '']);
      // Line numbers and JavaScript highlighting.
      expect(await page.locator('.cm-lineNumbers .cm-gutterElement').filter({ hasText: /^3$/ }).count()).toBe(1);
      expect(await content.locator('span[class]').count()).toBeGreaterThan(3);
      // The unselected secret is a lint warning in the code (and the notice with its one-click select).
      const marked = page.locator('.cm-lintRange-warning');
      await marked.first().waitFor();
      expect(await marked.first().innerText()).toContain('secrets.EDITOR_TOKEN');
      await page.getByTestId('unselected-secrets').waitFor();
      await shot(page, `logic-code-editor-${viewport.width}x${viewport.height}`);

      // The test panel: beside the code on a wide screen, below it on a phone.
      const codeBox = (await page.getByTestId('code-section').boundingBox())!;
      const testBox = (await page.locator('section[aria-labelledby="lf-test"]').boundingBox())!;
      if (viewport.width >= 1100) expect(testBox.x).toBeGreaterThan(codeBox.x + codeBox.width - 1);
      else expect(testBox.y).toBeGreaterThan(codeBox.y + codeBox.height - 1);

      await page.getByTestId('unselected-secrets').getByRole('button', { name: 'Select EDITOR_TOKEN' }).click();
      await expect.poll(() => marked.count()).toBe(0);

      await page.getByRole('button', { name: 'Deploy' }).click();
      await page.getByText(`Logic function typed-${viewport.width} deployed.`).waitFor();
      await page.getByRole('link', { name: `typed-${viewport.width}` }).click();
      await page.getByRole('heading', { name: `typed-${viewport.width}` }).waitFor();
      await expect.poll(() => page.getByTestId('code-editor').innerText()).toContain("console.log('token', secrets.EDITOR_TOKEN);");
      expectCleanPages(env.watch);
      await page.close();
    });
  }
});
