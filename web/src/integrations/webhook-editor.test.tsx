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
    'GET /v1/secrets': { body: { secrets: [secret('BLYNK_TOKEN'), secret('OTHER_KEY')] } },
    'GET /v1/user/products': { body: { products: [] } },
    'GET /v1/integrations': { body: [] },
    'POST /v1/integrations': { status: 201, body: { ok: true, id: 'int9' } },
    'GET /v1/integrations/int9': { body: { integration: { id: 'int9', integration_type: 'Webhook', event: 'temp', url: 'https://api.example.com/v1', requestType: 'POST', name: 'temp for api.example.com', secrets: ['BLYNK_TOKEN'] } } },
    'GET /v1/integrations/int9/deliveries': { body: { ok: true, deliveries: [], next_before: null } },
    'GET /v1/integration_templates': {
      body: {
        templates: [
          {
            slug: 'blynk',
            name: 'Blynk',
            description: 'Send values to Blynk with `Authorization: Bearer <token>`.',
            fields: [
              { name: 'server', label: 'Blynk server', type: 'select', required: true, options: [{ value: 'blynk.cloud', label: 'blynk.cloud' }] },
              { name: 'token', label: 'Auth token', type: 'secret', required: true },
            ],
          },
        ],
      },
    },
    'POST /v1/integrations/from_template': { status: 201, body: { ok: true, id: 'int10' } },
  });
}

