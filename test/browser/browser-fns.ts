/**
 * Helpers for the console's browser suite: Debian's Chromium driven by playwright-core
 * (never a downloaded browser), a real Hush server per file, sign-in, screenshots, and
 * checks that run on every page (CSP violations, page errors, accessible names).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { launchChromium } from './chromium.ts';

export { CHROMIUM, launchChromium } from './chromium.ts';

/** Upper bound for any single wait in the suite (locators, polls). */
export const WAIT_MS = 15_000;
/** Per-test budget for the long journeys (2 noisy cores). */
export const JOURNEY_MS = 150_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = path.join(root, 'artifacts', 'screenshots');

/** What the browser reported while a page was open. */
export interface PageWatch {
  /** Console messages about the Content-Security-Policy, and `securitypolicyviolation` events. */
  readonly cspViolations: string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
  /** Every console error (for diagnostics; 4xx answers show up here on purpose in some tests). */
  readonly consoleErrors: string[];
}

const CSP_TEXT = /content security policy|content-security-policy|refused to (execute|apply|load|connect|evaluate)/i;

/** Records CSP violations and page errors of `page` (and of every page the context opens). */
export function watchPage(page: Page, watch: PageWatch): void {
  page.on('console', (msg: ConsoleMessage) => {
    const text = msg.text();
    if (CSP_TEXT.test(text)) watch.cspViolations.push(`${page.url()}: ${text}`);
    if (msg.type() === 'error') watch.consoleErrors.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => watch.pageErrors.push(`${page.url()}: ${err.message}`));
}

/** Shared set-up of one test file: server, browser, a signed-in context. */
export interface ConsoleEnv {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly watch: PageWatch;
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startConsoleEnv(opts: { env?: Record<string, string> } = {}): Promise<ConsoleEnv> {
  // Fail on a missing browser before paying for a server.
  const browser = await launchChromium();
  let server: TestServer;
  try {
    server = await startTestServer({ env: opts.env });
  } catch (err) {
    await browser.close();
    throw err;
  }
  const watch: PageWatch = { cspViolations: [], pageErrors: [], consoleErrors: [] };
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    watch,
    async newContext() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url });
      context.setDefaultTimeout(WAIT_MS);
      context.setDefaultNavigationTimeout(WAIT_MS);
      // Also catch violations Chromium does not print (reported by the DOM event).
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
        });
      });
      context.on('page', (p) => watchPage(p, watch));
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}

/** Asserts that nothing was reported against the CSP and that no page threw. */
export function expectCleanPages(watch: PageWatch): void {
  expect(watch.cspViolations, 'CSP violations reported in the browser console').toEqual([]);
  expect(watch.pageErrors, 'uncaught errors in the page').toEqual([]);
}

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/**
 * Replaces the Logic editor's code as a user types it: line by line, each Enter awaited, the
 * editor indenting each line itself (leading spaces are dropped). Playwright's `fill` on the
 * editable area goes through Chromium's editing commands, which add inline styles the CSP refuses.
 */
export async function fillCode(page: Page, code: string): Promise<void> {
  const editor = page.getByTestId('code-editor');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  const count = () => editor.locator('.cm-line').count();
  for (const [i, line] of code.replace(/\n$/, '').split('\n').entries()) {
    if (i > 0) {
      await page.keyboard.press('Enter');
      await expect.poll(count, { timeout: WAIT_MS }).toBe(i + 1);
    }
    if (line.trim()) await page.keyboard.insertText(line.trimStart());
  }
}

/** Signs in through the console's sign-in page and waits for the secrets page. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Cloud secrets' }).waitFor();
}

/** The left navigation's link (Secrets, Integrations, Logic, Events, Members, Audit). */
export function nav(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });
}

/** The row of a secret in the secrets table. */
export function secretRow(page: Page, name: string): Locator {
  return page.getByTestId(`secret-row-${name}`);
}

/** Text of the cells of a secret's row: [name, usage count, updated at, last accessed, actions]. */
export async function secretCells(page: Page, name: string): Promise<string[]> {
  return (await secretRow(page, name).locator('th, td').allInnerTexts()).map((t) => t.trim());
}

/**
 * Sets a react-aria checkbox the way a person does: by clicking its visible label (the
 * native input is visually hidden under it), then checks the resulting state.
 */
export async function setCheckbox(scope: Locator, name: string, checked: boolean): Promise<void> {
  const box = scope.getByRole('checkbox', { name, exact: true });
  if ((await box.isChecked()) !== checked) {
    await scope.locator('label').filter({ has: scope.page().getByRole('checkbox', { name, exact: true }) }).click();
  }
  await eventually(() => box.isChecked(), (v) => expect(v).toBe(checked));
}

