import { secretsApi } from '../api/secrets-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useInvalidateSecrets } from './secret-queries.ts';

/** Confirmation before deleting an unused secret. The server's refusal (still in use) is shown as is. */
export function DeleteSecretDialog(props: {
  readonly name: string | null;
  readonly onClose: () => void;
  readonly onDeleted: (name: string) => void;
}) {
  const { prefix } = useScope();
  const invalidate = useInvalidateSecrets();
  const name = props.name ?? '';
  return (
    <ConfirmDialog
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
        The value of <code>{name}</code> is destroyed and cannot be recovered. Nothing uses it at the moment.
      </p>
    </ConfirmDialog>
  );
}

/** Why a secret cannot be deleted, or null when it can. */
export function deleteBlockedReason(usageCount: number): string | null {
  if (usageCount <= 0) return null;
  const uses = usageCount === 1 ? '1 integration or Logic function' : `${usageCount} integrations or Logic functions`;
  return `In use by ${uses}. Remove it from them before deleting.`;
}
