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

/** Send test event, delivery log and delete, for the editor's header (only the log for those who may not write). */
export function IntegrationActions(props: { readonly integration: Integration; readonly onDeleted: () => void }) {
  const { integration } = props;
  const { base, perms } = useScope();
  const owner = useIntegrationOwner();
  const queryClient = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);

  return (
    <>
      {/* Someone who may not change it gets no dead buttons: the page says why once. */}
      {perms.canWrite ? <TestEventButton integration={integration} /> : null}
      <LinkButton to={integrationPath(base, owner, integration.id, '/logs')}>Delivery log</LinkButton>
      {perms.canWrite ? (
        <Button className="btn btn-secondary" onPress={() => setConfirmDelete(true)}>
          Delete
        </Button>
      ) : null}
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
