import { useRef, useState } from 'react';
import { envApi, envBase } from '../api/env-api.ts';
import { useProducts } from '../scope/products-query.ts';
import { useScope } from '../scope/scope-context.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { byTestId } from '../ui/use-return-focus.ts';
import { WriteButton } from '../ui/write-button.tsx';
import { useEnvState, useInvalidateEnv } from './env-queries.ts';
import { EnvRolloutPanel } from './env-rollout.tsx';
import { InheritedVarsTable, OwnVarsTable } from './env-tables.tsx';
import { EnvVarDialog } from './env-var-dialog.tsx';

const OWNER = 'owner';

/**
 * Cloud services → Environment variables: the owner's (sandbox or organization) or one of
 * its products', own and inherited, and the rollout that makes them what Logic gets.
 */
export function EnvPage() {
  const { prefix, perms, scope } = useScope();
  const products = useProducts();
  const [target, setTarget] = useState(OWNER);
  const productId = target === OWNER ? null : Number(target);
  const base = envBase(prefix, productId);
  const state = useEnvState(base);
  const invalidate = useInvalidateEnv();
  const [editing, setEditing] = useState<{ key: string; value: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The test id of the button that opened the dialog: focus goes back to it, or to Add
  // variable when it is gone (the variable was removed).
  const opener = useRef('');
  const returnFocusTo = () => byTestId(opener.current, 'env-add-button');
  const ownerLabel = scope.kind === 'sandbox' ? 'Your sandbox' : scope.name;
  const options = [{ id: OWNER, label: ownerLabel }, ...(products.data ?? []).map((p) => ({ id: String(p.id), label: `Product ${p.name} (${p.id})` }))];
  const own = state.data?.latest.own ?? {};

  const addButton = (
    <WriteButton
      label="Add variable"
      testId="env-add-button"
      reasonId="env-write-reason"
      onPress={() => {
        opener.current = 'env-add-button';
        setNotice(null);
        setEditing({ key: '', value: '' });
      }}
    />
  );

  return (
    <section aria-labelledby="env-title">
      <PageHeader
        title="Environment variables"
        description="Configuration values (not secrets: anyone who can see this page reads them) that Logic functions with “Use environment variables” get as env, once rolled out. A product inherits its owner’s, and its own win."
        actions={addButton}
      />
      {perms.writeReason ? <DisabledReason id="env-write-reason">{perms.writeReason}</DisabledReason> : null}
      {options.length > 1 ? (
        <SelectInput label="Scope" options={options} value={target} onChange={setTarget} testId="env-scope-select" />
      ) : null}
      {notice ? <Notice tone="success" testId="env-notice">{notice}</Notice> : null}
      {state.isPending ? (
        <LoadingState label="Loading environment variables…" />
      ) : state.isError ? (
        <ErrorState title="Could not load environment variables" error={state.error} onRetry={() => void state.refetch()} />
      ) : (
        <>
          <section className="section" aria-labelledby="env-own">
            <h2 className="section-title" id="env-own">Own variables</h2>
            <OwnVarsTable
              vars={own}
              canWrite={perms.canWrite}
              onEdit={(key, value) => {
                opener.current = `env-edit-${key}`;
                setNotice(null);
                setEditing({ key, value });
              }}
              onRemove={(key) => {
                opener.current = `env-remove-${key}`;
                setNotice(null);
                setRemoving(key);
              }}
            />
          </section>
          {productId !== null ? (
            <section className="section" aria-labelledby="env-inherited">
              <h2 className="section-title" id="env-inherited">Inherited</h2>
              <InheritedVarsTable vars={state.data.latest.inherited} own={own} />
            </section>
          ) : null}
          <section className="section" aria-labelledby="env-rollout-title">
            <h2 className="section-title" id="env-rollout-title">Rollout</h2>
            <EnvRolloutPanel base={base} snapshot={state.data.last_snapshot} canWrite={perms.canWrite} writeReason={perms.writeReason} />
          </section>
        </>
      )}
      <EnvVarDialog
        base={base}
        editing={editing}
        onClose={() => setEditing(null)}
        returnFocusTo={returnFocusTo}
        onSaved={(key) => {
          setEditing(null);
          setNotice(`Variable ${key} saved. Roll out to give it to Logic functions.`);
        }}
      />
      <ConfirmDialog
        title={`Remove ${removing ?? ''}?`}
        isOpen={removing !== null}
        onClose={() => setRemoving(null)}
        confirmLabel="Remove variable"
        testId="env-remove-dialog"
        returnFocusTo={returnFocusTo}
        onConfirm={async () => {
          const key = removing ?? '';
          await envApi.remove(base, key);
          await invalidate();
          setNotice(`Variable ${key} removed. Roll out to take it away from Logic functions.`);
        }}
      >
        <p>Logic functions keep the rolled-out value until the next rollout.</p>
      </ConfirmDialog>
    </section>
  );
}
