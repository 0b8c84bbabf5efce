import type { ReactNode } from 'react';

/** The header of a column that holds only row buttons: named for screen readers, blank on screen. */
export const ACTIONS_COLUMN = <span className="visually-hidden">Actions</span>;

/**
 * A plain, scrollable `<table>` (as the secrets table): column headers, then the rows the
 * caller renders. Columns that are `null` (e.g. actions for view-only members) are left out.
 */
export function SimpleTable(props: { readonly label: string; readonly testId?: string; readonly columns: readonly ReactNode[]; readonly children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table className="table" aria-label={props.label} data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.filter((c) => c !== null).map((c, i) => (
              <th key={i} className="col" scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
