import { Link, useNavigate } from 'react-router';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import type { Integration } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable, NameList } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { integrationPath, useIntegrationOwner } from './integration-owner.ts';
import { TestEventButton } from './test-event-button.tsx';
import { SearchedList } from '../ui/list-toolbar.tsx';
import { byText, byTime, useListView, type ListViewConfig } from '../ui/list-view.ts';

const LIST: ListViewConfig<Integration> = {
  words: (i) => [i.name, i.id, i.event, i.url, ...(i.secrets ?? [])],
  sorts: [
    { id: 'created', label: 'Created, oldest first' },
    { id: 'created-newest', label: 'Created, newest first', compare: byTime((i) => i.created_at, 'newest') },
    { id: 'name', label: 'Name', compare: byText((i) => i.name || i.id) },
    { id: 'event', label: 'Event', compare: byText((i) => i.event) },
    { id: 'delivery', label: 'Last delivery, newest first', compare: byTime((i) => i.last_delivery?.at, 'newest') },
  ],
};

function LastDelivery({ integration }: { readonly integration: Integration }) {
  const last = integration.last_delivery;
  if (!last) return <span className="muted">Never</span>;
  return (
    <span>
      <span className={`badge ${last.status === 'success' ? 'badge-success' : 'badge-error'}`}>
        {last.status === 'success' ? 'Success' : 'Error'}
        {last.http_status ? ` ${last.http_status}` : ''}
      </span>{' '}
      <Time iso={last.at} />
    </span>
  );
}

/**
 * Search (name, event, URL, secrets) and sort, then the table: event, target, secrets used,
 * last delivery and counters; Enter on a row opens the editor.
 */
export function IntegrationsTable(props: { readonly integrations: readonly Integration[] }) {
  const { base, perms } = useScope();
  const owner = useIntegrationOwner();
  const navigate = useNavigate();
  const list = useListView(props.integrations, LIST);
  return (
    <SearchedList view={list} sorts={LIST.sorts} noun="integrations" one="integration" total={props.integrations.length} testId="integrations">
      <div className="table-scroll">
        <Table
          className="table"
          aria-label="Integrations"
          data-testid="integrations-table"
          onRowAction={(key) => navigate(integrationPath(base, owner, String(key)))}
        >
          <TableHeader>
            <Column isRowHeader className="col">Name</Column>
            <Column className="col">Event</Column>
            <Column className="col">Target</Column>
            <Column className="col">Secrets</Column>
            <Column className="col">Last delivery</Column>
            <Column className="col col-num">Success / error</Column>
            <Column className="col col-actions"><span className="visually-hidden">Actions</span></Column>
          </TableHeader>
          <TableBody items={list.shown}>
            {(i) => (
              <Row id={i.id} className="row" data-testid={`integration-row-${i.id}`}>
                <Cell className="cell">
                  <Breakable text={i.name || i.id} />
                  {i.disabled ? <span className="badge"> disabled</span> : null}
                </Cell>
                <Cell className="cell mono"><Breakable text={i.event} /></Cell>
                <Cell className="cell">
                  <span className="badge">{i.requestType}</span> <span className="mono"><Breakable text={i.url} /></span>
                </Cell>
                <Cell className="cell mono">{i.secrets?.length ? <NameList names={i.secrets} /> : <span className="muted">None</span>}</Cell>
                <Cell className="cell">
                  <LastDelivery integration={i} />
                </Cell>
                <Cell className="cell col-num">
                  {i.counters?.success ?? 0} / {i.counters?.error ?? 0}
                </Cell>
                <Cell className="cell col-actions">
                  <span className="row-actions">
                    {perms.canWrite ? <TestEventButton integration={i} compact /> : null}
                    <Link to={integrationPath(base, owner, i.id)} aria-label={`Edit ${i.name || i.id}`}>Edit</Link>
                    <Link to={integrationPath(base, owner, i.id, '/logs')} aria-label={`Delivery log of ${i.name || i.id}`}>
                      Log
                    </Link>
                  </span>
                </Cell>
              </Row>
            )}
          </TableBody>
        </Table>
      </div>
    </SearchedList>
  );
}
