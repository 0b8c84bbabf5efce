import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { integrationsApi } from '../api/integrations-api.ts';
import type { Integration } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { LinkButton } from '../ui/link-button.tsx';
import { integrationPath, useIntegrationOwner } from './integration-owner.ts';
import { integrationsKey } from './integration-queries.ts';
import { TestEventButton } from './test-event-button.tsx';

/** Send test event, delivery log and delete, for the editor's header. */
export function IntegrationActions(props: { readonly integration: Integration; readonly onDeleted: () => void }) {
  const { integration } = props;
  const { base, perms } = useScope();
  const owner = useIntegrationOwner();
  const queryClient = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);

  return (
    <>
      <TestEventButton integration={integration} describedBy={perms.writeReason ? 'integration-actions-reason' : undefined} />
      <LinkButton to={integrationPath(base, owner, integration.id, '/logs')}>Delivery log</LinkButton>
      <Button
        className="btn btn-secondary"
        onPress={() => setConfirmDelete(true)}
        isDisabled={!perms.canWrite}
        aria-describedby={perms.writeReason ? 'integration-actions-reason' : undefined}
      >
        Delete
      </Button>
      {perms.writeReason ? <span id="integration-actions-reason" className="visually-hidden">{perms.writeReason}</span> : null}
      <ConfirmDialog
        title={`Delete ${integration.name || 'this integration'}?`}
        isOpen={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        confirmLabel="Delete integration"
        onConfirm={async () => {
          await integrationsApi.remove(owner.prefix, integration.id);
          await queryClient.invalidateQueries({ queryKey: integrationsKey(owner.key) });
          props.onDeleted();
        }}
      >
        <p>It stops triggering immediately. The secrets it uses are not deleted.</p>
      </ConfirmDialog>
    </>
  );
}
