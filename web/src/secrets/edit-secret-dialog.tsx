import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { secretValueProblem, shortValueWarning } from '../../../src/secrets/secret-name-fns.ts';
import { messageOf } from '../api/http.ts';
import { secretsApi } from '../api/secrets-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { AppDialog } from '../ui/app-dialog.tsx';
import { Notice } from '../ui/notice.tsx';
import { PasswordInput } from '../ui/password-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import type { FocusTarget } from '../ui/use-return-focus.ts';
import { ValueHelp } from './create-secret-dialog.tsx';
import { useInvalidateSecrets } from './secret-queries.ts';

export interface EditSecretDialogProps {
  readonly name: string | null;
  readonly onClose: () => void;
  readonly onSaved: (name: string) => void;
  readonly returnFocusTo?: FocusTarget;
}

/** Replaces a secret's value. The old value is never shown (the API cannot return it). */
export function EditSecretDialog(props: EditSecretDialogProps) {
  const { prefix } = useScope();
  const invalidate = useInvalidateSecrets();
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const { formRef, focusInvalid } = useFocusInvalid();
  const name = props.name ?? '';

  const reset = () => {
    setValue('');
    setTouched(false);
    setError(null);
    setWarning(null);
  };
  const close = () => {
    reset();
    props.onClose();
  };
  const done = () => {
    reset();
    props.onSaved(name);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (secretValueProblem(value)) {
      focusInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await secretsApi.replace(prefix, name, value);
      setValue('');
      await invalidate();
      if (result.warning) setWarning(result.warning);
      else done();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppDialog
      returnFocusTo={props.returnFocusTo}
      title={`Edit secret ${name}`}
      isOpen={props.name !== null}
      onOpenChange={(open) => (open ? undefined : warning ? done() : close())}
      testId="edit-secret-dialog"
    >
      {warning ? (
        <>
          <Notice tone="warning" title={`Secret ${name} updated`}>
            {warning}
          </Notice>
          <div className="dialog-actions">
            <Button className="btn btn-primary" onPress={done} autoFocus>
              Done
            </Button>
          </div>
        </>
      ) : (
        <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria">
          <p className="dialog-text">
            The current value is never shown. Enter a new value to replace it: every integration and Logic function
            using <code>{name}</code> uses the new value from its next run.
          </p>
          <PasswordInput
            label="New value"
            value={value}
            onChange={(v) => {
              setValue(v);
              setTouched(true);
            }}
            error={touched ? secretValueProblem(value) : null}
            description={value && shortValueWarning(value) ? <ValueHelp value={value} /> : undefined}
            isRequired
            autoFocus
          />
          {error ? <Notice tone="error">{error}</Notice> : null}
          <div className="dialog-actions">
            <Button className="btn btn-secondary" onPress={close}>
              Cancel
            </Button>
            <Button type="submit" className="btn btn-primary" isPending={busy}>
              Save new value
            </Button>
          </div>
        </Form>
      )}
    </AppDialog>
  );
}
