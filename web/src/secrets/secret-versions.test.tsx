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

const version = (n: number, current = false, restored_from: number | null = null) => ({
  version: n,
  created_at: `2026-01-0${n}T10:00:00.000Z`,
  created_by: 'u1',
  created_by_username: 'ada',
  current,
  restored_from,
});

function setup(orgs: unknown[] = []) {
  const token = secret('API_TOKEN');
  return mockApi({
    'GET /v1/console/session': sessionReply(orgs),
    'GET /v1/secrets': { body: { secrets: [token] } },
    'GET /v1/secrets/API_TOKEN': { body: { secret: token } },
    'GET /v1/orgs/acme/secrets': { body: { secrets: [token] } },
    'GET /v1/orgs/acme/secrets/API_TOKEN': { body: { secret: token } },
    'GET /v1/secrets/API_TOKEN/versions': { body: { versions: [version(2, true), version(1)] } },
    'GET /v1/orgs/acme/secrets/API_TOKEN/versions': { body: { versions: [version(2, true), version(1)] } },
  });
}

async function openDetails(user: ReturnType<typeof renderApp>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Actions for API_TOKEN' }));
  await user.click(within(await screen.findByRole('menu')).getByRole('menuitem', { name: 'View details' }));
  return screen.findByRole('dialog', { name: 'Secret API_TOKEN' });
}

describe('secret versions in the details', () => {
  test('lists the versions, newest first, and restores an earlier one after confirmation', async () => {
    const api = setup();
    api.on('POST /v1/secrets/API_TOKEN/versions/1/restore', { body: { secret: secret('API_TOKEN') } });
    const { user } = renderApp('/sandbox/secrets');
    const dialog = await openDetails(user);
    const list = await within(dialog).findByRole('list', { name: 'Versions of API_TOKEN' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringMatching(/^Version 2Current/), expect.stringMatching(/^Version 1/)]);
    // The current version cannot be restored; nothing shows or offers a value.
    expect(within(rows[0]!).queryByRole('button')).toBeNull();
    expect(dialog.textContent).not.toMatch(/show value|reveal/i);

    await user.click(within(dialog).getByRole('button', { name: 'Restore version 1' }));
    expect(api.writes()).toHaveLength(0);
    const confirm = within(dialog).getByRole('group', { name: 'Restore version 1?' });
    await user.click(within(confirm).getByRole('button', { name: 'Restore version 1' }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({ method: 'POST', path: '/v1/secrets/API_TOKEN/versions/1/restore' });
    expect(api.writes()[0]!.headers['x-csrf-token']).toBe(CSRF);
    expect((await within(dialog).findByText(/Version 1 restored/)).textContent).toContain('everything that uses API_TOKEN now gets that value');
  });

  test('view-only members see the versions with Restore disabled', async () => {
    const api = setup([{ id: 'o1', slug: 'acme', name: 'Acme', role: 'view-only' }]);
    const { user } = renderApp('/orgs/acme/secrets');
    const dialog = await openDetails(user);
    const restore = await within(dialog).findByRole('button', { name: 'Restore version 1' });
    expect(restore.hasAttribute('disabled')).toBe(true);
    expect(within(dialog).getByText(/Your role in Acme is view-only/)).toBeTruthy();
    await user.click(restore);
    expect(api.writes()).toHaveLength(0);
  });
});
