// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { secretNameProblem } from '../../../src/secrets/secret-name-fns.ts';
import { mockApi, secret } from '../test/fetch-mock.ts';
import { renderInScope } from '../test/render-app.tsx';
import { CreateSecretDialog } from './create-secret-dialog.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function nameInput() {
  return screen.getByRole('textbox', { name: /^Name/ });
}

function setup() {
  const api = mockApi({ 'GET /v1/secrets': { body: { secrets: [] } } });
  const onCreated = vi.fn();
  const view = renderInScope(<CreateSecretDialog isOpen onClose={() => {}} onCreated={onCreated} />);
  return { api, onCreated, ...view };
}

describe('create secret dialog', () => {
  test('validates the name as you type with the shared rule and message', async () => {
    const { user } = setup();
    const input = nameInput();
    expect(input.getAttribute('aria-invalid')).toBeNull();

    await user.type(input, 'blynk');
    expect((input as HTMLInputElement).value).toBe('BLYNK');
    expect(input.getAttribute('aria-invalid')).toBeNull();

    await user.clear(input);
    await user.type(input, 'B$');
    expect(screen.getByText(secretNameProblem('B$')!)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await user.clear(input);
    await user.type(input, '1ABC');
    expect(screen.getByText(secretNameProblem('1ABC')!)).toBeTruthy();

    await user.clear(input);
    expect(screen.getByText(secretNameProblem('')!)).toBeTruthy();

    await user.type(input, 'BLYNK_TOKEN');
    expect(secretNameProblem('BLYNK_TOKEN')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByText(secretNameProblem('B$')!)).toBeNull();

    await user.paste('X'.repeat(130));
    expect(screen.getByText(secretNameProblem('X'.repeat(141))!)).toBeTruthy();
  });

  test('says the value cannot be seen again, and the value field is masked until shown', async () => {
    const { user } = setup();
    expect(screen.getByText(/cannot be seen again/)).toBeTruthy();
    const value = screen.getByLabelText(/^Value/) as HTMLInputElement;
    expect(value.type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Show value' }));
    expect(value.type).toBe('text');
  });

  test('does not send an invalid name', async () => {
    const { user, api } = setup();
    await user.type(nameInput(), 'bad.name');
    await user.type(screen.getByLabelText(/^Value/), 'long enough value');
    await user.click(screen.getByRole('button', { name: 'Create secret' }));
    expect(api.writes()).toHaveLength(0);
  });

  test('an invalid submit moves focus to the first invalid field, not the submit button', async () => {
    const { user, api } = setup();
    await user.click(screen.getByRole('button', { name: 'Create secret' }));
    await waitFor(() => expect(document.activeElement).toBe(nameInput()));
    expect(nameInput().getAttribute('aria-invalid')).toBe('true');
    // Name fixed: the next refused submit lands on the value.
    await user.type(nameInput(), 'API_KEY');
    await user.click(screen.getByRole('button', { name: 'Create secret' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/^Value/)));
    expect(api.writes()).toHaveLength(0);
  });

  test('shows the short-value warning returned by the API', async () => {
    const { user, api, onCreated } = setup();
    api.on('POST /v1/secrets', {
      status: 201,
      body: { secret: secret('PIN'), warning: 'Values shorter than 8 characters are masked everywhere' },
    });
    await user.type(nameInput(), 'PIN');
    await user.type(screen.getByLabelText(/^Value/), '1234');
    await user.click(screen.getByRole('button', { name: 'Create secret' }));
    await screen.findByText('Values shorter than 8 characters are masked everywhere');
    expect(api.writes()[0]!.body).toEqual({ name: 'PIN', value: '1234' });
    expect(onCreated).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('PIN'));
  });

  test('warns about a short value while it is typed, and still allows saving it', async () => {
    const { user } = setup();
    const value = screen.getByLabelText(/^Value/);
    await user.type(value, '1234');
    const warning = screen.getByTestId('short-value-warning');
    expect(warning.textContent).toMatch(/shorter than 8 characters/);
    // Part of the field's description, so screen readers hear it with the field.
    const described = (value.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    expect(described.join(' ')).toMatch(/shorter than 8 characters/);
    expect(value.getAttribute('aria-invalid')).toBeNull();
    await user.type(value, '5678');
    expect(screen.queryByTestId('short-value-warning')).toBeNull();
  });

  test('typed letters become uppercase, spaces and dashes underscores', async () => {
    const { user } = setup();
    await user.type(nameInput(), 'auth-key x9');
    expect((nameInput() as HTMLInputElement).value).toBe('AUTH_KEY_X9');
  });

  test('a name already in use is refused on the Name field, which gets focus, until the name changes', async () => {
    const { user, api } = setup();
    api.on('POST /v1/secrets', { status: 400, body: { ok: false, error: 'Failed to create secret: Name already in use', field: 'name' } });
    await user.type(nameInput(), 'TAKEN');
    await user.type(screen.getByLabelText(/^Value/), 'long enough value');
    await user.click(screen.getByRole('button', { name: 'Create secret' }));
    await waitFor(() => expect(nameInput().getAttribute('aria-invalid')).toBe('true'));
    const described = (nameInput().getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    expect(described.join(' ')).toContain('Name already in use');
    await waitFor(() => expect(document.activeElement).toBe(nameInput()));
    expect(screen.queryByRole('alert')).toBeNull();
    await user.type(nameInput(), '2');
    expect(nameInput().getAttribute('aria-invalid')).toBeNull();
  });

  test('shows any other server error below the form', async () => {
    const { user, api } = setup();
    api.on('POST /v1/secrets', { status: 403, body: { ok: false, error: 'Permission denied' } });
    await user.type(nameInput(), 'FINE');
    await user.type(screen.getByLabelText(/^Value/), 'long enough value');
    await user.click(screen.getByRole('button', { name: 'Create secret' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Permission denied');
  });
});
