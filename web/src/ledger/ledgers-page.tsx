import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { ledgerApi } from '../api/ledger-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { ACTIONS_COLUMN, SimpleTable } from '../ui/simple-table.tsx';
import { byTestId } from '../ui/use-return-focus.ts';
import { WriteButton } from '../ui/write-button.tsx';
import { CreateLedgerDialog, kindLabel } from './create-ledger-dialog.tsx';
import { useInvalidateLedgers, useLedgers } from './ledger-queries.ts';

/** Cloud services → Ledger: the owner's ledger definitions, create and archive. */
export function LedgersPage() {
  const { prefix, perms, base, scope } = useScope();
  const query = useLedgers();
  const invalidate = useInvalidateLedgers();
  const [createOpen, setCreateOpen] = useState(false);
  const [archiving, setArchiving] = useState<string | null>(null);
  // The name stays after the dialog closes (archiving is null by then) for returnFocusTo.
  const archived = useRef('');
  const [notice, setNotice] = useState<string | null>(null);
  const where = scope.kind === 'sandbox' ? 'your sandbox' : scope.name;
  const ledgers = query.data ?? [];
  const createButton = (
    <WriteButton
      label="Create ledger"
      testId="create-ledger-button"
      reasonId="ledger-write-reason"
      onPress={() => {
        setNotice(null);
        setCreateOpen(true);
      }}
    />
  );
  return (
    <section aria-labelledby="ledgers-title">
      <PageHeader
        title="Ledger"
        description={`Cloud data of ${where} that Logic functions read and write with Particle.ledger(), as JSON objects per owner, product or device.`}
        actions={createButton}
      />
      {perms.writeReason ? <DisabledReason id="ledger-write-reason">{perms.writeReason}</DisabledReason> : null}
      {notice ? <Notice tone="success" testId="ledgers-notice">{notice}</Notice> : null}
      {query.isPending ? (
        <LoadingState label="Loading ledgers…" />
      ) : query.isError ? (
        <ErrorState title="Could not load ledgers" error={query.error} onRetry={() => void query.refetch()} />
      ) : ledgers.length === 0 ? (
        <EmptyState title="No ledgers yet">
          <p>Create a ledger, then use it in a Logic function as <code>Particle.ledger('name')</code>.</p>
        </EmptyState>
      ) : (
        <SimpleTable label="Ledgers" testId="ledgers-table" columns={['Name', 'Scope', 'Kind', 'Description', 'Updated', perms.canWrite ? ACTIONS_COLUMN : null]}>
              {ledgers.map((l) => (
                <tr key={l.name} className="row" data-testid={`ledger-row-${l.name}`}>
                  <th className="cell mono" scope="row"><Link to={`${base}/ledger/${encodeURIComponent(l.name)}`}><Breakable text={l.name} /></Link></th>
                  <td className="cell">{l.scope}</td>
                  <td className="cell">{kindLabel(l.direction)}</td>
                  <td className="cell">{l.description}</td>
                  <td className="cell"><Time iso={l.updated_at} /></td>
                  {perms.canWrite ? (
                    <td className="cell">
                      <Button
                        className="btn btn-danger btn-small"
                        aria-label={`Archive ${l.name}`}
                        data-testid={`ledger-archive-${l.name}`}
                        onPress={() => {
                          archived.current = l.name;
                          setArchiving(l.name);
                        }}
                      >
                        Archive
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
        </SimpleTable>
      )}
      <CreateLedgerDialog isOpen={createOpen} onClose={() => setCreateOpen(false)} onCreated={(name) => setNotice(`Ledger ${name} created.`)} />
      <ConfirmDialog
        title={`Archive ${archiving ?? ''}?`}
        isOpen={archiving !== null}
        onClose={() => setArchiving(null)}
        confirmLabel="Archive ledger"
        testId="archive-ledger-dialog"
        // Back to the row's Archive button when cancelled, to Create ledger once it is archived.
        returnFocusTo={() => byTestId(`ledger-archive-${archived.current}`, 'create-ledger-button')}
        onConfirm={async () => {
          const name = archiving ?? '';
          await ledgerApi.archive(prefix, name);
          await invalidate();
          setNotice(`Ledger ${name} archived.`);
        }}
      >
        <p>Logic functions can no longer read or write it. Its name cannot be used again.</p>
      </ConfirmDialog>
    </section>
  );
}
