import { Button } from 'react-aria-components/Button';
import { Menu, MenuItem, MenuTrigger, Popover, Text, type Key } from 'react-aria-components/Menu';
import type { Secret } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { deleteBlockedReason } from './delete-secret-dialog.tsx';

export type SecretAction = 'details' | 'edit' | 'delete';

/**
 * The "…" menu of a secret row. Actions the user may not take stay visible, disabled,
 * with the reason underneath.
 */
export function SecretRowMenu(props: { readonly secret: Secret; readonly onAction: (action: SecretAction) => void }) {
  const { perms } = useScope();
  const { secret } = props;
  const deleteReason = perms.writeReason ?? deleteBlockedReason(secret.usage_count);
  const disabled: Key[] = [];
  if (perms.writeReason) disabled.push('edit');
  if (deleteReason) disabled.push('delete');
  return (
    <MenuTrigger>
      <Button className="btn btn-icon" aria-label={`Actions for ${secret.name}`} data-testid={`secret-actions-${secret.name}`}>
        <span aria-hidden="true">…</span>
      </Button>
      <Popover className="popover" placement="bottom end">
        <Menu
          className="menu"
          aria-label={`Actions for ${secret.name}`}
          disabledKeys={disabled}
          onAction={(key) => props.onAction(key as SecretAction)}
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
    </MenuTrigger>
  );
}
