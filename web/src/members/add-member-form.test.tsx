// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { mockApi } from '../test/fetch-mock.ts';
import { renderInScope } from '../test/render-app.tsx';
import { AddMemberForm } from './add-member-form.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('add member form', () => {
  test('without an email, marks the field invalid and moves focus to it', async () => {
    const api = mockApi({});
    const onAdded = vi.fn(async () => {});
    const { user } = renderInScope(<AddMemberForm slug="acme" isDisabled={false} onAdded={onAdded} />);
    await user.click(screen.getByRole('button', { name: 'Add member' }));
    const email = screen.getByRole('textbox', { name: /^Member's email/ });
    await waitFor(() => expect(document.activeElement).toBe(email));
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText("The member's email is required")).toBeTruthy();
    expect(api.writes()).toHaveLength(0);
    await user.keyboard('b@example.com');
    expect(email.getAttribute('aria-invalid')).toBeNull();
  });
});
