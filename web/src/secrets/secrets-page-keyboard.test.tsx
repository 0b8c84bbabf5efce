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

type User = ReturnType<typeof renderApp>['user'];

/** Presses `key` until `target` has focus (keyboard only), failing after `max` presses. */
async function pressUntilFocused(user: User, key: string, target: Element, max = 25) {
  for (let i = 0; i < max && document.activeElement !== target; i++) await user.keyboard(key);
  expect(document.activeElement).toBe(target);
}

/** Presses Tab until focus is inside `container`. */
async function tabInto(user: User, container: Element, max = 25) {
  for (let i = 0; i < max && !container.contains(document.activeElement); i++) await user.tab();
  expect(container.contains(document.activeElement)).toBe(true);
}

/** Tab into the table (its "…" buttons are one Tab stop), then arrows to the button of `name`'s row. */
async function arrowToActions(user: User, name: string) {
  const table = screen.getByRole('table', { name: 'Cloud secrets' });
  await tabInto(user, table);
  const row = within(table).getByRole('row', { name: new RegExp(name) });
  await pressUntilFocused(user, '{ArrowDown}', within(row).getByRole('button', { name: `Actions for ${name}` }), 10);
}

function setup() {
  let secrets = [secret('API_KEY')];
  const api = mockApi({
    'GET /v1/console/session': sessionReply(),
    'GET /v1/secrets': () => ({ body: { secrets } }),
    'POST /v1/secrets': (call) => {
      const { name } = call.body as { name: string };
      secrets = [...secrets, secret(name)];
      return { status: 201, body: { secret: secret(name) } };
    },
    'PUT /v1/secrets/API_KEY': () => ({ body: { secret: secret('API_KEY') } }),
    'DELETE /v1/secrets/API_KEY': () => {
      secrets = secrets.filter((s) => s.name !== 'API_KEY');
      return { status: 204 };
    },
  });
  return api;
}

describe('secrets page, keyboard only', () => {
  test('create, edit and delete without a pointer', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/secrets');
    await screen.findByRole('table', { name: 'Cloud secrets' });

    // Create: Tab to the button, Enter, type, Tab, type, Enter.
    await pressUntilFocused(user, '{Tab}', screen.getByRole('button', { name: 'Create secret' }));
    await user.keyboard('{Enter}');
    const create = await screen.findByRole('dialog', { name: 'Create secret' });
    await waitFor(() => expect(document.activeElement).toBe(within(create).getByRole('textbox', { name: /^Name/ })));
    await user.keyboard('WEATHER_KEY');
    await user.tab();
    await user.keyboard('a-long-weather-api-key{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.writes()[0]).toMatchObject({
      method: 'POST',
      path: '/v1/secrets',
      body: { name: 'WEATHER_KEY', value: 'a-long-weather-api-key' },
    });
    expect((await screen.findByTestId('secrets-notice')).textContent).toContain('Secret WEATHER_KEY created');
    await screen.findByRole('rowheader', { name: 'WEATHER_KEY' });

    // Edit: Tab into the table, arrows to the row's "…" button, Enter, arrows to Edit, Enter.
    await arrowToActions(user, 'API_KEY');
    await user.keyboard('{Enter}');
    const menu = await screen.findByRole('menu', { name: 'Actions for API_KEY' });
    await pressUntilFocused(user, '{ArrowDown}', within(menu).getByRole('menuitem', { name: 'Edit' }));
    await user.keyboard('{Enter}');
    const edit = await screen.findByRole('dialog', { name: 'Edit secret API_KEY' });
    expect(within(edit).getByText(/current value is never shown/)).toBeTruthy();
    await user.keyboard('rotated-value-123{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.writes()[1]).toMatchObject({ method: 'PUT', path: '/v1/secrets/API_KEY', body: { value: 'rotated-value-123' } });
    expect(api.writes()[1]!.headers['x-csrf-token']).toBe(CSRF);

    // Delete: same route to the menu, then confirm in the dialog with Tab + Enter.
    if (document.activeElement !== screen.getByRole('button', { name: 'Actions for API_KEY' })) {
      await arrowToActions(user, 'API_KEY');
    }
    await user.keyboard('{Enter}');
    const menu2 = await screen.findByRole('menu', { name: 'Actions for API_KEY' });
    await pressUntilFocused(user, '{ArrowDown}', within(menu2).getByRole('menuitem', { name: 'Delete' }));
    await user.keyboard('{Enter}');
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete secret API_KEY?' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await user.tab();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(api.writes()).toHaveLength(3));
    expect(api.writes()[2]).toMatchObject({ method: 'DELETE', path: '/v1/secrets/API_KEY' });
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'API_KEY' })).toBeNull());
  });

  test('Escape closes a dialog without saving', async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/secrets');
    await pressUntilFocused(user, '{Tab}', await screen.findByRole('button', { name: 'Create secret' }));
    await user.keyboard('{Enter}');
    await screen.findByRole('dialog', { name: 'Create secret' });
    await user.keyboard('NOPE{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.writes()).toHaveLength(0);
  });
});
