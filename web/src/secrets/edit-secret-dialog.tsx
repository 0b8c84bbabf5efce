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
import { PendingValuePanel } from './pending-value-panel.tsx';
import { useInvalidateSecrets } from './secret-queries.ts';

/** What an Edit dialog did: saved a value for use now, saved it as pending, promoted or discarded the pending one. */
export type EditOutcome = 'now' | 'pending' | 'promoted' | 'discarded';

export interface EditSecretDialogProps {
  readonly name: string | null;
  readonly onClose: () => void;
  readonly onSaved: (name: string, outcome: EditOutcome) => void;
  readonly returnFocusTo?: FocusTarget;
}

/**
 * Replaces a secret's value, now or as a pending value to test first (staged rotation), and
 * promotes or discards a pending one. No value is ever shown (the API cannot return one).
 */
export function EditSecretDialog(props: EditSecretDialogProps) {
  const { prefix } = useScope();
  const invalidate = useInvalidateSecrets();
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [savedAs, setSavedAs] = useState<'now' | 'pending'>('now');
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
  const done = (outcome: EditOutcome = savedAs) => {
    reset();
    props.onSaved(name, outcome);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save('now');
  };
  const save = async (mode: 'now' | 'pending') => {
    setTouched(true);
    if (secretValueProblem(value)) {
      focusInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await secretsApi.replace(prefix, name, value, { pending: mode === 'pending' });
      setValue('');
      setSavedAs(mode);
      await invalidate();
      if (result.warning) setWarning(result.warning);
      else done(mode);
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
          <Notice tone="warning" title={savedAs === 'pending' ? `Pending value of ${name} saved` : `Secret ${name} updated`}>
            {warning}
          </Notice>
          <div className="dialog-actions">
            <Button className="btn btn-primary" onPress={() => done()} autoFocus>
              Done
            </Button>
          </div>
        </>
      ) : (
        <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria">
          <p className="dialog-text">
            The current value is never shown. <strong>Save and use now</strong> replaces it: every integration and Logic
            function using <code>{name}</code> uses the new value from its next run. <strong>Save as pending, test first</strong>{' '}
            keeps the current value in use until you promote the new one; test it with an integration's test send or a Logic
            test run set to use pending values.
          </p>
          <PendingValuePanel name={name} onDone={(what) => done(what)} />
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
            <Button className="btn btn-secondary" isPending={busy} onPress={() => void save('pending')} data-testid="save-pending">
              Save as pending, test first
            </Button>
            <Button type="submit" className="btn btn-primary" isPending={busy}>
              Save and use now
            </Button>
          </div>
        </Form>
      )}
    </AppDialog>
  );
}
