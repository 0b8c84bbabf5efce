import type { Secret } from '../api/types.ts';
import { applyListQuery, type SecretListQuery } from '../../../src/secrets/secret-consumer-fns.ts';
import { SelectInput } from '../ui/select-input.tsx';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';

export type SecretSort = 'name' | 'accessed-oldest' | 'accessed-newest';

export interface SecretListView {
  readonly sort: SecretSort;
  /** Only secrets not accessed for 30 days or more (never accessed included). */
  readonly unusedOnly: boolean;
}

export const DEFAULT_LIST_VIEW: SecretListView = { sort: 'name', unusedOnly: false };

const SORTS: ReadonlyArray<{ id: SecretSort; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'accessed-oldest', label: 'Last accessed, oldest first' },
  { id: 'accessed-newest', label: 'Last accessed, newest first' },
];

const QUERIES: Record<SecretSort, SecretListQuery> = {
  name: { sort: 'name' },
  'accessed-oldest': { sort: 'last_accessed', order: 'asc' },
  'accessed-newest': { sort: 'last_accessed', order: 'desc' },
};

/** The secrets to show, with the server's rule for "unused" (never accessed counts as the oldest). */
export function viewSecrets(secrets: readonly Secret[], view: SecretListView, now: Date = new Date()): readonly Secret[] {
  // By name, unfiltered: the server's order as it is.
  if (view.sort === 'name' && !view.unusedOnly) return secrets;
  return applyListQuery(secrets, { ...QUERIES[view.sort], ...(view.unusedOnly ? { unusedDays: 30 } : {}) }, now);
}

/** Sort by name or last access, and "unused for 30+ days", above the secrets table. */
export function SecretsListControls(props: { readonly view: SecretListView; readonly onChange: (view: SecretListView) => void }) {
  const { view } = props;
  return (
    <div className="toolbar toolbar-wrap" role="group" aria-label="Sort and filter secrets">
      <SelectInput
        label="Sort by"
        className="field field-inline"
        options={SORTS}
        value={view.sort}
        onChange={(id) => props.onChange({ ...view, sort: id as SecretSort })}
        testId="secrets-sort"
      />
      <ToggleSwitch label="Unused for 30+ days" isSelected={view.unusedOnly} onChange={(on) => props.onChange({ ...view, unusedOnly: on })} />
    </div>
  );
}
