import { useState, type ReactNode } from 'react';
import { Button } from 'react-aria-components/Button';
import { messageOf } from '../api/http.ts';
import { AppDialog } from './app-dialog.tsx';
import type { FocusTarget } from './use-return-focus.ts';
import { Notice } from './notice.tsx';

export interface ConfirmDialogProps {
  readonly title: string;
  readonly isOpen: boolean;
  readonly onClose: () => void;
  /** Runs the action; a rejection is shown in the dialog and keeps it open. */
  readonly onConfirm: () => Promise<unknown>;
  readonly confirmLabel: string;
  readonly children: ReactNode;
  readonly testId?: string;
  readonly returnFocusTo?: FocusTarget;
}

/** "Are you sure?" for destructive actions. Cancel has focus first so Enter is never a surprise. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    props.onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      close();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AppDialog
      title={props.title}
      isOpen={props.isOpen}
      onOpenChange={(open) => (open ? undefined : close())}
      role="alertdialog"
      size="small"
      testId={props.testId}
      returnFocusTo={props.returnFocusTo}
    >
      <div className="dialog-body">{props.children}</div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="dialog-actions">
        <Button className="btn btn-secondary" onPress={close} autoFocus>
          Cancel
        </Button>
        <Button className="btn btn-danger" onPress={confirm} isPending={busy}>
          {props.confirmLabel}
        </Button>
      </div>
    </AppDialog>
  );
}
