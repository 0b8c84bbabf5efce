import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import type { Secret } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState, NoMatch } from '../ui/states.tsx';
import { byTestId } from '../ui/use-return-focus.ts';
import { CreateSecretDialog } from './create-secret-dialog.tsx';
import { DeleteSecretDialog } from './delete-secret-dialog.tsx';
import { EditSecretDialog, type EditOutcome } from './edit-secret-dialog.tsx';
import { SecretDetailsDialog } from './secret-details-dialog.tsx';
import type { SecretAction } from './secret-row-menu.tsx';
import { useSecrets } from './secret-queries.ts';
import { DEFAULT_LIST_VIEW, SecretsListControls, viewSecrets } from './secrets-list-controls.tsx';
import { SecretsTable } from './secrets-table.tsx';

type Open = { readonly action: SecretAction; readonly secret: Secret } | null;

/**
 * Cloud services → Secrets. `?create=1` opens the create dialog: that is the page the
 * "click here to create a new secret" links open in a new tab.
 */
/** What the page says after the Edit dialog closes, by what it did. */
const SAVED_NOTICES: Record<EditOutcome, (name: string) => string> = {
  now: (name) => `Secret ${name} updated. Everything that uses it now gets the new value.`,
  pending: (name) => `Pending value of ${name} saved. Deliveries and runs keep the current value until you promote it.`,
  promoted: (name) => `Pending value of ${name} promoted. Everything that uses it now gets the new value.`,
  discarded: (name) => `Pending value of ${name} discarded. The current value stays in use.`,
};

export function SecretsPage() {
  const { perms, scope } = useScope();
  const query = useSecrets();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [listView, setListView] = useState(DEFAULT_LIST_VIEW);
  const fromOtherTab = params.get('create') === '1';
  const [createPressed, setCreateOpen] = useState(false);
  const createOpen = createPressed || (fromOtherTab && perms.canWrite);
  const [createdForOtherTab, setCreatedForOtherTab] = useState(false);

  const openCreate = () => {
    setNotice(null);
    setCreateOpen(true);
  };
  const closeCreate = () => {
    setCreateOpen(false);
    if (params.has('create')) {
      const next = new URLSearchParams(params);
      next.delete('create');
      setParams(next, { replace: true });
    }
  };
  const onCreated = (name: string) => {
    setCreatedForOtherTab(fromOtherTab);
    closeCreate();
    setNotice(`Secret ${name} created.`);
  };
  // The row whose "…" menu opened the dialog: focus goes back to its button on close
  // (to the table's tab stop when the row was deleted, else to Create secret).
  const openerName = useRef('');
  const returnFocusTo = () =>
    byTestId(`secret-actions-${openerName.current}`) ??
    document.querySelector<HTMLElement>('button[data-secret][tabindex="0"]') ??
    byTestId('create-secret-button');
  const onAction = (secret: Secret, action: SecretAction) => {
    openerName.current = secret.name;
    setNotice(null);
    setOpen({ action, secret });
  };
  const close = () => setOpen(null);
  const secrets = query.data ?? [];
  const shown = viewSecrets(secrets, listView);
  const where = scope.kind === 'sandbox' ? 'your sandbox' : scope.name;

  const createButton = (
    <Button
      className="btn btn-primary"
      onPress={openCreate}
      data-testid="create-secret-button"
      isDisabled={!perms.canWrite}
      aria-describedby={perms.writeReason ? 'create-secret-reason' : undefined}
    >
      Create secret
    </Button>
  );

  return (
    <section aria-labelledby="secrets-title">
      <PageHeader
        title="Cloud secrets"
        description={`Passwords, API keys and tokens for the integrations and Logic functions of ${where}. Values are write-only: once saved nobody can read them back, but you can replace them.`}
        actions={createButton}
      />
      {perms.writeReason ? <DisabledReason id="create-secret-reason">{perms.writeReason}</DisabledReason> : null}
      {notice ? (
        <Notice tone="success" testId="secrets-notice">
          {notice}
          {createdForOtherTab ? ' You can close this tab: the editor you came from lists it when you return to it.' : ''}
        </Notice>
      ) : null}
      {query.isPending ? (
        <LoadingState label="Loading secrets…" />
      ) : query.isError ? (
        <ErrorState title="Could not load secrets" error={query.error} onRetry={() => void query.refetch()} />
      ) : secrets.length === 0 ? (
        <EmptyState title="No secrets yet">
          <p>
            Create a secret, then select it in a webhook (as <code>{'{{{NAME}}}'}</code>) or a Logic function (as{' '}
            <code>secrets.NAME</code>).
          </p>
        </EmptyState>
      ) : (
        <>
          <SecretsListControls view={listView} onChange={setListView} shown={shown.length} total={secrets.length} />
          {shown.length === 0 ? (
            listView.query.trim() ? (
              <NoMatch noun="secret" query={listView.query} />
            ) : (
              <EmptyState title="No unused secrets">
                <p>Every secret here was used by an integration or Logic function within the last 30 days.</p>
              </EmptyState>
            )
          ) : (
            <SecretsTable secrets={shown} onAction={onAction} />
          )}
        </>
      )}
      <CreateSecretDialog isOpen={createOpen} onClose={closeCreate} onCreated={onCreated} />
      <EditSecretDialog
        name={open?.action === 'edit' ? open.secret.name : null}
        onClose={close}
        returnFocusTo={returnFocusTo}
        onSaved={(name, outcome) => {
          close();
          setNotice(SAVED_NOTICES[outcome](name));
        }}
      />
      <DeleteSecretDialog
        name={open?.action === 'delete' ? open.secret.name : null}
        onClose={close}
        returnFocusTo={returnFocusTo}
        onDeleted={(name) => setNotice(`Secret ${name} deleted.`)}
      />
      <SecretDetailsDialog secret={open?.action === 'details' ? open.secret : null} onClose={close} returnFocusTo={returnFocusTo} />
    </section>
  );
}
