import { Button } from 'react-aria-components/Button';
import type { EnvInherited } from '../api/env-api.ts';
import { Breakable } from '../ui/format.tsx';
import { ACTIONS_COLUMN, SimpleTable } from '../ui/simple-table.tsx';

export interface OwnVarsTableProps {
  readonly vars: Readonly<Record<string, { readonly value: string }>>;
  readonly canWrite: boolean;
  readonly onEdit: (key: string, value: string) => void;
  readonly onRemove: (key: string) => void;
}

/** This scope's own variables, with Edit and Remove for those who may write. */
export function OwnVarsTable(props: OwnVarsTableProps) {
  const keys = Object.keys(props.vars).sort();
  if (keys.length === 0) return <p className="table-empty">No variables set here yet.</p>;
  return (
    <SimpleTable label="Own variables" testId="env-own-table" columns={['Key', 'Value', props.canWrite ? ACTIONS_COLUMN : null]}>
          {keys.map((key) => (
            <tr key={key} className="row" data-testid={`env-row-${key}`}>
              <th className="cell mono" scope="row"><Breakable text={key} /></th>
              <td className="cell mono"><Breakable text={props.vars[key]?.value ?? ''} /></td>
              {props.canWrite ? (
                <td className="cell">
                  <Button className="btn btn-secondary btn-small" aria-label={`Edit ${key}`} data-testid={`env-edit-${key}`} onPress={() => props.onEdit(key, props.vars[key]?.value ?? '')}>
                    Edit
                  </Button>{' '}
                  <Button className="btn btn-danger btn-small" aria-label={`Remove ${key}`} data-testid={`env-remove-${key}`} onPress={() => props.onRemove(key)}>
                    Remove
                  </Button>
                </td>
              ) : null}
            </tr>
          ))}
    </SimpleTable>
  );
}

/** Variables this scope inherits (a product from its owner); its own value of a key wins. */
export function InheritedVarsTable(props: { readonly vars: Readonly<Record<string, EnvInherited>>; readonly own: Readonly<Record<string, unknown>> }) {
  const keys = Object.keys(props.vars).sort();
  if (keys.length === 0) return <p className="table-empty">Nothing inherited.</p>;
  return (
    <SimpleTable label="Inherited variables" testId="env-inherited-table" columns={['Key', 'Value', 'From']}>
          {keys.map((key) => (
            <tr key={key} className="row">
              <th className="cell mono" scope="row"><Breakable text={key} /></th>
              <td className="cell mono"><Breakable text={props.vars[key]?.value ?? ''} /></td>
              <td className="cell">
                {props.vars[key]?.from === 'Owner' ? 'Owner' : 'Product'}
                {Object.hasOwn(props.own, key) ? <span className="muted"> (overridden here)</span> : null}
              </td>
            </tr>
          ))}
    </SimpleTable>
  );
}
