import { useState } from 'react';
import { useParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { ledgerApi, type SetMode } from '../api/ledger-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { Time } from '../ui/time.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { byTestId } from '../ui/use-return-focus.ts';
import { authorText, InstanceVersions } from './instance-versions.tsx';
import { JsonEditor } from './json-editor.tsx';
import { useInstance, useInvalidateLedgers } from './ledger-queries.ts';

/** One instance of a ledger: its data, an editor, delete, and its kept versions. */
export function InstancePage() {
  const { name = '', value = '' } = useParams();
  const { prefix, base, perms, session } = useScope();
  const { instance, versions } = useInstance(name, value);
  const invalidate = useInvalidateLedgers();
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const save = async (data: Record<string, unknown>, mode: SetMode) => {
    setNotice(null);
    await ledgerApi.set(prefix, name, value, data, mode);
    await invalidate();
    setNotice(mode === 'Merge' ? 'Instance merged.' : 'Instance replaced.');
  };
  const current = instance.data;
  return (
    <section aria-labelledby="instance-title">
      <PageHeader
        title={value}
        breadcrumb={[
          { to: `${base}/ledger`, label: 'Ledger' },
          { to: `${base}/ledger/${encodeURIComponent(name)}`, label: name },
        ]}
        description={current ? <>Updated <Time iso={current.updated_at} precise />{authorText(current.updated_by, session.user.id)} · {current.size_bytes} bytes</> : undefined}
        actions={
          perms.canWrite && current ? (
            <Button className="btn btn-danger" data-testid="delete-instance-button" onPress={() => setDeleting(true)}>
              Delete instance
            </Button>
          ) : undefined
        }
      />
      {notice ? <Notice tone="success" testId="instance-notice">{notice}</Notice> : null}
      {instance.isPending ? (
        <LoadingState label="Loading the instance…" />
      ) : instance.isError ? (
        <ErrorState title="Could not load the instance" error={instance.error} onRetry={() => void instance.refetch()} />
      ) : (
        <>
          <section className="section" aria-labelledby="instance-data">
            <h2 className="section-title" id="instance-data">Data</h2>
            {current ? (
              <pre className="mono json-view" data-testid="instance-json" tabIndex={0} aria-labelledby="instance-data">{JSON.stringify(current.data, null, 2)}</pre>
            ) : (
              <p className="table-empty">This instance does not exist yet{perms.canWrite ? ': set it below.' : '.'}</p>
            )}
          </section>
          {perms.canWrite ? (
            <section className="section" aria-labelledby="instance-edit">
              <h2 className="section-title" id="instance-edit">Edit</h2>
              <JsonEditor initial={current?.data ?? null} onSave={save} />
            </section>
          ) : (
            <DisabledReason>{perms.writeReason}</DisabledReason>
          )}
          {current ? (
            <section className="section" aria-labelledby="instance-versions">
              <h2 className="section-title" id="instance-versions">Versions</h2>
              {versions.isPending ? (
                <LoadingState label="Loading versions…" />
              ) : versions.isError ? (
                <ErrorState title="Could not load versions" error={versions.error} />
              ) : (
                <InstanceVersions versions={versions.data} />
              )}
            </section>
          ) : null}
        </>
      )}
      <ConfirmDialog
        title={`Delete instance ${value}?`}
        isOpen={deleting}
        onClose={() => setDeleting(false)}
        confirmLabel="Delete instance"
        testId="delete-instance-dialog"
        returnFocusTo={() => byTestId('delete-instance-button') ?? document.querySelector<HTMLElement>('[data-testid="json-editor"] textarea')}
        onConfirm={async () => {
          await ledgerApi.remove(prefix, name, value);
          await invalidate();
          setNotice('Instance deleted, with its versions.');
        }}
      >
        <p>Its data and its kept versions are deleted. Logic functions reading it get an empty object.</p>
      </ConfirmDialog>
    </section>
  );
}
