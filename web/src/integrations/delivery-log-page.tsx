import { useParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import type { DeliveryLog } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Time } from '../ui/format.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { integrationPath, useIntegrationOwner } from './integration-owner.ts';
import { useDeliveryLogs, useIntegration } from './integration-queries.ts';

function headerLines(headers: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
}

function statusBadge(log: DeliveryLog) {
  const status = log.response?.status;
  const ok = log.outcome ? log.outcome === 'success' : !log.error && status !== undefined && status >= 200 && status < 300;
  const tone = ok ? 'badge-success' : log.outcome === 'retry' ? 'badge-warning' : 'badge-error';
  const label = status ?? (log.outcome === 'retry' ? 'Retry' : 'Error');
  return (
    <span className={`badge ${tone}`}>
      {label}
      {log.outcome === 'retry' && status !== undefined ? ' · will retry' : ''}
    </span>
  );
}

/** One delivery: request and response as the server logged them (already masked: [[SENSITIVE]]). */
function DeliveryEntry({ log }: { readonly log: DeliveryLog }) {
  return (
    <details className="log-entry" data-testid={`delivery-${log.id}`}>
      <summary>
        {statusBadge(log)}
        <Time iso={log.time} precise />
        {log.request ? <span className="mono">{log.request.method} {log.request.url}</span> : null}
        <span className="muted">attempt {log.attempt} · {log.duration_ms} ms</span>
      </summary>
      <div className="log-body">
        {log.error ? <p className="field-error">{log.error}</p> : null}
        <h3 className="section-title">Request</h3>
        {log.request ? (
          <pre className="pre">{`${log.request.method} ${log.request.url}\n${headerLines(log.request.headers)}\n\n${log.request.body ?? ''}`}</pre>
        ) : (
          <p className="muted">The request could not be built (see the error).</p>
        )}
        <h3 className="section-title">Response</h3>
        {log.response ? (
          <pre className="pre">{`${log.response.status}\n${headerLines(log.response.headers)}\n\n${log.response.body ?? ''}`}</pre>
        ) : (
          <p className="muted">No response.</p>
        )}
      </div>
    </details>
  );
}

/** The delivery log of one integration, newest first. */
export function DeliveryLogPage() {
  const { id = '' } = useParams();
  const { base } = useScope();
  const owner = useIntegrationOwner();
  const integration = useIntegration(id);
  const logs = useDeliveryLogs(id);
  const name = integration.data?.name || id;
  return (
    <section>
      <PageHeader
        title={`Delivery log: ${name}`}
        breadcrumb={[
          { to: owner.listPath, label: 'Integrations' },
          { to: integrationPath(base, owner, id), label: name },
        ]}
        description="Each attempt with its request and response. Secret values appear as [[SENSITIVE]]."
        actions={
          <Button className="btn btn-secondary" onPress={() => void logs.refetch()} isPending={logs.isFetching}>
            Refresh
          </Button>
        }
      />
      {logs.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : logs.isError ? (
        <ErrorState title="Could not load the delivery log" error={logs.error} onRetry={() => void logs.refetch()} />
      ) : logs.data.length === 0 ? (
        <EmptyState title="No deliveries yet">
          <p>Publish a matching event, or use “Send test event” on the integration.</p>
        </EmptyState>
      ) : (
        <ul className="log-list" aria-label="Deliveries">
          {logs.data.map((log) => (
            <li key={log.id}>
              <DeliveryEntry log={log} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
