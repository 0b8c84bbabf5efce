import { useEffect, useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components/Form';
import { ENV_KEY_PATTERN, ENV_VALUE_MAX_BYTES } from '../../../src/env/env-rules.ts';
import { envApi } from '../api/env-api.ts';
import { useAction } from '../ui/use-action.ts';
import { AppDialog } from '../ui/app-dialog.tsx';
import { DialogActions } from '../ui/dialog-actions.tsx';
import { Notice } from '../ui/notice.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import type { FocusTarget } from '../ui/use-return-focus.ts';
import { useInvalidateEnv } from './env-queries.ts';

/** The API's key rule, checked as the key is typed. */
export function envKeyProblem(key: string): string | null {
  if (!key) return 'Key is required';
  if (!ENV_KEY_PATTERN.test(key)) return 'Start with a letter or underscore; only letters, digits and underscores (at most 64 characters)';
  return null;
}

export function envValueProblem(value: string): string | null {
  const size = new TextEncoder().encode(value).length;
  return size > ENV_VALUE_MAX_BYTES ? `The value is ${size} bytes; at most ${ENV_VALUE_MAX_BYTES} are allowed` : null;
}

export interface EnvVarDialogProps {
  readonly base: string;
  /** null: closed; `key: ''`: add a variable; else edit that one. */
  readonly editing: { readonly key: string; readonly value: string } | null;
  readonly onClose: () => void;
  readonly onSaved: (key: string) => void;
  readonly returnFocusTo?: FocusTarget;
}

/** Add or edit one variable (`PUT …/env/:key`). Values are configuration, shown as they are. */
export function EnvVarDialog(props: EnvVarDialogProps) {
  const invalidate = useInvalidateEnv();
  const adding = props.editing?.key === '';
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, setError, run } = useAction();
  const { formRef, focusInvalid } = useFocusInvalid();
  useEffect(() => {
    setKey(props.editing?.key ?? '');
    setValue(props.editing?.value ?? '');
    setTouched(false);
    setError(null);
  }, [props.editing]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (envKeyProblem(key) || envValueProblem(value)) {
      focusInvalid();
      return;
    }
    await run(async () => {
      await envApi.set(props.base, key, value);
      await invalidate();
      props.onSaved(key);
    });
  };

  return (
    <AppDialog
      title={adding ? 'Add environment variable' : `Edit ${props.editing?.key ?? ''}`}
      isOpen={props.editing !== null}
      onOpenChange={(open) => (open ? undefined : props.onClose())}
      testId="env-var-dialog"
      returnFocusTo={props.returnFocusTo}
    >
      <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria">
        <TextInput
          label="Key"
          value={key}
          onChange={setKey}
          error={touched || key ? envKeyProblem(key) : null}
          description="Letters, digits and underscores; it cannot begin with a digit. Example: API_BASE_URL"
          isRequired
          isDisabled={!adding}
          autoFocus={adding}
          autoComplete="off"
          mono
        />
        <TextInput
          label="Value"
          value={value}
          onChange={setValue}
          error={envValueProblem(value)}
          description="Readable by everyone who can see this page and by Logic functions that use environment variables. Use a secret for passwords and tokens."
          autoFocus={!adding}
          autoComplete="off"
          mono
        />
        <Notice tone="info">Logic functions see the change after the next rollout.</Notice>
        {error ? <Notice tone="error">{error}</Notice> : null}
        <DialogActions onCancel={props.onClose} submitLabel={adding ? 'Add variable' : 'Save'} busy={busy} />
      </Form>
    </AppDialog>
  );
}
