/**
 * A view-only member in Chromium: after switching scope to the organization with the
 * switcher, no control that writes is enabled on any page, and each page says why once;
 * editors show the configuration and code as text, not forms of disabled fields (#16 item 6).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/test-server.ts';
import { expectCleanPages, JOURNEY_MS, nav, secretRow, shot, signIn, startConsoleEnv, type ConsoleEnv } from './browser-fns.ts';

const ORG = { slug: 'acme', name: 'Acme Labs' };
const REASON = `Your role in ${ORG.name} is view-only: you can look, but not create, change or delete.`;

interface Control {
  readonly kind: string;
  readonly name: string;
}

/**
 * Enabled controls in the page's content and in open overlays (the top bar and the left
 * navigation are left out: they only navigate). Links navigate and are left out too.
 */
async function enabledControls(page: Page): Promise<Control[]> {
  return page.evaluate(() => {
    const roots = [document.querySelector('main#main'), ...Array.from(document.querySelectorAll('[role=dialog], [role=alertdialog], [role=menu], [role=listbox]'))].filter(Boolean) as Element[];
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const nameOf = (el: HTMLElement) => {
      const labelledBy = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean).map((id) => text(document.getElementById(id))).join(' ');
      const labels = 'labels' in el && (el as HTMLInputElement).labels ? Array.from((el as HTMLInputElement).labels!).map(text).join(' ') : '';
      return (el.getAttribute('aria-label') || labelledBy || labels || text(el)).replace(/\s*\*$/, '');
    };
    const out: { kind: string; name: string }[] = [];
    const seen = new Set<Element>();
    for (const root of roots) {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>('button, input, textarea, select, [role=button], [role=menuitem], [role=checkbox], [role=switch], [role=radio]'))) {
        if (seen.has(el)) continue;
        seen.add(el);
        if (el.closest('[aria-hidden="true"]')) continue;
        const disabled = (el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true' || el.closest('fieldset:disabled') !== null;
        if (disabled) continue;
        const kind = el.tagName === 'INPUT' ? `input[${(el as HTMLInputElement).type}]` : (el.getAttribute('role') ?? el.tagName.toLowerCase());
        out.push({ kind, name: nameOf(el) });
      }
    }
    return out;
  });
}

/** Sorting and filtering the secrets list only change what the page shows. */
/** Search and sort of a list only change what the page shows. */
const LIST_CONTROLS = ['Search', /Sort by$/];
const SECRET_LIST_CONTROLS = [...LIST_CONTROLS, 'Unused for 30+ days'];

/** Fails listing every enabled control whose name is not in `allowed` (reading and navigating only). */
async function expectNoWriteControls(page: Page, where: string, allowed: readonly (string | RegExp)[]): Promise<void> {
  const enabled = await enabledControls(page);
  // react-aria puts a visually hidden "Dismiss" button in popovers for screen readers.
  const unexpected = enabled.filter((c) => c.name !== 'Dismiss' && !allowed.some((a) => (typeof a === 'string' ? a === c.name : a.test(c.name))));
  expect(unexpected, `enabled controls on ${where} for a view-only member`).toEqual([]);
}

