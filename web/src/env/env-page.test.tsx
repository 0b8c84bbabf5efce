// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { mockApi, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const state = (own: Record<string, string>, rolledOut = false) => ({
  latest: { own: Object.fromEntries(Object.entries(own).map(([k, value]) => [k, { value }])), inherited: {}, updated_at: null, updated_by: null },
  last_snapshot: rolledOut ? { own: {}, inherited: {}, rollout_at: '2026-01-01T00:00:00Z', rollout_by: 'user:u1' } : null,
});

function setup(orgs: unknown[] = []) {
  let own: Record<string, string> = { MODE: 'test' };
  let rolledOut = false;
  return mockApi({
    'GET /v1/console/session': sessionReply(orgs),
    'GET /v1/user/products': { body: { products: [] } },
    'GET /v1/orgs/acme/products': { body: { products: [] } },
    'GET /v1/env': () => ({ body: state(own, rolledOut) }),
    'GET /v1/orgs/acme/env': () => ({ body: state(own) }),
    'GET /v1/env/rollout': () => ({ body: { from_snapshot: rolledOut ? { changes: [], unchanged: own } : { changes: Object.entries(own).map(([key, after]) => ({ op: 'Added', key, after })), unchanged: {} } } }),
    'GET /v1/orgs/acme/env/rollout': { body: { from_snapshot: { changes: [{ op: 'Added', key: 'MODE', after: 'test' }], unchanged: {} } } },
    'PUT /v1/env/BAD_KEY': { status: 400, body: { ok: false, error: 'the value of BAD_KEY is too large' } },
    'PUT /v1/env/URL': (call) => {
      own = { ...own, URL: (call.body as { value: string }).value };
      return { body: state(own) };
    },
    'POST /v1/env/rollout': () => {
      rolledOut = true;
      return { body: { success: true } };
    },
  });
}

describe('Environment variables page', () => {
  test('lists own variables, adds one (key checked as typed, API errors shown), shows the diff and rolls out', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/env');
    expect((await screen.findByTestId('env-row-MODE')).textContent).toContain('test');
    expect(within(await screen.findByTestId('env-rollout-diff')).getByText('Added')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add variable' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add environment variable' });
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: /^Key/ }));
    await user.keyboard('1X');
    expect(within(dialog).getByText(/Start with a letter or underscore/)).toBeTruthy();
    await user.clear(within(dialog).getByRole('textbox', { name: /^Key/ }));
    await user.keyboard('BAD_KEY');
    await user.click(within(dialog).getByRole('button', { name: 'Add variable' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('too large');
    await user.clear(within(dialog).getByRole('textbox', { name: /^Key/ }));
    await user.keyboard('URL');
    await user.type(within(dialog).getByRole('textbox', { name: 'Value' }), 'https://example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Add variable' }));
    await screen.findByTestId('env-row-URL');
    expect(api.writes().at(-1)).toMatchObject({ method: 'PUT', path: '/v1/env/URL', body: { value: 'https://example.com' } });
    await screen.findByTestId('env-change-URL');
    await user.click(screen.getByRole('button', { name: 'Roll out' }));
    await screen.findByTestId('env-rollout-done');
    expect(api.writes().at(-1)).toMatchObject({ method: 'POST', path: '/v1/env/rollout', body: { when: 'Immediate' } });
    await waitFor(() => expect(screen.getByTestId('env-last-rollout').textContent).toContain('Last rolled out'));
  });

  test('a view-only member sees the variables and the diff, without write controls', { timeout: 60_000 }, async () => {
    setup([{ slug: 'acme', name: 'Acme', role: 'view-only' }]);
    renderApp('/orgs/acme/env');
    await screen.findByTestId('env-row-MODE');
    await screen.findByTestId('env-rollout-diff');
    expect(screen.queryByRole('button', { name: 'Edit MODE' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Roll out' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Add variable' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getAllByText(/view-only/).length).toBeGreaterThan(0);
  });
});
