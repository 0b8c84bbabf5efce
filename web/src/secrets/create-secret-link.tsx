import { useId } from 'react';
import { useScope } from '../scope/scope-context.tsx';

/**
 * "click here to create a new secret": opens the Secrets page of the same scope in a new
 * tab with the create dialog open. Back in this tab, the picker refetches on focus.
 */
export function CreateSecretLink(props: { readonly prefixText?: string }) {
  const { base, perms } = useScope();
  const noteId = useId();
  if (!perms.canWrite) {
    return <p className="field-help">{perms.writeReason}</p>;
  }
  return (
    <p className="field-help create-secret-link">
      {props.prefixText ?? 'Need another secret? '}
      <a
        href={`${base}/secrets?create=1`}
        target="_blank"
        rel="noopener noreferrer"
        aria-describedby={noteId}
        data-testid="create-secret-link"
      >
        click here to create a new secret
      </a>
      <span aria-hidden="true"> ↗</span>
      <span id={noteId} className="visually-hidden">
        Opens in a new tab. When you come back, the new secret is listed here.
      </span>
    </p>
  );
}
