// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { CSRF, mockApi, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('sign out', () => {
  test('when the server cannot be reached, says the session may still be active and stays signed in', async () => {
    let reachable = false;
    const api = mockApi({
      'GET /v1/console/session': sessionReply(),
      'GET /v1/secrets': { body: { secrets: [] } },
      'DELETE /v1/console/session': () => {
        if (!reachable) throw new TypeError('Failed to fetch');
        return { status: 204 };
      },
    });
    const { user, router } = renderApp('/sandbox/secrets');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }, { timeout: 8000 }));
    const banner = await screen.findByTestId('sign-out-error');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('could not be reached');
    expect(banner.textContent).toContain('may still be active');
    expect(router.state.location.pathname).toBe('/sandbox/secrets');

    // Trying again once the server is back ends the session, with the CSRF token kept for it.
    reachable = true;
    await user.click(screen.getByRole('button', { name: 'Try signing out again' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    const deletes = api.calls.filter((c) => c.method === 'DELETE');
    expect(deletes).toHaveLength(2);
    expect(deletes[1]!.headers['x-csrf-token']).toBe(CSRF);
  });

  test('a session that had already ended (401) signs out quietly', async () => {
    mockApi({
      'GET /v1/console/session': sessionReply(),
      'GET /v1/secrets': { body: { secrets: [] } },
      'DELETE /v1/console/session': { status: 401, body: { error: 'invalid_token' } },
    });
    const { user, router } = renderApp('/sandbox/secrets');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }, { timeout: 8000 }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(screen.queryByTestId('sign-out-error')).toBeNull();
  });
});
