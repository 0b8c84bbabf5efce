import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useScope } from '../scope/scope-context.tsx';
import { Notice } from '../ui/notice.tsx';
import { integrationsApi } from '../api/integrations-api.ts';
import { PageHeader } from '../ui/page-header.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { FailedDeliveriesPanel } from './failed-deliveries-panel.tsx';
import { IntegrationActions } from './integration-actions.tsx';
import { integrationPath, useIntegrationOwner } from './integration-owner.ts';
import { integrationsKey, useIntegration } from './integration-queries.ts';
import { draftFromIntegration, EMPTY_DRAFT } from './webhook-draft.ts';
import { WebhookForm } from './webhook-form.tsx';

/** `integrations/new` creates a webhook and opens it; `integrations/:id` edits one (PUT replaces the whole config). */
export function WebhookEditorPage() {
  const { id } = useParams();
  const { base } = useScope();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const owner = useIntegrationOwner();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useIntegration(id);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: integrationsKey(owner.key) });
  const back = () => navigate(owner.listPath);
  const crumb = <Link to={owner.listPath}>Integrations{owner.product ? ` of ${owner.product}` : ''}</Link>;

  if (id === undefined) {
    return (
      <>
        <PageHeader title="New webhook" breadcrumb={crumb} description="Send matching events to an HTTP endpoint." />
        <WebhookForm
          initial={EMPTY_DRAFT}
          submitLabel="Create webhook"
          onCancel={back}
          onSubmit={async (config) => {
            const created = await integrationsApi.create(owner.prefix, config);
            await invalidate();
            navigate(integrationPath(base, owner, created.id), { state: { notice: `Webhook created (ID ${created.id}).` } });
          }}
        />
      </>
    );
  }
  if (query.isPending) return <LoadingState label="Loading the integration…" />;
  if (query.isError) return <ErrorState title="Could not load the integration" error={query.error} onRetry={() => void query.refetch()} />;
  const integration = query.data;
  return (
    <>
      <PageHeader
        title={integration.name || `${integration.event} webhook`}
        breadcrumb={crumb}
        description={`Webhook on events starting with “${integration.event}”.`}
        actions={<IntegrationActions integration={integration} onDeleted={back} />}
      />
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <WebhookForm
        key={integration.id}
        initial={draftFromIntegration(integration)}
        submitLabel="Save changes"
        onCancel={back}
        onSubmit={async (config) => {
          await integrationsApi.replace(owner.prefix, integration.id, config);
          await invalidate();
          navigate(owner.listPath, { state: { notice: `Webhook ${integration.name || integration.id} saved.` } });
        }}
      />
      <FailedDeliveriesPanel integration={integration} />
    </>
  );
}
