import type { ReactNode } from 'react';
import { SearchField, Input, Label } from 'react-aria-components/SearchField';
import { Button } from 'react-aria-components/Button';
import type { ListSort, ListView } from './list-view.ts';
import { SelectInput } from './select-input.tsx';
import { NoMatch } from './states.tsx';

export interface ListToolbarProps {
  /** What the list holds, in the plural ("secrets"): names the group and the search field. */
  readonly noun: string;
  /** The singular ("secret"), for a count of one. */
  readonly one: string;
  readonly query: string;
  readonly onQuery: (query: string) => void;
  readonly sorts: readonly Pick<ListSort<unknown>, 'id' | 'label'>[];
  readonly sort: string;
  readonly onSort: (sort: string) => void;
  /** How many items are shown of how many loaded, announced as the search narrows the list. */
  readonly shown: number;
  readonly total: number;
  /** Filters of this list (the secrets' "unused" switch). */
  readonly children?: ReactNode;
  readonly testId: string;
}

/** Search and sort above every list of the console (secrets, integrations, Logic, audit). */
export function ListToolbar(props: ListToolbarProps) {
  return (
    <div className="toolbar toolbar-wrap list-toolbar" role="group" aria-label={`Search and sort ${props.noun}`}>
      <SearchField className="field field-inline list-search" value={props.query} onChange={props.onQuery} data-testid={`${props.testId}-search`}>
        <Label className="field-label">Search</Label>
        <span className="search-box">
          <Input className="input" placeholder={`Search ${props.noun}`} spellCheck={false} autoComplete="off" />
          {props.query ? <Button className="btn btn-quiet btn-small">Clear</Button> : null}
        </span>
      </SearchField>
      <SelectInput label="Sort by" className="field field-inline" options={props.sorts} value={props.sort} onChange={props.onSort} testId={`${props.testId}-sort`} />
      {props.children}
      <p className="muted list-count" role="status">
        {props.shown === props.total ? '' : `${props.shown} of `}
        {props.total} {props.total === 1 ? props.one : props.noun}
      </p>
    </div>
  );
}

/** A list's toolbar over `view`, then `children` (the table of `view.shown`), or "no match" when the search finds nothing. */
export function SearchedList<T>(props: {
  readonly view: ListView<T>;
  readonly sorts: ListToolbarProps['sorts'];
  readonly noun: string;
  readonly one: string;
  readonly total: number;
  readonly testId: string;
  readonly children: ReactNode;
}) {
  const { view } = props;
  return (
    <>
      <ListToolbar noun={props.noun} one={props.one} query={view.query} onQuery={view.setQuery} sorts={props.sorts} sort={view.sort} onSort={view.setSort} shown={view.shown.length} total={props.total} testId={props.testId} />
      {view.shown.length === 0 ? <NoMatch noun={props.one} query={view.query} /> : props.children}
    </>
  );
}
