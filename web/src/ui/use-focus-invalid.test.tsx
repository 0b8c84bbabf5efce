// @vitest-environment happy-dom
import '../test/happy-dom-fixes.ts';
import { useState, type FormEvent } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { SelectInput } from './select-input.tsx';
import { TextInput } from './text-input.tsx';
import { focusFirstInvalid, useFocusInvalid } from './use-focus-invalid.ts';

afterEach(cleanup);

/** A form with a valid text field, a required select and a required text field, in that order. */
function Harness() {
  const [submitted, setSubmitted] = useState(false);
  const [color, setColor] = useState<string | null>(null);
  const [city, setCity] = useState('');
  const { formRef, focusInvalid } = useFocusInvalid();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!color || !city) focusInvalid();
  };
  return (
    <Form ref={formRef} onSubmit={submit} validationBehavior="aria" aria-label="Harness">
      <TextInput label="Note" value="fine" onChange={() => {}} />
      <SelectInput
        label="Color"
        options={[{ id: 'red', label: 'Red' }]}
        value={color}
        onChange={setColor}
        error={submitted && !color ? 'Color is required' : null}
      />
      <TextInput label="City" value={city} onChange={setCity} error={submitted && !city ? 'City is required' : null} />
      <Button type="submit">Save</Button>
    </Form>
  );
}

describe('useFocusInvalid', () => {
  test('focuses the first invalid field in document order, a select trigger included', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: /Color/ })));
    await user.click(screen.getByRole('button', { name: /Color/ }));
    await user.click(await screen.findByRole('option', { name: 'Red' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'City' })));
  });
});

test('reaches an editable area in an open shadow root inside an invalid field (the code editor)', () => {
  const form = document.createElement('form');
  const field = document.createElement('div');
  field.setAttribute('data-invalid', 'true');
  const host = document.createElement('div');
  const editable = document.createElement('div');
  editable.setAttribute('contenteditable', 'true');
  host.attachShadow({ mode: 'open' }).append(editable);
  field.append(host);
  form.append(field);
  document.body.append(form);
  expect(focusFirstInvalid(form)).toBe(true);
  expect(host.shadowRoot?.activeElement).toBe(editable);
  form.remove();
});
