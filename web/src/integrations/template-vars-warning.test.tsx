// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { mockApi, secret, sessionReply } from '../test/fetch-mock.ts';
import { renderApp } from '../test/render-app.tsx';
import { templateVars, unknownTemplateVars } from './template-vars.ts';
import { EMPTY_DRAFT } from './webhook-draft.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('template variables nothing defines', () => {
  test('are read with the mustache parser: root names, tags as written, nothing inside sections', () => {
    expect(templateVars('Bearer {{{AUTH_KEY}}} {{a.b}} {{#list}}{{item}}{{/list}} {{^none}}x{{/none}} {{! note }} {{&raw}}')).toEqual([
      { name: 'AUTH_KEY', tag: '{{{AUTH_KEY}}}' },
      { name: 'a', tag: '{{a.b}}' },
      { name: 'list', tag: '{{#list}}' },
      { name: 'none', tag: '{{^none}}' },
      { name: 'raw', tag: '{{{raw}}}' },
    ]);
    // A template that does not parse gives none (the server names the error on save).
    expect(templateVars('{{#open}} never closed')).toEqual([]);
  });

  test('skip selected secrets, Particle variables and fields of the example event', () => {
    const draft = {
      ...EMPTY_DRAFT,
      url: 'https://x.test/{{{PARTICLE_DEVICE_ID}}}/{{PRODUCT_ID}}?room={{room}}',
      headerPairs: [{ key: 'Authorization', value: 'Bearer {{{AUTH_KEYY}}} {{{AUTH_KEY}}}' }],
      bodyKind: 'json' as const,
      jsonText: '{"t": "{{temp}}", "e": "{{{PARTICLE_EVENT_VALUE}}}", "again": "{{{AUTH_KEYY}}}"}',
      secrets: ['AUTH_KEY'],
    };
    expect(unknownTemplateVars(draft, '').map((v) => v.tag)).toEqual(['{{room}}', '{{temp}}', '{{{AUTH_KEYY}}}']);
    expect(unknownTemplateVars(draft, '{"room": "kitchen", "temp": 21}').map((v) => v.name)).toEqual(['AUTH_KEYY']);
    expect(unknownTemplateVars(draft, '[1, 2]').map((v) => v.name)).toEqual(['room', 'temp', 'AUTH_KEYY']);
  });

  test('the editor warns without refusing, and one click selects an existing secret', { timeout: 60_000 }, async () => {
    const api = mockApi({
      'GET /v1/console/session': sessionReply(),
      'GET /v1/secrets': { body: { secrets: [secret('AUTH_KEY'), secret('OTHER_KEY')] } },
      'GET /v1/user/products': { body: { products: [] } },
      'GET /v1/integrations': { body: [] },
      'POST /v1/integrations': { status: 201, body: { ok: true, id: 'int9' } },
    });
    const { user } = renderApp('/sandbox/integrations/new');
    await user.type(await screen.findByRole('textbox', { name: /^Event name/ }, { timeout: 8000 }), 'temp');
    await user.click(screen.getByRole('textbox', { name: /^URL/ }));
    await user.paste('https://api.example.com/{{room}}');
    await user.click(screen.getByRole('button', { name: 'Add header' }));
    await user.paste('Authorization');
    await user.click(screen.getByRole('textbox', { name: 'Header 1 value' }));
    await user.paste('Bearer {{{AUTH_KEYY}}} {{{AUTH_KEY}}}');

    const warning = await screen.findByTestId('unknown-template-vars');
    expect(warning.textContent).toContain('{{room}} is not a selected secret, a Particle variable or a field of the example event');
    expect(warning.textContent).toContain('{{{AUTH_KEYY}}} is not a selected secret');
    expect(warning.textContent).toContain('{{{AUTH_KEY}}} is a secret that is not selected');
    expect(within(warning).queryByRole('button', { name: 'Select AUTH_KEYY' })).toBeNull();

    await user.click(within(warning).getByRole('button', { name: 'Select AUTH_KEY' }));
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'AUTH_KEY' }) as HTMLInputElement).checked).toBe(true));
    expect(warning.textContent).not.toContain('{{{AUTH_KEY}}} is a secret');

    // A field of the example event data is a known variable.
    await user.click(screen.getByRole('textbox', { name: /^Example event data/ }));
    await user.paste('{"room": "kitchen"}');
    await waitFor(() => expect(screen.getByTestId('unknown-template-vars').textContent).not.toContain('{{room}}'));

    // A warning, not a refusal: the webhook saves with the misspelt name.
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]).toMatchObject({ body: { headers: { Authorization: 'Bearer {{{AUTH_KEYY}}} {{{AUTH_KEY}}}' }, secrets: ['AUTH_KEY'] } });
  });
});
