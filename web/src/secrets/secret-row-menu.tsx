import type { RefObject } from 'react';
import { Menu, MenuItem, Popover, Text, type Key } from 'react-aria-components/Menu';
import type { Secret } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { deleteBlockedReason } from './delete-secret-dialog.tsx';

export type SecretAction = 'details' | 'edit' | 'delete';

/**
 * The "…" menu of a secret row. Actions the user may not take stay visible, disabled,
 * with the reason underneath. One menu serves the whole table: it opens next to the
 * row button in `triggerRef` (a menu trigger per row made 1,000 secrets slow to render),
 * and closing it gives focus back to that button.
 */
export function SecretActionsMenu(props: {
  readonly secret: Secret | null;
  readonly triggerRef: RefObject<HTMLElement | null>;
  readonly onClose: () => void;
  readonly onAction: (secret: Secret, action: SecretAction) => void;
}) {
  const { perms } = useScope();
  const { secret } = props;
  if (!secret) return null;
  const deleteReason = perms.writeReason ?? deleteBlockedReason(secret);
  const disabled: Key[] = [];
  if (perms.writeReason) disabled.push('edit');
  if (deleteReason) disabled.push('delete');
  return (
    <Popover
      className="popover"
      placement="bottom end"
      aria-label={`Actions for ${secret.name}`}
      triggerRef={props.triggerRef}
      isOpen
      onOpenChange={(open) => (open ? undefined : props.onClose())}
    >
      <Menu
        className="menu"
        aria-label={`Actions for ${secret.name}`}
        autoFocus="first"
        disabledKeys={disabled}
        onAction={(key) => {
          props.onClose();
          props.onAction(secret, key as SecretAction);
        }}
      >
        <MenuItem className="menu-item" id="details" textValue="View details">
          View details
        </MenuItem>
        <MenuItem className="menu-item" id="edit" textValue="Edit">
          <Text slot="label">Edit</Text>
          {perms.writeReason ? (
            <Text slot="description" className="menu-item-reason">
              {perms.writeReason}
            </Text>
          ) : null}
        </MenuItem>
        <MenuItem className="menu-item menu-item-danger" id="delete" textValue="Delete">
          <Text slot="label">Delete</Text>
          {deleteReason ? (
            <Text slot="description" className="menu-item-reason">
              {deleteReason}
            </Text>
          ) : null}
        </MenuItem>
      </Menu>
    </Popover>
  );
}
