import { useParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import type { DeliveryAttempt } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { showBody } from './delivery-body-fns.ts';
import { integrationPath, useIntegrationOwner } from './integration-owner.ts';
import { useDeliveryHistory, useIntegration } from './integration-queries.ts';

function headerLines(headers: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
}

function statusBadge(log: DeliveryAttempt) {
  const status = log.response?.status;
  const ok = log.outcome ? log.outcome === 'success' : !log.error && status !== undefined && status >= 200 && status < 300;
  const tone = ok ? 'badge-success' : log.outcome === 'retry' ? 'badge-warning' : 'badge-error';
  const label = status ?? (log.outcome === 'retry' ? 'Retry' : 'Error');
  return (
    <span className={`badge ${tone}`}>
      {label}
      {log.outcome === 'retry' && status !== undefined ? ' · will retry' : ''}
      {log.status === 'dead' ? ' · dead letter' : ''}
    </span>
  );
}

/** A body as the log keeps it (masked), decoded and pretty-printed when it is a form or JSON. */
function Body(props: { readonly body: string | null | undefined; readonly headers: Readonly<Record<string, string>> | undefined }) {
  const shown = showBody(props.body, props.headers);
  if (shown.text === '') return <p className="muted">No body.</p>;
  return (
    <>
      {shown.kind !== 'text' ? <p className="field-help">{shown.kind === 'json' ? 'JSON, formatted' : 'Form fields, decoded'}</p> : null}
      <pre className="pre"><Breakable text={shown.text} /></pre>
    </>
  );
}

/** One attempt: what caused it, then request and response as the server logged them (masked: [[SENSITIVE]]). */
function DeliveryEntry({ log }: { readonly log: DeliveryAttempt }) {
  return (
    <details className="log-entry" data-testid={`delivery-${log.id}`}>
      <summary>
        <span className="chevron" aria-hidden="true">▸</span>
        {statusBadge(log)}
        <Time iso={log.time} precise />
        {log.test ? <span className="badge badge-info" data-testid="test-badge">Test</span> : null}
        {log.replay_of ? <span className="badge badge-info">Replay</span> : null}
        <span>
          {log.test ? 'test event ' : 'event '}
          <span className="mono"><Breakable text={log.event ?? '—'} /></span>
        </span>
        {log.request ? <span className="mono"><Breakable text={`${log.request.method} ${log.request.url}`} /></span> : null}
        <span className="muted">attempt {log.attempt} · {log.duration_ms} ms</span>
        <span className="visually-hidden">(show request and response)</span>
      </summary>
      <div className="log-body">
        {log.error ? <p className="field-error">{log.error}</p> : null}
        <h3 className="section-title">Request</h3>
        {log.request ? (
          <>
            <pre className="pre"><Breakable text={`${log.request.method} ${log.request.url}\n${headerLines(log.request.headers)}`} /></pre>
            <Body body={log.request.body} headers={log.request.headers} />
          </>
        ) : (
          <p className="muted">The request could not be built (see the error).</p>
        )}
        <h3 className="section-title">Response</h3>
        {log.response ? (
          <>
            <pre className="pre"><Breakable text={`${log.response.status}\n${headerLines(log.response.headers)}`} /></pre>
            <Body body={log.response.body} headers={log.response.headers} />
          </>
        ) : (
          <p className="muted">No response.</p>
        )}
      </div>
    </details>
  );
}

/** The delivery history of one integration, newest first: every attempt kept, test sends marked, paged. */
export function DeliveryLogPage() {
  const { id = '' } = useParams();
  const { base } = useScope();
  const owner = useIntegrationOwner();
  const integration = useIntegration(id);
  const history = useDeliveryHistory(id);
  const name = integration.data?.name || id;
  const entries = history.data?.pages.flatMap((p) => p.deliveries) ?? [];
  return (
    <section>
      <PageHeader
        title={`Delivery log: ${name}`}
        breadcrumb={[
          { to: owner.listPath, label: 'Integrations' },
          { to: integrationPath(base, owner, id), label: name },
        ]}
        description="Each attempt with the event that caused it, its request and response; open a row to see them. Secret values appear as [[SENSITIVE]]."
        actions={
          <Button className="btn btn-secondary" onPress={() => void history.refetch()} isPending={history.isFetching && !history.isFetchingNextPage}>
            Refresh
          </Button>
        }
      />
      {history.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : history.isError ? (
        <ErrorState title="Could not load the delivery log" error={history.error} onRetry={() => void history.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title="No deliveries yet">
          <p>Publish a matching event, or use “Send test event” on the integration.</p>
        </EmptyState>
      ) : (
        <>
          <ul className="log-list" aria-label="Deliveries">
            {entries.map((log) => (
              <li key={log.id}>
                <DeliveryEntry log={log} />
              </li>
            ))}
          </ul>
          {history.hasNextPage ? (
            <Button className="btn btn-secondary" isPending={history.isFetchingNextPage} onPress={() => void history.fetchNextPage()}>
              Load older attempts
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}
