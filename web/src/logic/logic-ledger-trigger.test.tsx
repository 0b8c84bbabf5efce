// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { mockApi, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const CODE = 'export default function main({ ledgerChange }) { console.log(ledgerChange.name); }';
const trigger = { id: 't1', type: 'LedgerChange', ledger_name: 'settings', change_type: 'delete', instance_scope: 'dev1', enabled: true };
const saved = { id: 'fn1', name: 'watcher', description: '', enabled: true, source: { type: 'JavaScript', code: CODE }, secrets: [], logic_triggers: [trigger], created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
const ledger = (name: string) => ({ name, description: '', scope: 'Device', direction: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', archived_at: null });

function setup() {
  return mockApi({
    'GET /v1/console/session': sessionReply(),
    'GET /v1/secrets': { body: { secrets: [] } },
    'GET /v1/user/products': { body: { products: [] } },
    'GET /v1/ledgers': { body: { ledger_definitions: [ledger('cache'), ledger('settings')], meta: { page: 1, per_page: 100, total_pages: 1, total: 2 } } },
    'GET /v1/logic/functions': { body: { logic_functions: [saved] } },
    'GET /v1/logic/functions/fn1': { body: { logic_function: saved } },
    'PUT /v1/logic/functions/fn1': (call) => ({ body: { logic_function: { ...saved, ...(call.body as { logic_function: object }).logic_function } } }),
    'POST /v1/logic/functions': (call) => ({ status: 201, body: { logic_function: { id: 'fn2', ...(call.body as { logic_function: object }).logic_function } } }),
  });
}

describe('Logic editor: ledger-change triggers', () => {
  test('adds a LedgerChange trigger for one of the ledgers, refusing to deploy without a ledger', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/new');
    await user.type(await screen.findByRole('textbox', { name: /^Name/ }, { timeout: 8000 }), 'watcher');
    await user.click(screen.getByRole('button', { name: 'Add ledger trigger' }));
    await user.click(screen.getByRole('button', { name: 'Deploy' }));
    expect(await screen.findByText('A ledger trigger needs a ledger')).toBeTruthy();
    expect(api.writes()).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: /Trigger 1 ledger/ }));
    await user.click(await screen.findByRole('option', { name: 'cache' }));
    await user.click(screen.getByRole('button', { name: 'Deploy' }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({
      path: '/v1/logic/functions',
      body: { logic_function: { logic_triggers: [{ type: 'LedgerChange', ledger_name: 'cache', change_type: 'set', instance_scope: null, enabled: true }] } },
    });
  });

  test("shows a saved LedgerChange trigger's fields and sends them back unchanged", { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/fn1');
    await screen.findByRole('heading', { name: 'watcher' }, { timeout: 8000 });
    // The trigger fields render once the ledger list has loaded, which may be after the heading.
    expect(((await screen.findByRole('textbox', { name: /Trigger 1 instance/ }, { timeout: 8000 })) as HTMLInputElement).value).toBe('dev1');
    await user.click(screen.getByRole('button', { name: /^(Save|Deploy)/ }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({ method: 'PUT', body: { logic_function: { logic_triggers: [trigger] } } });
  });
});
