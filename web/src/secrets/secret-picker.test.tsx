// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { useState } from 'react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { focusManager } from '@tanstack/react-query';
import { mockApi, secret } from '../test/fetch-mock.ts';
import { renderInScope } from '../test/render-app.tsx';
import { SecretPicker } from './secret-picker.tsx';
import { SecretSelect } from './secret-select.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Harness(props: { readonly initial?: string[]; readonly onChange?: (v: string[]) => void }) {
  const [value, setValue] = useState<string[]>(props.initial ?? []);
  return (
    <SecretPicker
      usage="webhook"
      value={value}
      onChange={(v) => {
        setValue(v);
        props.onChange?.(v);
      }}
    />
  );
}

/** What happens when the user comes back to this tab. */
function returnToTab() {
  act(() => {
    focusManager.setFocused(undefined);
    window.dispatchEvent(new Event('visibilitychange'));
  });
}

describe('secret picker', () => {
  test('lists the scope secrets and selects several', async () => {
    mockApi({ 'GET /v1/secrets': { body: { secrets: [secret('API_KEY'), secret('BLYNK_TOKEN')] } } });
    const onChange = vi.fn();
    const { user } = renderInScope(<Harness onChange={onChange} />);
    const api = await screen.findByRole('checkbox', { name: 'API_KEY' });
    const blynk = screen.getByRole('checkbox', { name: 'BLYNK_TOKEN' });
    expect(screen.getByRole('group', { name: 'Secrets this webhook may use' })).toBeTruthy();
    await user.click(blynk);
    expect(onChange).toHaveBeenLastCalledWith(['BLYNK_TOKEN']);
    await user.click(api);
    expect(onChange).toHaveBeenLastCalledWith(['BLYNK_TOKEN', 'API_KEY']);
    expect((blynk as HTMLInputElement).checked).toBe(true);
    // The usage hint shows the mustache reference of what is selected.
    expect(screen.getByTestId('secret-usage-hint').textContent).toContain('{{{BLYNK_TOKEN}}}');
    await user.click(blynk);
    expect(onChange).toHaveBeenLastCalledWith(['API_KEY']);
  });

  test('offers the create link in a new tab, to the same scope', async () => {
    mockApi({ 'GET /v1/orgs/acme/secrets': { body: { secrets: [] } } });
    renderInScope(<Harness />, { kind: 'org', slug: 'acme', name: 'Acme', role: 'developer' });
    const link = screen.getByRole('link', { name: 'click here to create a new secret' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(link.getAttribute('href')).toBe('/orgs/acme/secrets?create=1');
    expect(await screen.findByText('There are no secrets in this scope yet.')).toBeTruthy();
  });

  test('picks up a secret created in another tab when the window regains focus', async () => {
    let secrets = [secret('API_KEY')];
    const api = mockApi({ 'GET /v1/secrets': () => ({ body: { secrets } }) });
    renderInScope(<Harness initial={['API_KEY']} />);
    await screen.findByRole('checkbox', { name: 'API_KEY' });
    expect(screen.queryByRole('checkbox', { name: 'NEW_TOKEN' })).toBeNull();

    // Created in the other tab; nothing reloads this one.
    secrets = [...secrets, secret('NEW_TOKEN')];
    returnToTab();
    const created = await screen.findByRole('checkbox', { name: 'NEW_TOKEN' });
    expect((created as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('checkbox', { name: 'API_KEY' }) as HTMLInputElement).checked).toBe(true);
    expect(api.calls.filter((c) => c.path === '/v1/secrets').length).toBe(2);
  });

  test('view-only members get the reason instead of the link', async () => {
    mockApi({ 'GET /v1/orgs/acme/secrets': { body: { secrets: [secret('API_KEY')] } } });
    renderInScope(<Harness />, { kind: 'org', slug: 'acme', name: 'Acme', role: 'view-only' });
    await screen.findByRole('checkbox', { name: 'API_KEY' });
    expect(screen.queryByRole('link', { name: 'click here to create a new secret' })).toBeNull();
    expect(screen.getByText(/view-only/)).toBeTruthy();
  });

  test('the single-secret select of templates lists secrets, with the same link', async () => {
    let secrets = [secret('API_KEY')];
    mockApi({ 'GET /v1/secrets': () => ({ body: { secrets } }) });
    const onChange = vi.fn();
    const { user } = renderInScope(<SecretSelect label="Auth token" value={null} onChange={onChange} />);
    expect(screen.getByRole('link', { name: 'click here to create a new secret' }).getAttribute('target')).toBe('_blank');
    secrets = [...secrets, secret('BLYNK_TOKEN')];
    await waitFor(() => expect(screen.getByRole('button', { name: /Auth token/ }).textContent).toContain('Choose a secret'));
    returnToTab();
    await user.click(screen.getByRole('button', { name: /Auth token/ }));
    await user.click(await screen.findByRole('option', { name: 'BLYNK_TOKEN' }));
    expect(onChange).toHaveBeenCalledWith('BLYNK_TOKEN');
  });
  test('filters a long list by name, keeps selected secrets listed and says when nothing matches', async () => {
    const names = Array.from({ length: 42 }, (_, i) => `${['BLYNK', 'STRIPE', 'SLACK'][i % 3]}_TOKEN_${String(i).padStart(2, '0')}`);
    mockApi({ 'GET /v1/secrets': { body: { secrets: names.map((n) => secret(n)) } } });
    const onChange = vi.fn();
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    const { user } = renderInScope(
      <form onSubmit={onSubmit}>
        <Harness initial={['BLYNK_TOKEN_00']} onChange={onChange} />
        <button type="submit">Save</button>
      </form>,
    );
    await screen.findByRole('checkbox', { name: 'SLACK_TOKEN_41' });
    expect(screen.getAllByRole('checkbox')).toHaveLength(42);

    const filter = screen.getByRole('searchbox', { name: 'Filter secrets by name' });
    await user.type(filter, 'stripe');
    const shown = screen.getAllByRole('checkbox').map((c) => c.getAttribute('value'));
    // The 14 STRIPE secrets, and the selected BLYNK one, still selected.
    expect(shown).toHaveLength(15);
    expect(shown.filter((n) => n!.startsWith('STRIPE_'))).toHaveLength(14);
    expect((screen.getByRole('checkbox', { name: 'BLYNK_TOKEN_00' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('secret-filter-status').textContent).toBe('14 of 42 secrets match.');

    // Selecting a filtered one adds to the selection, it does not replace it.
    await user.click(screen.getByRole('checkbox', { name: 'STRIPE_TOKEN_07' }));
    expect(onChange).toHaveBeenLastCalledWith(['BLYNK_TOKEN_00', 'STRIPE_TOKEN_07']);

    // Enter in the filter box does not submit the surrounding form.
    await user.click(filter);
    await user.keyboard('{Enter}');
    expect(onSubmit).not.toHaveBeenCalled();

    await user.clear(filter);
    await user.type(filter, 'nothing-like-this');
    expect(screen.getByTestId('secret-filter-status').textContent).toContain('No secret name contains “nothing-like-this”.');
    expect(screen.getAllByRole('checkbox').map((c) => c.getAttribute('value'))).toEqual(['BLYNK_TOKEN_00', 'STRIPE_TOKEN_07']);

    await user.keyboard('{Escape}');
    expect((filter as HTMLInputElement).value).toBe('');
    expect(screen.getAllByRole('checkbox')).toHaveLength(42);
  });
});

