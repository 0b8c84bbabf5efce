import type { Secret } from '../api/types.ts';
import { applyListQuery, type SecretListQuery } from '../../../src/secrets/secret-consumer-fns.ts';
import { ListToolbar } from '../ui/list-toolbar.tsx';
import { viewList, type ListViewConfig } from '../ui/list-view.ts';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';

export type SecretSort = 'name' | 'accessed-oldest' | 'accessed-newest';

export interface SecretListView {
  readonly sort: SecretSort;
  /** Only secrets not accessed for 30 days or more (never accessed included). */
  readonly unusedOnly: boolean;
  /** Part of the name, any case. */
  readonly query: string;
}

export const DEFAULT_LIST_VIEW: SecretListView = { sort: 'name', unusedOnly: false, query: '' };

/** The orders; the two by last access follow the server's rule, so they are applied by applyListQuery. */
const SEARCH: ListViewConfig<Secret> = {
  words: (s) => [s.name],
  sorts: [
    { id: 'name', label: 'Name' },
    { id: 'accessed-oldest', label: 'Last accessed, oldest first' },
    { id: 'accessed-newest', label: 'Last accessed, newest first' },
  ],
};

const QUERIES: Record<SecretSort, SecretListQuery> = {
  name: { sort: 'name' },
  'accessed-oldest': { sort: 'last_accessed', order: 'asc' },
  'accessed-newest': { sort: 'last_accessed', order: 'desc' },
};

/** The secrets to show, with the server's rule for "unused" (never accessed counts as the oldest). */
export function viewSecrets(secrets: readonly Secret[], view: SecretListView, now: Date = new Date()): readonly Secret[] {
  const found = viewList(secrets, SEARCH, view.query, 'name');
  // By name, unfiltered: the server's order as it is.
  if (view.sort === 'name' && !view.unusedOnly) return found;
  return applyListQuery(found, { ...QUERIES[view.sort], ...(view.unusedOnly ? { unusedDays: 30 } : {}) }, now);
}

/** Search, sort by name or last access, and "unused for 30+ days", above the secrets table. */
export function SecretsListControls(props: {
  readonly view: SecretListView;
  readonly onChange: (view: SecretListView) => void;
  readonly shown: number;
  readonly total: number;
}) {
  const { view } = props;
  return (
    <ListToolbar
      noun="secrets"
      one="secret"
      query={view.query}
      onQuery={(query) => props.onChange({ ...view, query })}
      sorts={SEARCH.sorts}
      sort={view.sort}
      onSort={(id) => props.onChange({ ...view, sort: id as SecretSort })}
      shown={props.shown}
      total={props.total}
      testId="secrets"
    >
      <ToggleSwitch label="Unused for 30+ days" isSelected={view.unusedOnly} onChange={(on) => props.onChange({ ...view, unusedOnly: on })} />
    </ListToolbar>
  );
}
