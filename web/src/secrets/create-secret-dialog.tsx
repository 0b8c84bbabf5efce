import { useState, type FormEvent, type ReactNode } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { secretNameProblem, secretValueProblem, shortValueWarning } from '../../../src/secrets/secret-name-fns.ts';
import { ApiError, messageOf } from '../api/http.ts';
import { secretsApi } from '../api/secrets-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { AppDialog } from '../ui/app-dialog.tsx';
import { Notice } from '../ui/notice.tsx';
import { PasswordInput } from '../ui/password-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import { useInvalidateSecrets } from './secret-queries.ts';

export interface CreateSecretDialogProps {
  readonly isOpen: boolean;
  readonly onClose: () => void;
  /** Called once the secret exists (after the warning, if any, was acknowledged). */
  readonly onCreated: (name: string) => void;
}

/** The value field's help, with the short-value warning as soon as it applies (saving is still allowed). */
export function ValueHelp(props: { readonly value: string; readonly children?: ReactNode }) {
  const short = props.value ? shortValueWarning(props.value) : null;
  if (!short && !props.children) return null;
  return (
    <>
      {props.children}
      {short ? <span className="field-warning" data-testid="short-value-warning">{short}.</span> : null}
    </>
  );
}

/** A typed name as a secret name could be: `auth-key` becomes `AUTH_KEY` (other characters are left for the rule to name). */
export const asSecretName = (typed: string): string => typed.toUpperCase().replace(/[\s-]/g, '_');

/**
 * Name + value. The name is checked as it is typed with the same rule and message as the
 * API; the value is write-only, which the dialog says before saving.
 */
export function CreateSecretDialog(props: CreateSecretDialogProps) {
  const { prefix } = useScope();
  const invalidate = useInvalidateSecrets();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [valueTouched, setValueTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The server's refusal of the name (already in use): shown on the Name field until it changes. */
  const [nameRefused, setNameRefused] = useState<string | null>(null);
  const [warning, setWarning] = useState<{ name: string; text: string } | null>(null);
  const { formRef, focusInvalid } = useFocusInvalid();

  const reset = () => {
    setName('');
    setValue('');
    setNameTouched(false);
    setValueTouched(false);
    setError(null);
    setNameRefused(null);
    setWarning(null);
  };
  const close = () => {
    reset();
    props.onClose();
  };
  const nameError = nameTouched ? (secretNameProblem(name) ?? nameRefused) : null;
  const valueError = valueTouched ? secretValueProblem(value) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNameTouched(true);
    setValueTouched(true);
    if (secretNameProblem(name) || secretValueProblem(value)) {
      focusInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await secretsApi.create(prefix, name, value);
      setValue('');
      await invalidate();
      if (result.warning) setWarning({ name, text: result.warning });
      else {
        reset();
        props.onCreated(name);
      }
    } catch (err) {
      if (err instanceof ApiError && (err.body as { field?: unknown } | null)?.field === 'name') {
        setNameRefused(messageOf(err));
        focusInvalid();
      } else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const finishWithWarning = () => {
    const created = warning?.name ?? name;
    reset();
    props.onCreated(created);
  };

  return (
    <AppDialog
      title="Create secret"
      isOpen={props.isOpen}
      onOpenChange={(open) => (open ? undefined : warning ? finishWithWarning() : close())}
      testId="create-secret-dialog"
    >
      {warning ? (
        <>
          <Notice tone="warning" title={`Secret ${warning.name} created`}>
            {warning.text}
          </Notice>
          <div className="dialog-actions">
            <Button className="btn btn-primary" onPress={finishWithWarning} autoFocus>
              Done
            </Button>
          </div>
        </>
      ) : (
        <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria">
          <TextInput
            label="Name"
            value={name}
            onChange={(v) => {
              setName(asSecretName(v));
              setNameTouched(true);
              setNameRefused(null);
            }}
            error={nameError}
            description="Uppercase letters, numbers and underscores; it cannot begin with a number. Typed letters become uppercase, spaces and dashes underscores. Example: BLYNK_TOKEN"
            isRequired
            autoFocus
            autoComplete="off"
            mono
          />
          <PasswordInput
            label="Value"
            value={value}
            onChange={(v) => {
              setValue(v);
              setValueTouched(true);
            }}
            error={valueError}
            description={<ValueHelp value={value}>The password, API key or token.</ValueHelp>}
            isRequired
          />
          <Notice tone="info">
            Once you save it, the value cannot be seen again — not by you, not by anyone. You can replace it later.
          </Notice>
          {error ? <Notice tone="error">{error}</Notice> : null}
          <div className="dialog-actions">
            <Button className="btn btn-secondary" onPress={close}>
              Cancel
            </Button>
            <Button type="submit" className="btn btn-primary" isPending={busy}>
              Create secret
            </Button>
          </div>
        </Form>
      )}
    </AppDialog>
  );
}
