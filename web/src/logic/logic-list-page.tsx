import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import { logicApi } from '../api/logic-api.ts';
import { messageOf } from '../api/http.ts';
import type { LogicFunction } from '../api/logic-types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { secretsKey } from '../secrets/secret-queries.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { Breakable, NameList } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { LinkButton } from '../ui/link-button.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { byTestId } from '../ui/use-return-focus.ts';
import { SearchedList } from '../ui/list-toolbar.tsx';
import { byText, byTime, useListView, type ListViewConfig } from '../ui/list-view.ts';
import { describeTriggers, functionToInput } from './logic-draft.ts';
import { logicKey, useLogicFunctions } from './logic-queries.ts';
import { LogicRowMenu, type LogicAction } from './logic-row-menu.tsx';

const NONE: readonly LogicFunction[] = [];

const LIST: ListViewConfig<LogicFunction> = {
  words: (fn) => [fn.name, fn.description, describeTriggers(fn.logic_triggers), ...(fn.secrets ?? [])],
  sorts: [
    { id: 'name', label: 'Name', compare: byText((fn) => fn.name) },
    { id: 'updated-newest', label: 'Updated, newest first', compare: byTime((fn) => fn.updated_at, 'newest') },
    { id: 'updated-oldest', label: 'Updated, oldest first', compare: byTime((fn) => fn.updated_at, 'oldest') },
    { id: 'enabled', label: 'Enabled first', compare: (a, b) => Number(b.enabled) - Number(a.enabled) },
  ],
};

/** Cloud services → Logic: the scope's functions, searched and sorted. */
export function LogicListPage() {
  const { prefix, base, key, perms } = useScope();
  const query = useLogicFunctions();
  const list = useListView(query.data ?? NONE, LIST);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<LogicFunction | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: logicKey(key) });
    await queryClient.invalidateQueries({ queryKey: secretsKey(key) });
  };

  // Focus goes back to the "…" button of the row the menu belonged to (the first row's
  // when it was deleted).
  const openerId = useRef('');
  const returnFocusTo = () => byTestId(`logic-actions-${openerId.current}`) ?? document.querySelector<HTMLElement>('[data-testid^="logic-actions-"]');
  const onAction = async (fn: LogicFunction, action: LogicAction) => {
    openerId.current = fn.id;
    setNotice(null);
    setError(null);
    if (action === 'edit') navigate(fnPath(fn.id));
    else if (action === 'delete') setDeleting(fn);
    else {
      try {
        const full = await logicApi.get(prefix, fn.id);
        await logicApi.replace(prefix, fn.id, functionToInput(full, { enabled: !full.enabled }));
        await refresh();
        setNotice(`${fn.name} ${full.enabled ? 'disabled' : 'enabled'}.`);
      } catch (err) {
        setError(messageOf(err));
      }
    }
  };
  const reasonId = perms.writeReason ? 'logic-write-reason' : undefined;
  const fnPath = (id: string) => `${base}/logic/${encodeURIComponent(id)}`;

  return (
    <section>
      <PageHeader
        title="Logic"
        description="JavaScript functions that run in the cloud on an event or a schedule, with the secrets you select."
        actions={<LinkButton to={`${base}/logic/new`} variant="primary" isDisabled={!perms.canWrite} reasonId={reasonId}>New function</LinkButton>}
      />
      {perms.writeReason ? <DisabledReason id="logic-write-reason">{perms.writeReason}</DisabledReason> : null}
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {query.isPending ? (
        <LoadingState label="Loading Logic functions…" />
      ) : query.isError ? (
        <ErrorState title="Could not load Logic functions" error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <EmptyState title="No Logic functions yet" action={perms.canWrite ? <LinkButton to={`${base}/logic/new`} variant="primary">New function</LinkButton> : undefined}>
          <p>Write export default function main({'{ event, secrets }'}) and trigger it on an event or a cron schedule.</p>
        </EmptyState>
      ) : (
        <SearchedList view={list} sorts={LIST.sorts} noun="functions" one="function" total={query.data.length} testId="logic">
          <div className="table-scroll">
            <Table className="table" aria-label="Logic functions" onRowAction={(id) => navigate(fnPath(String(id)))}>
              <TableHeader>
                <Column isRowHeader className="col">Name</Column>
                <Column className="col">Status</Column>
                <Column className="col">Triggers</Column>
                <Column className="col">Secrets</Column>
                <Column className="col">Updated</Column>
                <Column className="col col-actions"><span className="visually-hidden">Actions</span></Column>
              </TableHeader>
              <TableBody items={list.shown}>
                {(fn) => (
                  <Row id={fn.id} className="row">
                    <Cell className="cell">
                      <Link to={fnPath(fn.id)}><Breakable text={fn.name} /></Link>
                    </Cell>
                    <Cell className="cell">
                      <span className={`badge ${fn.enabled ? 'badge-success' : ''}`}>{fn.enabled ? 'Enabled' : 'Disabled'}</span>
                    </Cell>
                    <Cell className="cell"><Breakable text={describeTriggers(fn.logic_triggers)} /></Cell>
                    <Cell className="cell mono">{fn.secrets?.length ? <NameList names={fn.secrets} /> : <span className="muted">None</span>}</Cell>
                    <Cell className="cell"><Time iso={fn.updated_at} /></Cell>
                    <Cell className="cell col-actions">
                      <LogicRowMenu fn={fn} onAction={(a) => void onAction(fn, a)} />
                    </Cell>
                  </Row>
                )}
              </TableBody>
            </Table>
          </div>
        </SearchedList>
      )}
      <ConfirmDialog
        title={`Delete ${deleting?.name ?? ''}?`}
        isOpen={deleting !== null}
        onClose={() => setDeleting(null)}
        returnFocusTo={returnFocusTo}
        confirmLabel="Delete function"
        onConfirm={async () => {
          await logicApi.remove(prefix, deleting!.id);
          await refresh();
          setNotice(`Logic function ${deleting!.name} deleted.`);
        }}
      >
        <p>Its triggers stop and its run history is removed. The secrets it uses are not deleted.</p>
      </ConfirmDialog>
    </section>
  );
}
