import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import { useSearchParams } from 'react-router';
import { orgApi } from '../api/org-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { SearchedList } from '../ui/list-toolbar.tsx';
import { byTime, useListView, type ListViewConfig } from '../ui/list-view.ts';
import type { AuditEntry } from '../api/logic-types.ts';
import { AuditFilters, FILTER_KEYS, WITHIN, type AuditFilterValues } from './audit-filters.tsx';
import { actionLabel } from './audit-labels.ts';

const PAGE = 100;
const DESCRIPTION =
  'Every change to secrets, integrations, Logic functions, ledgers, environment variables, products, devices and members, ' +
  'every read of this trail, and every denied attempt. Values are never recorded.';

/** Search and order within the loaded entries (the filters above ask the server). */
const LIST: ListViewConfig<AuditEntry> = {
  words: (e) => [e.actor.username, e.actor.id, e.action, actionLabel(e.action), e.target, e.detail],
  sorts: [
    { id: 'newest', label: 'Newest first' },
    { id: 'oldest', label: 'Oldest first', compare: byTime((e) => e.created_at, 'oldest') },
  ],
};

/** The API's query for the filters: `within` becomes `since`, measured when the page is fetched. */
function apiFilters(f: AuditFilterValues): Record<string, string> {
  const window = WITHIN[f.within];
  return { actor: f.actor, action: f.action, target: f.target, outcome: f.outcome, since: window ? new Date(Date.now() - window.ms).toISOString() : '' };
}

/** The audit trail of the scope: who did what to which target, and denied attempts; filtered, newest first, paged. */
export function AuditPage() {
  const { prefix, key, perms, scope } = useScope();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as AuditFilterValues;
  const filtered = FILTER_KEYS.some((k) => filters[k] !== '');
  const query = useInfiniteQuery({
    queryKey: ['audit', key, filters],
    queryFn: ({ pageParam }) => orgApi.audit(prefix, { ...apiFilters(filters), limit: String(PAGE), before: pageParam }),
    initialPageParam: '',
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1]!.id : undefined),
    enabled: perms.canReadAudit,
  });
  const title = scope.kind === 'sandbox' ? 'Audit' : `Audit of ${scope.name}`;
  const entries = query.data?.pages.flat() ?? [];
  const list = useListView(entries, LIST);
  if (!perms.canReadAudit) {
    return (
      <section>
        <PageHeader title={title} description={DESCRIPTION} />
        <EmptyState title="Not available with your role">
          <p>{perms.auditReason}</p>
        </EmptyState>
      </section>
    );
  }
  const apply = (next: AuditFilterValues) => setParams(Object.fromEntries(FILTER_KEYS.filter((k) => next[k] !== '').map((k) => [k, next[k]])), { replace: true });
  return (
    <section>
      <PageHeader title={title} description={DESCRIPTION} />
      <AuditFilters key={params.toString()} value={filters} onApply={apply} />
      {query.isPending ? (
        <LoadingState label="Loading the audit trail…" />
      ) : query.isError ? (
        <ErrorState title="Could not load the audit trail" error={query.error} onRetry={() => void query.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title={filtered ? 'No entries match these filters' : 'Nothing recorded yet'} />
      ) : (
        <>
          <SearchedList view={list} sorts={LIST.sorts} noun="loaded entries" one="loaded entry" total={entries.length} testId="audit">
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
                <TableBody items={list.shown}>
                  {(entry) => (
                    <Row id={entry.id} className="row">
                      <Cell className="cell"><Time iso={entry.created_at} precise /></Cell>
                      <Cell className="cell"><Breakable text={entry.actor.username ?? entry.actor.id} /></Cell>
                      <Cell className="cell">
                        <span title={entry.action}>{actionLabel(entry.action)}</span>
                      </Cell>
                      <Cell className="cell mono"><Breakable text={entry.target} /></Cell>
                      <Cell className="cell">
                        <span className={`badge ${entry.outcome === 'ok' ? 'badge-success' : 'badge-error'}`}>{entry.outcome === 'ok' ? 'OK' : 'Denied'}</span>
                      </Cell>
                      <Cell className="cell"><Breakable text={entry.detail ?? ''} /></Cell>
                    </Row>
                  )}
                </TableBody>
              </Table>
            </div>
          </SearchedList>
          {query.hasNextPage ? (
            <Button className="btn btn-secondary" isPending={query.isFetchingNextPage} onPress={() => void query.fetchNextPage()}>
              Load older entries
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}
