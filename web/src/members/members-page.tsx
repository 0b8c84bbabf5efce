import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import { messageOf } from '../api/http.ts';
import type { Member } from '../api/logic-types.ts';
import { orgApi } from '../api/org-api.ts';
import type { OrgRole } from '../api/types.ts';
import { consolePath, orgScope } from '../scope/scope.ts';
import { useScope } from '../scope/scope-context.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { byTestId } from '../ui/use-return-focus.ts';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { AddMemberForm, ROLE_OPTIONS } from './add-member-form.tsx';

function OrgMembers({ slug }: { readonly slug: string }) {
  const { perms, session } = useScope();
  const queryClient = useQueryClient();
  const key = ['members', slug];
  // Listing members is an administrator action too (a denied attempt is audited): only ask when allowed.
  const query = useQuery({ queryKey: key, queryFn: () => orgApi.members(slug), enabled: perms.canManageMembers });
  const [removing, setRemoving] = useState<Member | null>(null);
  // Kept after the dialog closes (removing is null by then) for its returnFocusTo.
  const removed = useRef('');
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const disabled = !perms.canManageMembers;

  const changeRole = async (m: Member, role: OrgRole) => {
    if (role === m.role) return;
    try {
      await orgApi.setRole(slug, m.user_id, role);
      await refresh();
      setNotice({ tone: 'success', text: `${m.username} is now ${role}.` });
    } catch (err) {
      setNotice({ tone: 'error', text: messageOf(err) });
    }
  };

  return (
    <>
      {notice ? <Notice tone={notice.tone}>{notice.text}</Notice> : null}
      {/* Only administrators see the form; everyone else gets one explanation below. */}
      {disabled ? null : (
      <section className="section" aria-labelledby="add-member-title">
        <h2 className="section-title" id="add-member-title">Add a member</h2>
        <AddMemberForm
          slug={slug}
          isDisabled={disabled}
          onAdded={async (username) => {
            await refresh();
            setNotice({ tone: 'success', text: `${username} added.` });
          }}
        />
      </section>
      )}
      {disabled ? (
        <EmptyState title="Members are visible to administrators">
          <p>{perms.membersReason}</p>
        </EmptyState>
      ) : query.isPending ? (
        <LoadingState label="Loading members…" />
      ) : query.isError ? (
        <ErrorState title="Could not load members" error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <div className="table-scroll">
          <Table className="table" aria-label="Members">
            <TableHeader>
              <Column isRowHeader className="col">Username</Column>
              <Column className="col">Role</Column>
              <Column className="col">Member since</Column>
              <Column className="col col-actions"><span className="visually-hidden">Actions</span></Column>
            </TableHeader>
            <TableBody items={query.data} dependencies={[disabled]}>
              {(m) => (
                <Row id={m.user_id} className="row">
                  <Cell className="cell">
                    <Breakable text={m.username} />
                    {m.user_id === session.user.id ? <span className="muted"> (you)</span> : null}
                  </Cell>
                  <Cell className="cell">
                    <SelectInput
                      label={`Role of ${m.username}`}
                      ariaLabel={`Role of ${m.username}`}
                      options={ROLE_OPTIONS}
                      value={m.role}
                      onChange={(r) => void changeRole(m, r as OrgRole)}
                      isDisabled={disabled}
                    />
                  </Cell>
                  <Cell className="cell"><Time iso={m.created_at} /></Cell>
                  <Cell className="cell col-actions">
                    <Button
                      className="btn btn-quiet btn-small"
                      aria-label={`Remove ${m.username}`}
                      data-testid={`member-remove-${m.user_id}`}
                      onPress={() => {
                        removed.current = m.user_id;
                        setRemoving(m);
                      }}
                    >
                      Remove
                    </Button>
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        </div>
      )}
      <ConfirmDialog
        title={`Remove ${removing?.username ?? ''}?`}
        isOpen={removing !== null}
        onClose={() => setRemoving(null)}
        confirmLabel="Remove member"
        // Back to the row's Remove button when cancelled, to the first member's once removed.
        returnFocusTo={() => byTestId(`member-remove-${removed.current}`) ?? document.querySelector<HTMLElement>('[data-testid^="member-remove-"]')}
        onConfirm={async () => {
          await orgApi.removeMember(slug, removing!.user_id);
          await refresh();
          setNotice({ tone: 'success', text: `${removing!.username} removed.` });
        }}
      >
        <p>They lose access to this organization's secrets, integrations and Logic at once.</p>
      </ConfirmDialog>
    </>
  );
}

/** Members of an organization; administrators add and remove them and change roles. */
export function MembersPage() {
  const { scope, session } = useScope();
  if (scope.kind === 'sandbox') {
    return (
      <section>
        <PageHeader title="Members" />
        <EmptyState title="Your sandbox has no members">
          <p>Members belong to organizations. Switch to one of yours to see its members:</p>
          {session.orgs.length ? (
            <ul className="link-list">
              {session.orgs.map((o) => (
                <li key={o.slug}><Link to={`${consolePath(orgScope(o))}/members`}>{o.name}</Link></li>
              ))}
            </ul>
          ) : (
            <p>You do not belong to any organization.</p>
          )}
        </EmptyState>
      </section>
    );
  }
  return (
    <section>
      <PageHeader title={`Members of ${scope.name}`} description="Who can use this organization's secrets, integrations and Logic, and with which role." />
      <OrgMembers slug={scope.slug} />
    </section>
  );
}
