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

const CODE = "export default function main({ env }) { console.log(env.MODE); }";
const saved = { id: 'fn1', name: 'configured', description: '', enabled: true, source: { type: 'JavaScript', code: CODE }, secrets: [], logic_triggers: [], use_env: true, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };

function setup() {
  return mockApi({
    'GET /v1/console/session': sessionReply(),
    'GET /v1/secrets': { body: { secrets: [] } },
    'GET /v1/user/products': { body: { products: [] } },
    'GET /v1/logic/functions': { body: { logic_functions: [saved] } },
    'GET /v1/logic/functions/fn1': { body: { logic_function: saved } },
    'PUT /v1/logic/functions/fn1': (call) => ({ body: { logic_function: { ...saved, ...(call.body as { logic_function: object }).logic_function } } }),
    'POST /v1/logic/execute': { body: { result: { status: 'Success', logs: [] } } },
    'POST /v1/logic/functions': (call) => ({ status: 201, body: { logic_function: { id: 'fn2', ...(call.body as { logic_function: object }).logic_function } } }),
  });
}

describe('Logic editor: Use environment variables (use_env)', () => {
  test('is off for a new function; turned on, the deploy and the test run send use_env: true', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/new');
    await user.type(await screen.findByRole('textbox', { name: /^Name/ }, { timeout: 8000 }), 'configured');
    const toggle = screen.getByRole('switch', { name: 'Use environment variables' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    await user.click(toggle);
    expect((toggle as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await screen.findByTestId('test-run-result');
    await user.click(screen.getByRole('button', { name: 'Deploy' }));
    await waitFor(() => expect(api.writes()).toHaveLength(2));
    expect(api.writes()[0]).toMatchObject({ path: '/v1/logic/execute', body: { use_env: true } });
    expect(api.writes()[1]).toMatchObject({ path: '/v1/logic/functions', body: { logic_function: { name: 'configured', use_env: true } } });
  });

  test("shows a saved function's use_env and saves it turned off", { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/fn1');
    await screen.findByRole('heading', { name: 'configured' }, { timeout: 8000 });
    const toggle = await screen.findByRole('switch', { name: 'Use environment variables' });
    expect((toggle as HTMLInputElement).checked).toBe(true);
    await user.click(toggle);
    await user.click(screen.getByRole('button', { name: /^(Save|Deploy)/ }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({ method: 'PUT', body: { logic_function: { use_env: false } } });
  });
});