describe('webhook editor', () => {
  test('creates a webhook with a selected secret used in a header', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/integrations/new');
    await user.type(await screen.findByRole('textbox', { name: /^Event name/ }, { timeout: 8000 }), 'temp');
    await user.click(screen.getByRole('textbox', { name: /^URL/ }));
    await user.paste('https://api.example.com/v1');

    const link = screen.getByRole('link', { name: 'click here to create a new secret' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('href')).toBe('/sandbox/secrets?create=1');

    await user.click(await screen.findByRole('checkbox', { name: 'BLYNK_TOKEN' }));
    expect(screen.getByTestId('secret-usage-hint').textContent).toContain('{{{BLYNK_TOKEN}}}');

    await user.click(screen.getByRole('radio', { name: 'JSON' }));
    await user.click(screen.getByRole('button', { name: 'Add header' }));
    await user.click(screen.getByRole('textbox', { name: 'Header 1 name' }));
    await user.paste('Authorization');
    await user.click(screen.getByRole('textbox', { name: 'Header 1 value' }));
    await user.paste('Bearer {{{BLYNK_TOKEN}}}');
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));

    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({
      method: 'POST',
      path: '/v1/integrations',
      body: {
        integration_type: 'Webhook',
        event: 'temp',
        url: 'https://api.example.com/v1',
        requestType: 'POST',
        headers: { Authorization: 'Bearer {{{BLYNK_TOKEN}}}' },
        json: { event: '{{{PARTICLE_EVENT_NAME}}}', data: '{{{PARTICLE_EVENT_VALUE}}}' },
        secrets: ['BLYNK_TOKEN'],
        rejectUnauthorized: true,
      },
    });
    // Create opens the new integration, with the notice.
    expect(await screen.findByText(/Webhook created/)).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'temp for api.example.com' })).toBeTruthy();
  });

  test('signs with a selected secret, retries with exponential backoff and paces, set under advanced options', { timeout: 60_000 }, async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/integrations/new');
    await user.type(await screen.findByRole('textbox', { name: /^Event name/ }, { timeout: 8000 }), 'temp');
    await user.click(screen.getByRole('textbox', { name: /^URL/ }));
    await user.paste('https://api.example.com/v1');
    await user.click(await screen.findByRole('checkbox', { name: 'OTHER_KEY' }));
    await user.click(screen.getByRole('button', { name: /Signing secret/ }));
    await user.click(await screen.findByRole('option', { name: 'OTHER_KEY' }));
    const fold = screen.getByText('Advanced delivery options').closest('details')!;
    expect(fold.open).toBe(false);
    await user.click(screen.getByText('Advanced delivery options'));
    await user.click(within(fold).getByRole('radio', { name: 'Exponential backoff with jitter' }));
    const attempts = within(fold).getByRole('textbox', { name: /^Attempts in all/ });
    await user.clear(attempts);
    await user.type(attempts, '5');
    await user.type(within(fold).getByRole('textbox', { name: /^Most requests per second/ }), '20');
    await user.type(within(fold).getByRole('textbox', { name: /^Most requests in flight/ }), '3');
    await user.click(within(fold).getByRole('switch', { name: /in order/ }));
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({
      path: '/v1/integrations',
      body: { secrets: ['OTHER_KEY'], signing_secret: 'OTHER_KEY', retry_schedule: { type: 'exponential', max_attempts: 5, initial_delay_ms: 30_000, max_delay_ms: 3_600_000 }, max_per_second: 20, max_in_flight: 3, ordered: 'device' },
    });
  });

  test('refuses to save without event and URL, and moves focus to the first invalid field', async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/integrations/new');
    await user.click(await screen.findByRole('button', { name: 'Create webhook' }, { timeout: 8000 }));
    expect(await screen.findByText('URL is required')).toBeTruthy();
    expect(api.writes()).toHaveLength(0);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: /^Event name/ })));
    await user.keyboard('temp');
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: /^URL/ })));
    expect(api.writes()).toHaveLength(0);
  });

  test('add-row buttons focus the new row; removing a row focuses its neighbour', async () => {
    setup();
    const { user } = renderApp('/sandbox/integrations/new');
    await user.click(await screen.findByRole('button', { name: 'Add header' }, { timeout: 8000 }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Header 1 name' }));
    await user.keyboard('Authorization');
    await user.click(screen.getByRole('button', { name: 'Add header' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Header 2 name' }));
    await user.click(screen.getByRole('button', { name: 'Add query parameter' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Query parameter 1 name' }));
    await user.click(screen.getByRole('radio', { name: 'Custom form fields' }));
    await user.click(screen.getByRole('button', { name: 'Add form field' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Form field 1 name' }));
    // Removing the first header focuses the one that took its place; the last, the add button.
    await user.click(screen.getByRole('button', { name: 'Remove header 1' }));
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Header 1 name' }));
    await user.click(screen.getByRole('button', { name: 'Remove header 1' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add header' }));
  });

  test('template gallery: the secret field is a secret picker with the create link', async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/integrations/templates');
    const use = await screen.findByRole('link', { name: 'Use Blynk' }, { timeout: 8000 });
    // The template's `code` is shown as code, not with its backticks.
    const card = use.closest('li')!;
    expect(within(card).getByText('Authorization: Bearer <token>').tagName).toBe('CODE');
    expect(card.textContent).not.toContain('`');
    await user.click(use);
    const form = await screen.findByRole('form', { name: 'Blynk' }, { timeout: 8000 });
    // Required selects are marked like required text fields.
    expect(within(form).getByText('Auth token').closest('.field-label')?.querySelector('.required-mark')).toBeTruthy();
    expect(within(form).getByRole('link', { name: 'click here to create a new secret' }).getAttribute('target')).toBe('_blank');
    await user.click(within(form).getByRole('button', { name: /Blynk server/ }));
    await user.click(await screen.findByRole('option', { name: 'blynk.cloud' }));
    await user.click(within(form).getByRole('button', { name: /Auth token/ }));
    await user.click(await screen.findByRole('option', { name: 'BLYNK_TOKEN' }));
    await user.click(within(form).getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({
      path: '/v1/integrations/from_template',
      body: { template: 'blynk', values: { server: 'blynk.cloud', token: 'BLYNK_TOKEN' } },
    });
  });
  test('template form: a refused submit focuses the first missing required field', async () => {
    const api = setup();
    const { user } = renderApp('/sandbox/integrations/templates/blynk');
    const form = await screen.findByRole('form', { name: 'Blynk' }, { timeout: 8000 });
    await user.click(within(form).getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByRole('button', { name: /Blynk server/ })));
    await user.keyboard('{Enter}');
    await user.click(await screen.findByRole('option', { name: 'blynk.cloud' }));
    await user.click(within(form).getByRole('button', { name: 'Create integration' }));
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByRole('button', { name: /Auth token/ })));
    expect(api.writes()).toHaveLength(0);
  });
});
