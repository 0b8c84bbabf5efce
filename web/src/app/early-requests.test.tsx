// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { secretsKey } from '../secrets/secret-queries.ts';
import { mockApi, secret, sessionReply } from '../test/fetch-mock.ts';
import { secretsPageScope, startEarlyRequests } from './early-requests.ts';
import { primeQueryClient } from './prime-query-client.ts';
import { createQueryClient } from './query-client.ts';
import { routes } from './routes.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** What main.tsx does, with a memory router at `path`. */
function boot(path: string) {
  const early = startEarlyRequests(path);
  const queryClient = createQueryClient({ retry: false });
  primeQueryClient(queryClient, early);
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={createMemoryRouter(routes, { initialEntries: [path] })} />
    </QueryClientProvider>,
  );
  return { queryClient, early };
}

describe('early requests', () => {
  test('know which paths open a secrets page, and of which scope', () => {
    const sandbox = { scopeKey: 'sandbox', prefix: '/v1' };
    for (const p of ['/', '/sandbox', '/sandbox/', '/sandbox/secrets', '/sandbox/secrets/']) expect(secretsPageScope(p), p).toEqual(sandbox);
    expect(secretsPageScope('/orgs/acme/secrets')).toEqual({ scopeKey: 'org:acme', prefix: '/v1/orgs/acme' });
    expect(secretsPageScope('/orgs/acme')).toEqual({ scopeKey: 'org:acme', prefix: '/v1/orgs/acme' });
    expect(secretsPageScope('/orgs/a%20b/secrets')).toEqual({ scopeKey: 'org:a b', prefix: '/v1/orgs/a%20b' });
    for (const p of ['/login', '/sandbox/logic', '/sandbox/secretsx', '/orgs/acme/integrations', '/orgs/%E0%A4%A/secrets', '/orgs//secrets']) {
      expect(secretsPageScope(p), p).toBeNull();
    }
  });

  test('the secrets page uses the early answers: one session and one secrets request', async () => {
    const api = mockApi({
      'GET /v1/console/session': sessionReply(),
      'GET /v1/secrets': { body: { secrets: [secret('API_KEY'), secret('DB_PASSWORD')] } },
    });
    boot('/sandbox/secrets');
    await screen.findByRole('row', { name: /DB_PASSWORD/ });
    expect(api.calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual(['GET /v1/console/session', 'GET /v1/secrets']);
  });

  test('other pages start only the session request', async () => {
    const api = mockApi({ 'GET /v1/console/session': sessionReply(), 'GET /v1/audit': { body: { audit: [] } } });
    const { early } = boot('/sandbox/audit');
    expect(early.secrets).toBeNull();
    await screen.findByRole('heading', { name: /audit/i });
    expect(api.calls.filter((c) => c.path.endsWith('/secrets'))).toEqual([]);
    expect(api.calls.filter((c) => c.path === '/v1/console/session')).toHaveLength(1);
  });

  test('a signed-out visitor goes to sign in; the 401 of the early secrets request is dropped', async () => {
    const api = mockApi({
      'GET /v1/console/session': { body: { user: null, csrf_token: null, orgs: [] } },
      'GET /v1/secrets': { status: 401, body: { error: 'invalid_token' } },
    });
    const { queryClient } = boot('/sandbox/secrets');
    await screen.findByRole('button', { name: 'Sign in' });
    expect(queryClient.getQueryState(secretsKey('sandbox'))).toBeUndefined();
    // No second session request: the 401 did not reach the cache's "re-check the session".
    expect(api.calls.filter((c) => c.path === '/v1/console/session')).toHaveLength(1);
  });
});
