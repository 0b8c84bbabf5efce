import { secretsApi } from '../api/secrets-api.ts';
import type { Secret } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { Breakable } from '../ui/format.tsx';
import type { FocusTarget } from '../ui/use-return-focus.ts';
import { useInvalidateSecrets } from './secret-queries.ts';

/** Confirmation before deleting an unused secret. The server's refusal (still in use) is shown as is. */
export function DeleteSecretDialog(props: {
  readonly name: string | null;
  readonly onClose: () => void;
  readonly onDeleted: (name: string) => void;
  readonly returnFocusTo?: FocusTarget;
}) {
  const { prefix } = useScope();
  const invalidate = useInvalidateSecrets();
  const name = props.name ?? '';
  return (
    <ConfirmDialog
      returnFocusTo={props.returnFocusTo}
      title={`Delete secret ${name}?`}
      isOpen={props.name !== null}
      onClose={props.onClose}
      confirmLabel="Delete secret"
      testId="delete-secret-dialog"
      onConfirm={async () => {
        await secretsApi.remove(prefix, name);
        await invalidate();
        props.onDeleted(name);
      }}
    >
      <p>
        The value of <code><Breakable text={name} /></code> is destroyed and cannot be recovered. Nothing uses it at the moment.
      </p>
    </ConfirmDialog>
  );
}

/** How many users are named in the reason before "and N more". */
const NAMED_USERS = 3;

/**
 * Why a secret cannot be deleted, naming what uses it, or null when it can.
 * The list gives names only for users the caller can see; the count is authoritative.
 */
export function deleteBlockedReason(secret: Pick<Secret, 'usage_count' | 'integrations' | 'logic_functions'>): string | null {
  const count = secret.usage_count;
  if (count <= 0) return null;
  const uses = count === 1 ? '1 integration or Logic function' : `${count} integrations or Logic functions`;
  const names = [
    ...secret.integrations.map((i) => `integration “${i.name || i.id}”`),
    ...secret.logic_functions.map((f) => `Logic function “${f.name || f.id}”`),
  ];
  const shown = names.slice(0, NAMED_USERS).join(', ');
  const more = names.length > NAMED_USERS ? ` and ${names.length - NAMED_USERS} more` : '';
  const them = count === 1 ? 'it' : 'them';
  return names.length
    ? `In use by ${uses}: ${shown}${more}. Remove the secret from ${them} before deleting.`
    : `In use by ${uses}. Remove the secret from ${them} before deleting.`;
}
