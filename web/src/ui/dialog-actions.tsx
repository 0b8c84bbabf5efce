import { Button } from 'react-aria-components/Button';

/** A form dialog's footer: Cancel, and the submit button (pending while `busy`). */
export function DialogActions(props: { readonly onCancel: () => void; readonly submitLabel: string; readonly busy: boolean }) {
  return (
    <div className="dialog-actions">
      <Button className="btn btn-secondary" onPress={props.onCancel}>
        Cancel
      </Button>
      <Button type="submit" className="btn btn-primary" isPending={props.busy}>
        {props.submitLabel}
      </Button>
    </div>
  );
}
