import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import type { Secret } from '../api/types.ts';
import { Time } from '../ui/format.tsx';
import { SecretRowMenu, type SecretAction } from './secret-row-menu.tsx';

/** Name, usage count, updated at, last accessed ("Never" when null) and the "…" menu. */
export function SecretsTable(props: {
  readonly secrets: readonly Secret[];
  readonly onAction: (secret: Secret, action: SecretAction) => void;
}) {
  return (
    <Table className="table" aria-label="Cloud secrets" data-testid="secrets-table">
      <TableHeader className="table-header">
        <Column isRowHeader className="col">Name</Column>
        <Column className="col col-num">Usage count</Column>
        <Column className="col">Updated at</Column>
        <Column className="col">Last accessed</Column>
        <Column className="col col-actions">
          <span className="visually-hidden">Actions</span>
        </Column>
      </TableHeader>
      <TableBody items={props.secrets}>
        {(secret) => (
          <Row
            id={secret.name}
            className="row"
            data-testid={`secret-row-${secret.name}`}
            onAction={() => props.onAction(secret, 'details')}
          >
            <Cell className="cell mono">{secret.name}</Cell>
            <Cell className="cell col-num">{secret.usage_count}</Cell>
            <Cell className="cell">
              <Time iso={secret.updated_at} />
            </Cell>
            <Cell className="cell">
              <Time iso={secret.last_accessed_at} never="Never" />
            </Cell>
            <Cell className="cell col-actions">
              <SecretRowMenu secret={secret} onAction={(action) => props.onAction(secret, action)} />
            </Cell>
          </Row>
        )}
      </TableBody>
    </Table>
  );
}