describe('console: a view-only member of an organization (Chromium)', () => {
  let env: ConsoleEnv;
  let page: Page;
  let viewer: { email: string; password: string };
  let integrationId: string;
  let logicId: string;

  beforeAll(async () => {
    env = await startConsoleEnv();
    const { orgs, secrets } = env.server.services;
    const admin = await env.server.user();
    viewer = await env.server.user();
    const org = await orgs.create(ORG.slug, ORG.name, admin.email);
    const operator = await orgs.operatorScope(ORG.slug);
    await orgs.setMember(operator, viewer.email, 'view-only');
    await secrets.create(operator, 'ORG_TOKEN', 'org-token-value-8d2e4f61');
    // An integration and a Logic function of the org, created by its administrator over the API.
    const created = await api(env.server.url, 'POST', `/v1/orgs/${ORG.slug}/integrations`, {
      token: admin.token,
      json: { integration_type: 'Webhook', event: 'temp', url: 'http://127.0.0.1:9/hook', requestType: 'POST', headers: { Authorization: 'Bearer {{{ORG_TOKEN}}}' }, secrets: ['ORG_TOKEN'] },
    });
    expect(created.status, created.text).toBeLessThan(300);
    integrationId = created.body.id;
    const fn = await api(env.server.url, 'POST', `/v1/orgs/${ORG.slug}/logic/functions`, {
      token: admin.token,
      json: { logic_function: { name: 'org-fn', description: '', enabled: true, source: { type: 'JavaScript', code: 'export default function main() {}' }, secrets: ['ORG_TOKEN'], logic_triggers: [] } },
    });
    expect(fn.status, fn.text).toBeLessThan(300);
    logicId = fn.body.logic_function.id;
    // A ledger with an instance and an environment variable of the org, also by its administrator.
    const writes: Array<[string, string, unknown]> = [
      ['POST', `/v1/orgs/${ORG.slug}/ledgers`, { ledger: { name: 'org-cache', scope: 'Owner', description: 'Shared cache' } }],
      ['PUT', `/v1/orgs/${ORG.slug}/ledgers/org-cache/instances/${org.id}`, { instance: { data: { count: 3 } } }],
      ['PUT', `/v1/orgs/${ORG.slug}/env/ORG_MODE`, { value: 'production' }],
    ];
    for (const [method, path, json] of writes) {
      const r = await api(env.server.url, method, path, { token: admin.token, json });
      expect(r.status, r.text).toBeLessThan(300);
    }
    page = await (await env.newContext()).newPage();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('switches scope and finds every write control disabled, with the reason shown', { timeout: JOURNEY_MS }, async () => {
    await signIn(page, viewer.email, viewer.password);

    // The scope switcher lists the org with the role; choosing it keeps the section.
    await page.getByTestId('scope-switcher').getByRole('button').click();
    const option = page.getByRole('option', { name: `${ORG.name} · view-only` });
    await option.waitFor();
    await shot(page, 'view-only-01-scope-switcher');
    await option.click();
    await page.waitForURL(`**/orgs/${ORG.slug}/secrets`);
    await secretRow(page, 'ORG_TOKEN').waitFor();

    // Secrets: Create disabled and explained; Edit/Delete disabled in the row menu, with the reason.
    const create = page.getByRole('button', { name: 'Create secret' });
    expect(await create.isDisabled()).toBe(true);
    await page.getByText(REASON).first().waitFor();
    const reasonId = await create.getAttribute('aria-describedby');
    expect(reasonId).toBeTruthy();
    expect(await page.locator(`[id="${reasonId}"]`).innerText()).toBe(REASON);
    await expectNoWriteControls(page, 'the secrets page', ['Actions for ORG_TOKEN', ...SECRET_LIST_CONTROLS]);
    await page.getByRole('button', { name: 'Actions for ORG_TOKEN' }).click();
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect(await menu.getByRole('menuitem', { name: /^Edit/ }).getAttribute('aria-disabled')).toBe('true');
    expect(await menu.getByRole('menuitem', { name: /^Delete/ }).getAttribute('aria-disabled')).toBe('true');
    expect(await menu.getByText(REASON).count()).toBe(2);
    await expectNoWriteControls(page, 'the secret row menu', ['Actions for ORG_TOKEN', 'View details', ...SECRET_LIST_CONTROLS]);
    await shot(page, 'view-only-02-secrets-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    // The create link of other tabs does not open the dialog either.
    await page.goto(`/orgs/${ORG.slug}/secrets?create=1`);
    await secretRow(page, 'ORG_TOKEN').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Integrations: list and editor.
    await nav(page, 'Integrations').click();
    await page.getByRole('heading', { name: 'Integrations', exact: true }).waitFor();
    await page.getByRole('grid').getByText('temp', { exact: true }).first().waitFor();
    expect(await page.getByRole('button', { name: 'New webhook' }).first().isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'From a template' }).isDisabled()).toBe(true);
    await page.getByText(REASON).first().waitFor();
    await expectNoWriteControls(page, 'the integrations list', [/^Actions for /, ...LIST_CONTROLS]);
    await page.goto(`/orgs/${ORG.slug}/integrations/${integrationId}`);
    // No form of disabled fields: the configuration as text, the reason once, no dead buttons.
    const summary = page.getByTestId('webhook-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('http://127.0.0.1:9/hook');
    expect(await summary.innerText()).toContain('ORG_TOKEN');
    expect(await page.getByRole('textbox').count()).toBe(0);
    for (const name of ['Save changes', 'Send test event', 'Delete']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByText(REASON).count()).toBe(1);
    await expectNoWriteControls(page, 'the webhook editor', ['Refresh']);
    await shot(page, 'view-only-03-webhook-editor');

    // Logic: list and editor (the test inputs only feed a Run that is disabled).
    await nav(page, 'Logic').click();
    await page.getByRole('row', { name: /org-fn/ }).waitFor();
    expect(await page.getByRole('button', { name: 'New function' }).isDisabled()).toBe(true);
    await expectNoWriteControls(page, 'the Logic list', ['Actions for org-fn', ...LIST_CONTROLS]);
    await page.goto(`/orgs/${ORG.slug}/logic/${logicId}`);
    await page.getByRole('heading', { name: 'org-fn' }).waitFor();
    await page.getByTestId('logic-summary').waitFor();
    for (const name of ['Run', 'Save and deploy', 'Delete']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByTestId('logic-summary').innerText()).toContain('ORG_TOKEN');
    expect(await page.getByText(REASON).count()).toBe(1);
    await expectNoWriteControls(page, 'the Logic editor', ['Function', 'Run history']);
    await shot(page, 'view-only-04-logic-editor');

    // Ledger: definitions and an instance's data, without create, archive, edit or delete.
    await nav(page, 'Ledger').click();
    await page.getByTestId('ledger-row-org-cache').waitFor();
    expect(await page.getByRole('button', { name: 'Create ledger' }).isDisabled()).toBe(true);
    await page.getByText(REASON).first().waitFor();
    await expectNoWriteControls(page, 'the ledger list', []);
    await page.getByRole('link', { name: 'org-cache' }).click();
    await page.getByTestId('owner-instance-link').click();
    expect(await page.getByTestId('instance-json').innerText()).toContain('"count": 3');
    expect(await page.getByTestId('json-editor').count()).toBe(0);
    await page.getByText(REASON).first().waitFor();
    await expectNoWriteControls(page, 'a ledger instance', []);

    // Environment variables: values and the rollout diff, without add, edit, remove or Roll out.
    await nav(page, 'Environment variables').click();
    await page.getByTestId('env-row-ORG_MODE').waitFor();
    await page.getByTestId('env-change-ORG_MODE').waitFor();
    expect(await page.getByRole('button', { name: 'Add variable' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Roll out' }).count()).toBe(0);
    await expectNoWriteControls(page, 'the environment variables page', []);

    // Events: publishing is a write.
    await nav(page, 'Events').click();
    await page.getByRole('form', { name: 'Publish an event' }).waitFor();
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await page.getByText(REASON).first().waitFor();
    // The product select only chooses which stream to watch (publishing stays disabled).
    await expectNoWriteControls(page, 'the events page', ['Pause', 'Clear', 'Filter by name prefix', /^No product \(the whole stream\)/]);

    // Members: only administrators manage them.
    await nav(page, 'Members').click();
    await page.getByRole('heading', { name: `Members of ${ORG.name}` }).waitFor();
    // No dead form: one explanation.
    expect(await page.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByText(`Only administrators of ${ORG.name} can do this; your role is view-only.`).count()).toBe(1);
    await expectNoWriteControls(page, 'the members page', []);
    await shot(page, 'view-only-05-members');

    expectCleanPages(env.watch);
  });
});
