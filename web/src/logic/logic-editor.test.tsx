// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { mockApi, secret, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function setup() {
  return mockApi({
    'GET /v1/console/session': sessionReply(),
    'GET /v1/secrets': { body: { secrets: [secret('API_KEY')] } },
    'GET /v1/user/products': { body: { products: [{ id: 42, slug: 'weather', name: 'Weather' }] } },
    'GET /v1/logic/functions': { body: { logic_functions: [] } },
    'POST /v1/logic/execute': {
      body: {
        result: {
          status: 'Success',
          logs: [{ level: 'Info', timestamp: '2026-01-01T00:00:00Z', args: ['key is', '[[SENSITIVE]]'] }],
        },
      },
    },
    'POST /v1/logic/functions': (call) => ({
      status: 201,
      body: { logic_function: { id: 'fn1', ...(call.body as { logic_function: object }).logic_function } },
    }),
  });
}

describe('Logic editor', () => {
  test('runs the code with test data and the selected secrets, shows status and masked logs', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/new');
    await user.click(await screen.findByRole('checkbox', { name: 'API_KEY' }, { timeout: 8000 }));
    expect(screen.getByTestId('secret-usage-hint').textContent).toContain('secrets.API_KEY');
    expect(screen.getByRole('link', { name: 'click here to create a new secret' }).getAttribute('target')).toBe('_blank');
    const panel = screen.getByTestId('test-run-panel');
    await user.click(within(panel).getByRole('textbox', { name: 'Test event data' }));
    await user.paste('21.5');
    await user.click(within(panel).getByRole('button', { name: 'Run' }));
    const result = await screen.findByTestId('test-run-result');
    expect(result.textContent).toContain('Success');
    expect(result.textContent).toContain('key is [[SENSITIVE]]');
    expect(api.writes()[0]).toMatchObject({
      path: '/v1/logic/execute',
      body: {
        event: { event_name: 'test_event', product_id: 0, device_id: '', event_data: '21.5' },
        source: { type: 'JavaScript' },
        secrets: ['API_KEY'],
      },
    });
  });

  test('deploys with an event trigger on a product', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/new');
    await user.type(await screen.findByRole('textbox', { name: /^Name/ }, { timeout: 8000 }), 'alarm');
    await user.click(screen.getByRole('button', { name: 'Add event trigger' }));
    await user.type(screen.getByRole('textbox', { name: 'Trigger 1 event name' }), 'temp');
    await user.click(screen.getByRole('button', { name: /Trigger 1 product/ }));
    await user.click(await screen.findByRole('option', { name: 'Weather (42)' }));
    await user.click(screen.getByRole('button', { name: 'Deploy' }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({
      path: '/v1/logic/functions',
      body: {
        logic_function: {
          name: 'alarm',
          enabled: true,
          secrets: [],
          logic_triggers: [{ type: 'Event', event_name: 'temp', product_id: 42, enabled: true }],
        },
      },
    });
    expect(await screen.findByText('Logic function alarm deployed.')).toBeTruthy();
  });
  test('a refused deploy focuses the trigger field that is missing; add trigger focuses its first field', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/new');
    await screen.findByRole('checkbox', { name: 'API_KEY' }, { timeout: 8000 });
    await user.click(screen.getByRole('button', { name: 'Deploy' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: /^Name/ })));
    await user.keyboard('alarm');
    await user.click(screen.getByRole('button', { name: 'Add event trigger' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Trigger 1 event name' }));
    await user.click(screen.getByRole('button', { name: 'Deploy' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Trigger 1 event name' })));
    expect(screen.getByRole('textbox', { name: 'Trigger 1 event name' }).getAttribute('aria-invalid')).toBe('true');
    await user.keyboard('temp');
    await user.click(screen.getByRole('button', { name: 'Deploy' }));
    const product = screen.getByRole('button', { name: /Trigger 1 product/ });
    await waitFor(() => expect(document.activeElement).toBe(product));
    expect(product.closest('[data-invalid]')).toBeTruthy();
    expect(screen.getByText('An event trigger needs a product')).toBeTruthy();
    expect(api.writes()).toHaveLength(0);
  });

  test("the test run's event and product follow the event trigger until changed", { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/logic/new');
    await screen.findByRole('checkbox', { name: 'API_KEY' }, { timeout: 8000 });
    const panel = screen.getByTestId('test-run-panel');
    expect(within(panel).getByRole('button', { name: /Test product/ }).textContent).toContain('None (0)');
    await user.click(screen.getByRole('button', { name: 'Add event trigger' }));
    await user.keyboard('temp');
    await user.click(screen.getByRole('button', { name: /Trigger 1 product/ }));
    await user.click(await screen.findByRole('option', { name: 'Weather (42)' }));
    expect(within(panel).getByRole('button', { name: /Test product/ }).textContent).toContain('Weather');
    expect((within(panel).getByRole('textbox', { name: 'Test event name' }) as HTMLInputElement).value).toBe('temp');
    await user.click(within(panel).getByRole('button', { name: 'Run' }));
    await screen.findByTestId('test-run-result');
    expect(api.writes()[0]).toMatchObject({ path: '/v1/logic/execute', body: { event: { event_name: 'temp', product_id: 42 } } });
    // A product picked for the test run stays, whatever the trigger says.
    await user.click(within(panel).getByRole('button', { name: /Test product/ }));
    await user.click(await screen.findByRole('option', { name: 'None (0)' }));
    expect(within(panel).getByRole('button', { name: /Test product/ }).textContent).toContain('None (0)');
  });
});

