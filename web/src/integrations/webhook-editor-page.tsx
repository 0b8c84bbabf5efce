import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { integrationsApi } from '../api/integrations-api.ts';
import { PageHeader } from '../ui/page-header.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { FailedDeliveriesPanel } from './failed-deliveries-panel.tsx';
import { IntegrationActions } from './integration-actions.tsx';
import { useIntegrationOwner } from './integration-owner.ts';
import { integrationsKey, useIntegration } from './integration-queries.ts';
import { draftFromIntegration, EMPTY_DRAFT } from './webhook-draft.ts';
import { WebhookForm } from './webhook-form.tsx';

/** `integrations/new` creates a webhook; `integrations/:id` edits one (PUT replaces the whole config). */
export function WebhookEditorPage() {
  const { id } = useParams();
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
            navigate(owner.listPath, { state: { notice: `Webhook created (ID ${created.id}).` } });
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
