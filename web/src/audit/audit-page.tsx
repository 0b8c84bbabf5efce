import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import { orgApi } from '../api/org-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Time } from '../ui/format.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';

/** The audit trail of the scope: who did what to which secret, and denied attempts. Never values. */
export function AuditPage() {
  const { prefix, key, perms, scope } = useScope();
  const query = useQuery({ queryKey: ['audit', key], queryFn: () => orgApi.audit(prefix), enabled: perms.canReadAudit });
  const title = scope.kind === 'sandbox' ? 'Audit' : `Audit of ${scope.name}`;
  const description = 'Every create, replace, restore and delete of a secret, and every denied attempt. Values are never recorded.';
  if (!perms.canReadAudit) {
    return (
      <section>
        <PageHeader title={title} description={description} />
        <EmptyState title="Not available with your role">
          <p>{perms.auditReason}</p>
        </EmptyState>
      </section>
    );
  }
  return (
    <section>
      <PageHeader title={title} description={description} />
      {query.isPending ? (
        <LoadingState label="Loading the audit trail…" />
      ) : query.isError ? (
        <ErrorState title="Could not load the audit trail" error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <div className="table-scroll">
          <Table className="table" aria-label="Audit trail">
            <TableHeader>
              <Column isRowHeader className="col">Time</Column>
              <Column className="col">Actor</Column>
              <Column className="col">Action</Column>
              <Column className="col">Target</Column>
              <Column className="col">Outcome</Column>
              <Column className="col">Detail</Column>
            </TableHeader>
            <TableBody items={query.data}>
              {(entry) => (
                <Row id={entry.id} className="row">
                  <Cell className="cell"><Time iso={entry.created_at} precise /></Cell>
                  <Cell className="cell">{entry.actor.username ?? entry.actor.id}</Cell>
                  <Cell className="cell mono">{entry.action}</Cell>
                  <Cell className="cell mono">{entry.target}</Cell>
                  <Cell className="cell">
                    <span className={`badge ${entry.outcome === 'ok' ? 'badge-success' : 'badge-error'}`}>{entry.outcome === 'ok' ? 'OK' : 'Denied'}</span>
                  </Cell>
                  <Cell className="cell">{entry.detail ?? ''}</Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
