import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { messageOf } from '../api/http.ts';
import { orgApi } from '../api/org-api.ts';
import type { OrgRole } from '../api/types.ts';
import { Notice } from '../ui/notice.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';

export const ROLE_OPTIONS = [
  { id: 'administrator', label: 'Administrator' },
  { id: 'developer', label: 'Developer' },
  { id: 'view-only', label: 'View-only' },
] as const;

export const ROLE_HELP =
  'Administrators manage members and read the audit; developers create and change secrets, integrations and Logic; view-only members can only look.';

/** Adds an existing user to the organization with a role. */
export function AddMemberForm(props: { readonly slug: string; readonly isDisabled: boolean; readonly reasonId?: string; readonly onAdded: (username: string) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<OrgRole>('developer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [emailError, setEmailError] = useState<string | null>(null);
  const { formRef, focusInvalid } = useFocusInvalid();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim()) {
      setEmailError("The member's email is required");
      focusInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    setEmailError(null);
    try {
      await orgApi.addMember(props.slug, username.trim(), role);
      await props.onAdded(username.trim());
      setUsername('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria" aria-label="Add a member">
      <div className="grid-2">
        <TextInput
          label="Member's email"
          type="email"
          value={username}
          onChange={(v) => {
            setUsername(v);
            if (v.trim()) setEmailError(null);
          }}
          error={emailError}
          isRequired
          isDisabled={props.isDisabled}
          autoComplete="off"
          description="The email the person signs in with; they must already have a Hush account."
        />
        <SelectInput
          label="Role"
          options={ROLE_OPTIONS}
          value={role}
          onChange={(r) => setRole(r as OrgRole)}
          isDisabled={props.isDisabled}
          description={ROLE_HELP}
        />
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="row-actions">
        <Button type="submit" className="btn btn-primary" isPending={busy} isDisabled={props.isDisabled} aria-describedby={props.reasonId}>
          Add member
        </Button>
      </div>
    </Form>
  );
}
