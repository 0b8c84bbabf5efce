import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { ACTION_FAMILIES, actionLabel, actionsOf } from './audit-labels.ts';

/** The filters as they stand in the page's URL (`?actor=&action=&target=&outcome=&within=`). */
export interface AuditFilterValues {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly outcome: string;
  readonly within: string;
}

export const FILTER_KEYS = ['actor', 'action', 'target', 'outcome', 'within'] as const;

/** The time choices, as milliseconds back from now. */
export const WITHIN: Readonly<Record<string, { readonly label: string; readonly ms: number }>> = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
};

const ANY = 'any';
const actionOptions = [
  { id: ANY, label: 'Any action' },
  ...ACTION_FAMILIES.flatMap((f) => [
    { id: f.id, label: `${f.label}: any` },
    ...actionsOf(f.id).map((a) => ({ id: a, label: `${f.label}: ${actionLabel(a)}` })),
  ]),
];
const outcomeOptions = [{ id: ANY, label: 'Any outcome' }, { id: 'ok', label: 'OK' }, { id: 'denied', label: 'Denied' }];
const withinOptions = [{ id: ANY, label: 'Any time' }, ...Object.entries(WITHIN).map(([id, w]) => ({ id, label: w.label }))];

/** Actor, action, target, outcome and time filters, applied together (Apply) or all cleared. */
export function AuditFilters(props: { readonly value: AuditFilterValues; readonly onApply: (v: AuditFilterValues) => void }) {
  const [draft, setDraft] = useState(props.value);
  const set = (key: keyof AuditFilterValues) => (v: string) => setDraft((d) => ({ ...d, [key]: v === ANY ? '' : v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onApply({ ...draft, actor: draft.actor.trim(), target: draft.target.trim() });
  };
  const empty: AuditFilterValues = { actor: '', action: '', target: '', outcome: '', within: '' };
  return (
    <Form className="filter-bar" onSubmit={submit} aria-label="Filter the audit trail" data-testid="audit-filters">
      <TextInput label="Actor" value={draft.actor} onChange={set('actor')} placeholder="email or user id" type="search" />
      <SelectInput label="Action" options={actionOptions} value={draft.action || ANY} onChange={set('action')} />
      <TextInput label="Target" value={draft.target} onChange={set('target')} placeholder="part of a name" type="search" />
      <SelectInput label="Outcome" options={outcomeOptions} value={draft.outcome || ANY} onChange={set('outcome')} />
      <SelectInput label="Time" options={withinOptions} value={draft.within || ANY} onChange={set('within')} />
      <div className="filter-actions">
        <Button type="submit" className="btn btn-primary">Apply filters</Button>
        <Button
          className="btn btn-secondary"
          onPress={() => {
            setDraft(empty);
            props.onApply(empty);
          }}
        >
          Clear
        </Button>
      </div>
    </Form>
  );
}
