import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components/Form';
import { DESCRIPTION_MAX, LEDGER_NAME_PATTERN } from '../../../src/ledger/ledger-rules.ts';
import { ledgerApi, type LedgerDirection, type LedgerScope } from '../api/ledger-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { useAction } from '../ui/use-action.ts';
import { AppDialog } from '../ui/app-dialog.tsx';
import { DialogActions } from '../ui/dialog-actions.tsx';
import { ChoiceGroup } from '../ui/choice-group.tsx';
import { Notice } from '../ui/notice.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import { useInvalidateLedgers } from './ledger-queries.ts';

export const SCOPE_CHOICES: ReadonlyArray<{ id: LedgerScope; label: string }> = [
  { id: 'Owner', label: 'Owner' },
  { id: 'Product', label: 'Product' },
  { id: 'Device', label: 'Device' },
];
export const KIND_CHOICES: ReadonlyArray<{ id: LedgerDirection; label: string }> = [
  { id: 'CloudOnly', label: 'Cloud only' },
  { id: 'Downstream', label: 'Cloud to device' },
  { id: 'Upstream', label: 'Device to cloud' },
];
export const kindLabel = (d: LedgerDirection) => KIND_CHOICES.find((k) => k.id === d)?.label ?? d;

export function ledgerNameProblem(name: string): string | null {
  if (!name) return 'Name is required';
  return LEDGER_NAME_PATTERN.test(name) ? null : '1 to 32 lowercase letters, digits or dashes';
}

/** Name, description, scope and kind of a new ledger. */
export function CreateLedgerDialog(props: { readonly isOpen: boolean; readonly onClose: () => void; readonly onCreated: (name: string) => void }) {
  const { prefix } = useScope();
  const invalidate = useInvalidateLedgers();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [scope, setScope] = useState<LedgerScope>('Owner');
  const [direction, setDirection] = useState<LedgerDirection>('CloudOnly');
  const [touched, setTouched] = useState(false);
  const { busy, error, setError, run } = useAction();
  const { formRef, focusInvalid } = useFocusInvalid();
  const close = () => {
    setName('');
    setDescription('');
    setScope('Owner');
    setDirection('CloudOnly');
    setTouched(false);
    setError(null);
    props.onClose();
  };
  const descriptionError = description.length > DESCRIPTION_MAX ? `At most ${DESCRIPTION_MAX} characters` : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (ledgerNameProblem(name) || descriptionError) {
      focusInvalid();
      return;
    }
    await run(async () => {
      await ledgerApi.create(prefix, { name, description, scope, direction });
      await invalidate();
      close();
      props.onCreated(name);
    });
  };
  return (
    <AppDialog title="Create ledger" isOpen={props.isOpen} onOpenChange={(open) => (open ? undefined : close())} testId="create-ledger-dialog">
      <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria">
        <TextInput
          label="Name"
          value={name}
          onChange={setName}
          error={touched || name ? ledgerNameProblem(name) : null}
          description="Lowercase letters, digits and dashes, at most 32. Example: device-settings"
          isRequired
          autoFocus
          autoComplete="off"
          mono
        />
        <TextInput label="Description" value={description} onChange={setDescription} error={descriptionError} multiline rows={2} />
        <ChoiceGroup label="Scope" choices={SCOPE_CHOICES} value={scope} onChange={setScope} description="One instance for the owner, one per product, or one per device." />
        <ChoiceGroup label="Kind" choices={KIND_CHOICES} value={direction} onChange={setDirection} description="Cloud only holds up to 1 MiB; the device kinds up to 16 KiB. Device to cloud ledgers cannot be written from the cloud." />
        {error ? <Notice tone="error">{error}</Notice> : null}
        <DialogActions onCancel={close} submitLabel="Create ledger" busy={busy} />
      </Form>
    </AppDialog>
  );
}
