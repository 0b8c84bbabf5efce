import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components/Tabs';
import { logicApi } from '../api/logic-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { secretsKey } from '../secrets/secret-queries.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { draftFromFunction, EMPTY_LOGIC } from './logic-draft.ts';
import { LogicForm } from './logic-form.tsx';
import { logicKey, useLogicFunction } from './logic-queries.ts';
import { RunHistory } from './run-history.tsx';

/** `logic/new` creates a function; `logic/:id` edits it, with its run history in a second tab. */
export function LogicEditorPage() {
  const { id } = useParams();
  const { prefix, base, key, perms } = useScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useLogicFunction(id);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const listPath = `${base}/logic`;
  const crumb = <Link to={listPath}>Logic</Link>;
  const afterWrite = async (notice: string) => {
    await queryClient.invalidateQueries({ queryKey: logicKey(key) });
    await queryClient.invalidateQueries({ queryKey: secretsKey(key) });
    navigate(listPath, { state: { notice } });
  };

  if (id === undefined) {
    return (
      <>
        <PageHeader title="New Logic function" breadcrumb={crumb} description="JavaScript that runs in the cloud on an event or a schedule." />
        <LogicForm
          initial={EMPTY_LOGIC}
          submitLabel="Deploy"
          onCancel={() => navigate(listPath)}
          onSubmit={async (input) => {
            const created = await logicApi.create(prefix, input);
            await afterWrite(`Logic function ${created.name} deployed.`);
          }}
        />
      </>
    );
  }
  if (query.isPending) return <LoadingState label="Loading the function…" />;
  if (query.isError) return <ErrorState title="Could not load the function" error={query.error} onRetry={() => void query.refetch()} />;
  const fn = query.data;
  return (
    <>
      <PageHeader
        title={fn.name}
        breadcrumb={crumb}
        description={fn.description || undefined}
        actions={
          perms.canWrite ? (
            <Button className="btn btn-secondary" onPress={() => setConfirmDelete(true)}>
              Delete
            </Button>
          ) : undefined
        }
      />
      <Tabs className="tabs">
        <TabList className="tab-list" aria-label="Logic function">
          <Tab id="editor" className="tab">{perms.canWrite ? 'Editor' : 'Function'}</Tab>
          <Tab id="runs" className="tab">Run history</Tab>
        </TabList>
        <TabPanel id="editor" className="tab-panel">
          <LogicForm
            key={fn.id}
            initial={draftFromFunction(fn)}
            submitLabel="Save and deploy"
            onCancel={() => navigate(listPath)}
            onSubmit={async (input) => {
              await logicApi.replace(prefix, fn.id, input);
              await afterWrite(`Logic function ${input.name} saved and deployed.`);
            }}
          />
        </TabPanel>
        <TabPanel id="runs" className="tab-panel">
          <RunHistory fnId={fn.id} />
        </TabPanel>
      </Tabs>
      <ConfirmDialog
        title={`Delete ${fn.name}?`}
        isOpen={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        confirmLabel="Delete function"
        onConfirm={async () => {
          await logicApi.remove(prefix, fn.id);
          await afterWrite(`Logic function ${fn.name} deleted.`);
        }}
      >
        <p>Its triggers stop and its run history is removed. The secrets it uses are not deleted.</p>
      </ConfirmDialog>
    </>
  );
}
