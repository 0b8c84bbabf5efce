import type { ReactNode } from 'react';
import { Dialog, Heading } from 'react-aria-components/Dialog';
import { ModalOverlay, Modal } from 'react-aria-components/Modal';
import { Breakable } from './format.tsx';
import { useReturnFocus, type FocusTarget } from './use-return-focus.ts';

export interface AppDialogProps {
  readonly title: string;
  readonly isOpen: boolean;
  readonly onOpenChange: (open: boolean) => void;
  readonly children: ReactNode;
  /** `alertdialog` for destructive confirmations. */
  readonly role?: 'dialog' | 'alertdialog';
  readonly size?: 'small' | 'medium' | 'large';
  readonly testId?: string;
  /** Where focus goes back after closing when the opener is gone (a row's "…" menu item). */
  readonly returnFocusTo?: FocusTarget;
}

/**
 * A modal dialog (react-aria ModalOverlay + Modal + Dialog): focus is trapped inside,
 * Escape and a click outside close it, focus returns to what opened it.
 */
export function AppDialog(props: AppDialogProps) {
  useReturnFocus(props.isOpen, props.returnFocusTo);
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      isDismissable
    >
      <Modal className={`modal modal-${props.size ?? 'medium'}`}>
        <Dialog className="dialog" role={props.role ?? 'dialog'} data-testid={props.testId}>
          <Heading slot="title" className="dialog-title">
            <Breakable text={props.title} />
          </Heading>
          {props.children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