/** Polls `fn` until `check` passes (bounded by WAIT_MS); fails with the last check's error. */
export async function eventually<T>(fn: () => Promise<T>, check: (v: T) => void, timeout = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    let failure: unknown;
    try {
      check(await fn());
      return;
    } catch (err) {
      failure = err;
    }
    if (Date.now() > deadline) throw failure;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface LabelProblem {
  readonly element: string;
  readonly problem: string;
}

/**
 * An axe-like check of the current page: every visible `input`, `select` and `textarea`
 * has a label (`<label for>`, a wrapping label, `aria-labelledby` with text, `aria-label`
 * or `title`), and Chromium's accessibility tree gives every form control, button, menu
 * item and tab a non-empty accessible name.
 */
export async function labelProblems(page: Page): Promise<LabelProblem[]> {
  const domProblems = await page.evaluate(() => {
    const out: { element: string; problem: string }[] = [];
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const describe = (el: Element) => el.outerHTML.slice(0, 160);
    for (const el of Array.from(document.querySelectorAll('input, select, textarea'))) {
      const input = el as HTMLInputElement;
      if (input.type === 'hidden') continue;
      // react-aria's hidden native <select> mirrors for form submission live in aria-hidden wrappers.
      if (input.closest('[aria-hidden="true"], [hidden], [inert]')) continue;
      const labelledBy = (input.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => text(document.getElementById(id)))
        .join(' ');
      const forLabels = input.id ? Array.from(document.querySelectorAll(`label[for="${CSS.escape(input.id)}"]`)).map(text).join(' ') : '';
      const wrapping = text(input.closest('label'));
      const name = [input.getAttribute('aria-label') ?? '', labelledBy, forLabels, wrapping, input.getAttribute('title') ?? ''].join(' ').trim();
      if (!name) out.push({ element: describe(el), problem: 'form control without a label' });
    }
    return out;
  });
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored: boolean; role?: { value?: string }; name?: { value?: string }; backendDOMNodeId?: number }[];
    };
    const NAMED = new Set(['textbox', 'searchbox', 'checkbox', 'radio', 'combobox', 'switch', 'spinbutton', 'slider', 'listbox', 'button', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'link', 'option', 'dialog', 'alertdialog', 'grid', 'table', 'menu']);
    const axProblems: LabelProblem[] = [];
    for (const n of nodes) {
      const role = n.role?.value ?? '';
      if (n.ignored || !NAMED.has(role)) continue;
      if (!String(n.name?.value ?? '').trim()) axProblems.push({ element: `${role} (backend node ${n.backendDOMNodeId})`, problem: 'no accessible name' });
    }
    return [...domProblems, ...axProblems];
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Presses Tab (or Shift+Tab) until the focused element matches, or fails after `max` presses. */
export async function tabTo(page: Page, matches: (el: { tag: string; name: string; role: string | null; text: string }) => boolean, opts: { max?: number; back?: boolean } = {}): Promise<void> {
  const max = opts.max ?? 40;
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const focused = await focusedElement(page);
    seen.push(`${focused.tag}[${focused.role ?? ''}] "${focused.name || focused.text}"`);
    if (matches(focused)) return;
  }
  throw new Error(`focus never reached the wanted element after ${max} Tab presses; visited: ${seen.join(' → ')}`);
}

/** Tag, role, accessible-ish name and text of document.activeElement. */
export async function focusedElement(page: Page): Promise<{ tag: string; name: string; role: string | null; text: string; type: string | null }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', name: '', role: null, text: '', type: null };
    // Text as assistive technology reads it: aria-hidden parts (e.g. the required " *") left out.
    const spoken = (node: Node | null): string => {
      if (!node) return '';
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
      if (node instanceof Element && node.getAttribute('aria-hidden') === 'true') return '';
      return Array.from(node.childNodes).map(spoken).join('');
    };
    const byIds = (attr: string) =>
      (el.getAttribute(attr) ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => spoken(document.getElementById(id)))
        .join(' ');
    const labels = (el as HTMLInputElement).labels ? Array.from((el as HTMLInputElement).labels ?? []).map(spoken).join(' ') : '';
    const name = (el.getAttribute('aria-label') || byIds('aria-labelledby') || labels || spoken(el)).replace(/\s+/g, ' ').trim();
    return {
      tag: el.tagName.toLowerCase(),
      name,
      role: el.getAttribute('role'),
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      type: el.getAttribute('type'),
    };
  });
}
