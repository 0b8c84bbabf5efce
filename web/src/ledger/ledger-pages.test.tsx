// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { mockApi, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';
import { parseLedgerData } from './json-editor.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const def = (name: string) => ({ name, description: 'Cached readings', scope: 'Owner', direction: 'CloudOnly', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z', archived_at: null });
const inst = (data: object) => ({ name: 'cache', scope: { type: 'Owner', value: 'u1' }, size_bytes: 9, data, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z' });

function setup(orgs: unknown[] = []) {
  const defs = [def('cache')];
  return mockApi({
    'GET /v1/console/session': sessionReply(orgs),
    'GET /v1/ledgers': () => ({ body: { ledger_definitions: defs, meta: {} } }),
    'GET /v1/orgs/acme/ledgers': () => ({ body: { ledger_definitions: defs, meta: {} } }),
    'POST /v1/ledgers': (call) => {
      defs.push({ ...def('x'), ...(call.body as { ledger: object }).ledger });
      return { status: 201, body: defs.at(-1) };
    },
    'GET /v1/ledgers/cache/instances/u1': { body: inst({ a: 1 }) },
    'GET /v1/ledgers/cache/instances/u1/versions': { body: { versions: [{ ...inst({ a: 0 }), updated_by: 'logic:fn1', replaced_at: '2026-01-02T00:00:00Z' }] } },
    'PUT /v1/ledgers/cache/instances/u1': (call) => (JSON.stringify(call.body).includes('"big"') ? { status: 400, body: { ok: false, error: 'data is too large' } } : { body: inst({ a: 1 }) }),
  });
}

describe('Ledger pages', () => {
  test('parseLedgerData accepts objects only', () => {
    expect(parseLedgerData('{"a":1}')).toEqual({ data: { a: 1 } });
    expect(parseLedgerData('[1]')).toHaveProperty('problem');
    expect(parseLedgerData('"x"')).toHaveProperty('problem');
    expect(parseLedgerData('{')).toHaveProperty('problem');
  });

  test('lists definitions and creates one with name, description, scope and kind', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/ledger');
    const row = await screen.findByTestId('ledger-row-cache');
    expect(row.textContent).toContain('Owner');
    expect(row.textContent).toContain('Cloud only');
    expect(row.textContent).toContain('Cached readings');
    await user.click(screen.getByRole('button', { name: 'Create ledger' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create ledger' });
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: /^Name/ }));
    await user.keyboard('Bad Name');
    expect(within(dialog).getByText('1 to 32 lowercase letters, digits or dashes')).toBeTruthy();
    await user.clear(within(dialog).getByRole('textbox', { name: /^Name/ }));
    await user.keyboard('settings');
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Per device');
    await user.click(within(dialog).getByRole('radio', { name: 'Device' }));
    await user.click(within(dialog).getByRole('radio', { name: 'Cloud to device' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create ledger' }));
    await screen.findByTestId('ledger-row-settings');
    expect(api.writes()[0]).toMatchObject({ path: '/v1/ledgers', body: { ledger: { name: 'settings', description: 'Per device', scope: 'Device', direction: 'Downstream' } } });
  });

  test('an instance: JSON shown, editor refuses a non-object, sends Merge, shows API errors and versions', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/ledger/cache/instances/u1');
    expect((await screen.findByTestId('instance-json')).textContent).toContain('"a": 1');
    expect((await screen.findAllByTestId('instance-version')).length).toBe(1);
    expect(screen.getByTestId('instance-version').textContent).toContain('by Logic function fn1');
    const editor = screen.getByRole('textbox', { name: 'Data (JSON)' });
    await user.clear(editor);
    await user.click(editor);
    await user.paste('[1, 2]');
    await user.click(screen.getByRole('button', { name: 'Set instance' }));
    expect(await screen.findByText(/must be a JSON object/)).toBeTruthy();
    expect(api.writes()).toHaveLength(0);
    await user.clear(editor);
    await user.paste('{"b": 2}');
    await user.click(screen.getByRole('radio', { name: 'Merge' }));
    await user.click(screen.getByRole('button', { name: 'Set instance' }));
    await screen.findByTestId('instance-notice');
    expect(api.writes()[0]).toMatchObject({ method: 'PUT', path: '/v1/ledgers/cache/instances/u1', body: { instance: { data: { b: 2 } } } });
    await user.clear(editor);
    await user.paste('{"big": true}');
    await user.click(screen.getByRole('button', { name: 'Set instance' }));
    await waitFor(() => expect(screen.getByTestId('json-editor').textContent).toContain('data is too large'));
  });

  test('a view-only member sees definitions and data without write controls', { timeout: 60_000 }, async () => {
    setup([{ id: 'o1', slug: 'acme', name: 'Acme', role: 'view-only' }]);
    renderApp('/orgs/acme/ledger');
    await screen.findByTestId('ledger-row-cache');
    expect(screen.getByRole('button', { name: 'Create ledger' }).hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Archive cache' })).toBeNull();
  });
});
