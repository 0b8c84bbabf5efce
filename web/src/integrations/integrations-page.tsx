import { useLocation, useNavigate } from 'react-router';
import { useScope } from '../scope/scope-context.tsx';
import { useProducts } from '../scope/products-query.ts';
import { LinkButton } from '../ui/link-button.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { useIntegrationOwner } from './integration-owner.ts';
import { useIntegrations } from './integration-queries.ts';
import { IntegrationsTable } from './integrations-table.tsx';
import { PausedHostsPanel } from './paused-hosts-panel.tsx';

/** Cloud services → Integrations: the owner's webhooks, a new one, or one from a template. */
export function IntegrationsPage() {
  const { base, perms, scope } = useScope();
  const owner = useIntegrationOwner();
  const query = useIntegrations();
  const products = useProducts();
  const navigate = useNavigate();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const scopeName = scope.kind === 'sandbox' ? 'Sandbox' : scope.name;
  const ownerOptions = [
    { id: '', label: scopeName },
    ...(products.data ?? []).map((p) => ({ id: p.slug, label: `Product: ${p.name}` })),
  ];
  const reasonId = perms.writeReason ? 'integrations-write-reason' : undefined;

  return (
    <section>
      <PageHeader
        title="Integrations"
        description="Webhooks send matching events to other services. Select secrets for them instead of pasting tokens."
        actions={
          <>
            <LinkButton to={`${base}/integrations/templates${owner.search}`} isDisabled={!perms.canWrite} reasonId={reasonId}>
              From a template
            </LinkButton>
            <LinkButton to={`${base}/integrations/new${owner.search}`} variant="primary" isDisabled={!perms.canWrite} reasonId={reasonId}>
              New webhook
            </LinkButton>
          </>
        }
      />
      {perms.writeReason ? <DisabledReason id="integrations-write-reason">{perms.writeReason}</DisabledReason> : null}
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {ownerOptions.length > 1 ? (
        <div className="toolbar">
          <SelectInput
            className="field field-inline"
            label="Integrations of"
            options={ownerOptions}
            value={owner.product ?? ''}
            onChange={(slug) => navigate(`${base}/integrations${slug ? `?product=${encodeURIComponent(slug)}` : ''}`)}
          />
        </div>
      ) : null}
      <PausedHostsPanel />
      {query.isPending ? (
        <LoadingState label="Loading integrations…" />
      ) : query.isError ? (
        <ErrorState title="Could not load integrations" error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <EmptyState
          title="No integrations yet"
          action={
            perms.canWrite ? (
              <LinkButton to={`${base}/integrations/new${owner.search}`} variant="primary">
                New webhook
              </LinkButton>
            ) : undefined
          }
        >
          <p>A webhook sends events whose name starts with a prefix to a URL, with secrets as {'{{{NAME}}}'}.</p>
        </EmptyState>
      ) : (
        <IntegrationsTable integrations={query.data} />
      )}
    </section>
  );
}
