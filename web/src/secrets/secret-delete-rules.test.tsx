// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { CSRF, mockApi, secret, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const inUse = secret('BLYNK_TOKEN', {
  usage_count: 2,
  integrations: [{ id: 'int1', name: 'temp to Blynk' }],
  logic_functions: [{ id: 'fn1', name: 'alarm' }],
});
const unused = secret('OLD_KEY');

function setup(orgs: unknown[] = []) {
  const api = mockApi({
    'GET /v1/console/session': sessionReply(orgs),
    'GET /v1/secrets': { body: { secrets: [inUse, unused] } },
    'GET /v1/orgs/acme/secrets': { body: { secrets: [inUse, unused] } },
  });
  return api;
}

async function openMenu(user: ReturnType<typeof renderApp>['user'], name: string) {
  await user.click(await screen.findByRole('button', { name: `Actions for ${name}` }));
  return screen.findByRole('menu', { name: `Actions for ${name}` });
}

describe('secret delete rules', () => {
  test('Delete is disabled, with the reason, while the usage count is above zero', async () => {
    setup();
    const { user } = renderApp('/sandbox/secrets');
    const menu = await openMenu(user, 'BLYNK_TOKEN');
    const del = within(menu).getByRole('menuitem', { name: /Delete/ });
    expect(del.getAttribute('aria-disabled')).toBe('true');
    // The reason names what uses the secret, so people know where to remove it.
    expect(
      within(menu).getByText(
        'In use by 2 integrations or Logic functions: integration “temp to Blynk”, Logic function “alarm”. Remove the secret from them before deleting.',
      ),
    ).toBeTruthy();
    // The reason is tied to the item for screen readers too.
    expect(del.getAttribute('aria-describedby')).toBeTruthy();
    await user.click(del);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  test('an unused secret asks for confirmation, then deletes', async () => {
    const api = setup();
    api.on('DELETE /v1/secrets/OLD_KEY', { status: 204 });
    const { user } = renderApp('/sandbox/secrets');
    const menu = await openMenu(user, 'OLD_KEY');
    await user.click(within(menu).getByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete secret OLD_KEY?' });
    expect(api.writes()).toHaveLength(0);

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(api.writes()).toHaveLength(0);

    await user.click(within(await openMenu(user, 'OLD_KEY')).getByRole('menuitem', { name: 'Delete' }));
    const again = await screen.findByRole('alertdialog');
    await user.click(within(again).getByRole('button', { name: 'Delete secret' }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({ method: 'DELETE', path: '/v1/secrets/OLD_KEY' });
    expect(api.writes()[0]!.headers['x-csrf-token']).toBe(CSRF);
    expect((await screen.findByTestId('secrets-notice')).textContent).toContain('Secret OLD_KEY deleted');
  });

  test('the server refusal is shown in the dialog', async () => {
    const api = setup();
    api.on('DELETE /v1/secrets/OLD_KEY', { status: 400, body: { ok: false, error: 'Secret is in use by integrations' } });
    const { user } = renderApp('/sandbox/secrets');
    await user.click(within(await openMenu(user, 'OLD_KEY')).getByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete secret' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Secret is in use by integrations');
  });

  test('view-only members see Edit and Delete disabled with the reason', async () => {
    setup([{ id: 'o1', slug: 'acme', name: 'Acme', role: 'view-only' }]);
    const { user } = renderApp('/orgs/acme/secrets');
    const menu = await openMenu(user, 'OLD_KEY');
    expect(within(menu).getByRole('menuitem', { name: /Edit/ }).getAttribute('aria-disabled')).toBe('true');
    expect(within(menu).getByRole('menuitem', { name: /Delete/ }).getAttribute('aria-disabled')).toBe('true');
    expect(within(menu).getAllByText(/view-only/).length).toBeGreaterThan(0);
    const create = screen.getByRole('button', { name: 'Create secret' });
    expect(create.hasAttribute('disabled')).toBe(true);
    const reason = document.getElementById(create.getAttribute('aria-describedby')!);
    expect(reason?.textContent).toMatch(/Your role in Acme is view-only/);
  });

  test('details list who uses the secret, with links', async () => {
    const api = setup();
    api.on('GET /v1/secrets/BLYNK_TOKEN', { body: { secret: inUse } });
    const { user } = renderApp('/sandbox/secrets');
    await user.click(within(await openMenu(user, 'BLYNK_TOKEN')).getByRole('menuitem', { name: 'View details' }));
    const dialog = await screen.findByRole('dialog', { name: 'Secret BLYNK_TOKEN' });
    expect(within(dialog).getByRole('link', { name: 'temp to Blynk' }).getAttribute('href')).toBe('/sandbox/integrations/int1');
    expect(within(dialog).getByRole('link', { name: 'alarm' }).getAttribute('href')).toBe('/sandbox/logic/fn1');
    expect(within(dialog).getByText('Never')).toBeTruthy();
  });
});
