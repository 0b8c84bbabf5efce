import { useState } from 'react';
import { Button } from 'react-aria-components/Button';
import { integrationsApi } from '../api/integrations-api.ts';
import { messageOf } from '../api/http.ts';
import type { Integration, IntegrationTestResult } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { useSecrets } from '../secrets/secret-queries.ts';
import { AppDialog } from '../ui/app-dialog.tsx';
import { Breakable } from '../ui/format.tsx';
import { Notice } from '../ui/notice.tsx';
import { useIntegrationOwner } from './integration-owner.ts';

type Result = IntegrationTestResult | { error: string; pass: false; data: null };

/**
 * "Send test event" (and, while a selected secret has a pending value, "Test with pending
 * secrets"), with the answer in a dialog; used in the editor's header and on each list row.
 * `compact` is the list row's short form.
 */
export function TestEventButton(props: { readonly integration: Integration; readonly compact?: boolean; readonly describedBy?: string }) {
  const { integration } = props;
  const { perms } = useScope();
  const owner = useIntegrationOwner();
  const [testing, setTesting] = useState<'current' | 'pending' | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const secrets = useSecrets();
  const hasPending = !props.compact && (secrets.data ?? []).some((s) => s.pending && integration.secrets?.includes(s.name));
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  const name = integration.name || integration.id;

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

  return (
    <>
      <Button
        className={props.compact ? 'btn btn-quiet btn-small' : 'btn btn-secondary'}
        onPress={() => void sendTest('current')}
        isPending={testing === 'current'}
        isDisabled={!perms.canWrite}
        aria-label={props.compact ? `Send a test event to ${name}` : undefined}
        aria-describedby={props.describedBy}
        data-testid={props.compact ? `test-${integration.id}` : undefined}
      >
        {props.compact ? 'Test' : 'Send test event'}
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
      <AppDialog title={`Test event: ${name}`} isOpen={result !== null} onOpenChange={(open) => (open ? undefined : setResult(null))}>
        {result?.pass ? (
          <Notice tone="success">The target accepted the test event.</Notice>
        ) : (
          <Notice tone="error">The test failed{result?.error ? `: ${text(result.error)}` : '.'}</Notice>
        )}
        {result?.data != null ? <pre className="pre"><Breakable text={text(result.data)} /></pre> : null}
        <div className="dialog-actions">
          <Button className="btn btn-secondary" onPress={() => setResult(null)} autoFocus>
            Close
          </Button>
        </div>
      </AppDialog>
    </>
  );
}
