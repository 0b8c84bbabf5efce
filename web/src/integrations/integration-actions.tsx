import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { integrationsApi } from '../api/integrations-api.ts';
import { messageOf } from '../api/http.ts';
import type { Integration, IntegrationTestResult } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { AppDialog } from '../ui/app-dialog.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { LinkButton } from '../ui/link-button.tsx';
import { Notice } from '../ui/notice.tsx';
import { integrationPath, useIntegrationOwner } from './integration-owner.ts';
import { useSecrets } from '../secrets/secret-queries.ts';
import { integrationsKey } from './integration-queries.ts';

/** Send test event, delivery log and delete, for the editor's header. */
export function IntegrationActions(props: { readonly integration: Integration; readonly onDeleted: () => void }) {
  const { integration } = props;
  const { base, perms } = useScope();
  const owner = useIntegrationOwner();
  const queryClient = useQueryClient();
  const [testing, setTesting] = useState<'current' | 'pending' | null>(null);
  const [result, setResult] = useState<IntegrationTestResult | { error: string; pass: false; data: null } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const sendTest = async (values: 'current' | 'pending') => {
    setTesting(values);
    try {
      setResult(await integrationsApi.test(owner.prefix, integration.id, { pending: values === 'pending' }));
    } catch (err) {
      setResult({ pass: false, data: null, error: messageOf(err) });
    } finally {
      setTesting(null);
    }
  };
  // Staged rotation: offered when a selected secret has a pending value.
  const secrets = useSecrets();
  const hasPending = (secrets.data ?? []).some((s) => s.pending && integration.secrets?.includes(s.name));
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

  return (
    <>
      <Button
        className="btn btn-secondary"
        onPress={() => void sendTest('current')}
        isPending={testing === 'current'}
        isDisabled={!perms.canWrite}
        aria-describedby={perms.writeReason ? 'integration-actions-reason' : undefined}
      >
        Send test event
      </Button>
      {hasPending ? (
        <Button
          className="btn btn-secondary"
          onPress={() => void sendTest('pending')}
          isPending={testing === 'pending'}
          isDisabled={!perms.canWrite}
          data-testid="test-with-pending"
        >
          Test with pending secrets
        </Button>
      ) : null}
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
      <AppDialog title="Test event" isOpen={result !== null} onOpenChange={(open) => (open ? undefined : setResult(null))}>
        {result?.pass ? (
          <Notice tone="success">The target accepted the test event.</Notice>
        ) : (
          <Notice tone="error">The test failed{result?.error ? `: ${text(result.error)}` : '.'}</Notice>
        )}
        {result?.data != null ? <pre className="pre">{text(result.data)}</pre> : null}
        <div className="dialog-actions">
          <Button className="btn btn-secondary" onPress={() => setResult(null)} autoFocus>
            Close
          </Button>
        </div>
      </AppDialog>
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
