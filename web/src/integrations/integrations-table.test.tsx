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

const integration = {
  id: 'int1',
  integration_type: 'Webhook',
  name: 'Blynk temps',
  event: 'temp',
  url: 'https://blynk.cloud/external/api',
  requestType: 'POST',
  secrets: ['BLYNK_AUTH_TOKEN', 'OTHER_KEY'],
  created_at: '2026-01-01T00:00:00Z',
  counters: { success: 0, error: 0 },
  last_delivery: null,
};

function setup() {
  return mockApi({
    'GET /v1/console/session': sessionReply(),
    'GET /v1/user/products': { body: { products: [] } },
    'GET /v1/integrations': { body: [integration] },
    'GET /v1/integrations/int1': { body: { integration } },
    'GET /v1/integrations/int1/logs': { body: { logs: [] } },
  });
}

describe('integrations table and delivery log', () => {
  test('secret names are kept whole, and each comma stays with its name', async () => {
    setup();
    renderApp('/sandbox/integrations');
    const row = await screen.findByTestId('integration-row-int1', {}, { timeout: 8000 });
    // Names, events and URLs all wrap only after separators; the secrets cell lists the names.
    const names = Array.from(row.querySelectorAll('.breakable')).map((n) => n.textContent);
    expect(names.filter((n) => /^[A-Z_]+,?$/.test(n ?? ''))).toEqual(['BLYNK_AUTH_TOKEN,', 'OTHER_KEY']);
  });

  test("the delivery log's breadcrumb leads to the integrations list and to the integration", async () => {
    setup();
    renderApp('/sandbox/integrations/int1/logs');
    await screen.findByRole('heading', { name: 'Delivery log: Blynk temps' }, { timeout: 8000 });
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    const links = within(crumbs).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Integrations', '/sandbox/integrations'],
      ['Blynk temps', '/sandbox/integrations/int1'],
    ]);
  });
});
