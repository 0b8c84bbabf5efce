import { useLedgers } from '../ledger/ledger-queries.ts';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import type { TriggerDraft } from './logic-draft.ts';

const CHANGE_TYPES = [
  { id: 'set', label: 'Set (created, replaced or merged)' },
  { id: 'delete', label: 'Delete' },
];

/** A LedgerChange trigger's fields: which of the owner's ledgers, set or delete, and optionally one instance. */
export function LedgerTriggerFields(props: {
  readonly trigger: TriggerDraft;
  readonly n: number;
  readonly error: string | null;
  readonly update: (patch: Partial<TriggerDraft>) => void;
  readonly isDisabled?: boolean;
}) {
  const { trigger: t, n, update, isDisabled } = props;
  const ledgers = useLedgers();
  const options = (ledgers.data ?? []).map((l) => ({ id: l.name, label: l.name }));
  // A trigger saved for a ledger archived since keeps showing its name.
  if (t.ledger_name && !options.some((o) => o.id === t.ledger_name)) options.push({ id: t.ledger_name, label: t.ledger_name });
  const placeholder = ledgers.isPending ? 'Loading ledgers…' : options.length ? 'Choose a ledger' : 'No ledgers: create one on the Ledger page';
  return (
    <div className="grid-2">
      <SelectInput
        label={`Trigger ${n} ledger`}
        options={options}
        value={t.ledger_name || null}
        onChange={(ledger_name) => update({ ledger_name })}
        placeholder={placeholder}
        description="The run gets ledgerChange (name, scope, data) instead of event."
        error={props.error}
        isDisabled={isDisabled}
      />
      <SelectInput
        label={`Trigger ${n} change`}
        options={CHANGE_TYPES}
        value={t.change_type}
        onChange={(change_type) => update({ change_type: change_type === 'delete' ? 'delete' : 'set' })}
        isDisabled={isDisabled}
      />
      <TextInput
        label={`Trigger ${n} instance`}
        value={t.instance_scope}
        onChange={(instance_scope) => update({ instance_scope })}
        description="Optional: one instance's scope value (a product or device id); empty for every instance."
        isDisabled={isDisabled}
        mono
      />
    </div>
  );
}
