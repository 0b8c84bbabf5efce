// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { mockApi, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const fn = {
  id: 'fn1',
  name: 'alarm',
  description: '',
  enabled: true,
  source: { type: 'JavaScript', code: 'export default function main() {}' },
  secrets: ['BLYNK_AUTH_TOKEN', 'OTHER_KEY'],
  logic_triggers: [{ type: 'Event', event_name: 'temp', product_id: 42, enabled: true }],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
};

describe('Logic list', () => {
  test("the function's name is a link to its editor", async () => {
    mockApi({
      'GET /v1/console/session': sessionReply(),
      'GET /v1/logic/functions': { body: { logic_functions: [fn] } },
      'GET /v1/logic/functions/fn1': { body: { logic_function: fn } },
      'GET /v1/secrets': { body: { secrets: [] } },
      'GET /v1/user/products': { body: { products: [] } },
    });
    const { user, router } = renderApp('/sandbox/logic');
    const table = await screen.findByRole('grid', { name: 'Logic functions' }, { timeout: 8000 });
    const link = within(table).getByRole('link', { name: 'alarm' });
    expect(link.getAttribute('href')).toBe('/sandbox/logic/fn1');
    // Secret names are listed with the comma kept beside the name before it.
    const secretsCell = within(table).getByText(/^BLYNK_AUTH_TOKEN/).closest('.breakable')!;
    expect(secretsCell.textContent).toBe('BLYNK_AUTH_TOKEN,');
    await user.click(link);
    await screen.findByRole('heading', { name: 'alarm' });
    expect(router.state.location.pathname).toBe('/sandbox/logic/fn1');
  });
});
