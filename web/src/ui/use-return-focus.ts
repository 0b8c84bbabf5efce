import { useEffect, useRef } from 'react';

/** Finds the control to give focus back to (null when it no longer exists). */
export type FocusTarget = () => HTMLElement | null | undefined;

/**
 * After an overlay closes, gives focus to `target()` (the control that opened it).
 * react-aria restores focus to the element that had it when the dialog opened; for a
 * dialog opened from a row's "…" menu that is the menu item, gone by then, so focus fell
 * to the page body (or a react-aria table's row) and the next Tab jumped elsewhere. While
 * the modal was open focus could not leave it, so moving focus here takes nothing away.
 */
export function useReturnFocus(isOpen: boolean, target: FocusTarget | undefined): void {
  const wasOpen = useRef(isOpen);
  const targetRef = useRef(target);
  targetRef.current = target;
  useEffect(() => {
    const closed = wasOpen.current && !isOpen;
    wasOpen.current = isOpen;
    if (!closed || !targetRef.current) return;
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      // Wait for the overlay to leave the DOM (its own focus restore runs then).
      if (document.querySelector('.modal-overlay') && tries++ < 120) {
        frame = requestAnimationFrame(attempt);
        return;
      }
      targetRef.current?.()?.focus();
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  }, [isOpen]);
}

/** The first element, in the order given, whose data-testid is one of `ids`. */
export function byTestId(...ids: readonly string[]): HTMLElement | null {
  for (const id of ids) {
    const el = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(id)}"]`);
    if (el) return el;
  }
  return null;
}
