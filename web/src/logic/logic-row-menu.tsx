import { Button } from 'react-aria-components/Button';
import { Menu, MenuItem, MenuTrigger, Popover, Text } from 'react-aria-components/Menu';
import type { LogicFunction } from '../api/logic-types.ts';
import { useScope } from '../scope/scope-context.tsx';

export type LogicAction = 'edit' | 'toggle' | 'delete';

/** "…" menu of a Logic function row: edit, enable/disable, delete. */
export function LogicRowMenu(props: { readonly fn: LogicFunction; readonly onAction: (action: LogicAction) => void }) {
  const { perms } = useScope();
  const { fn } = props;
  const reason = perms.writeReason;
  return (
    <MenuTrigger>
      <Button className="btn btn-icon" aria-label={`Actions for ${fn.name}`} data-testid={`logic-actions-${fn.id}`}>
        <span aria-hidden="true">…</span>
      </Button>
      <Popover className="popover" placement="bottom end">
        <Menu
          className="menu"
          aria-label={`Actions for ${fn.name}`}
          disabledKeys={reason ? ['toggle', 'delete'] : []}
          onAction={(key) => props.onAction(key as LogicAction)}
        >
          <MenuItem className="menu-item" id="edit" textValue="Edit">
            {perms.canWrite ? 'Edit' : 'View'}
          </MenuItem>
          <MenuItem className="menu-item" id="toggle" textValue={fn.enabled ? 'Disable' : 'Enable'}>
            <Text slot="label">{fn.enabled ? 'Disable' : 'Enable'}</Text>
            {reason ? <Text slot="description" className="menu-item-reason">{reason}</Text> : null}
          </MenuItem>
          <MenuItem className="menu-item menu-item-danger" id="delete" textValue="Delete">
            <Text slot="label">Delete</Text>
            {reason ? <Text slot="description" className="menu-item-reason">{reason}</Text> : null}
          </MenuItem>
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}
