import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

const FOCUSABLE = 'input:not([type="hidden"]), textarea, select, button, [tabindex], [contenteditable="true"]';

function canFocus(el: HTMLElement): boolean {
  if (el.tabIndex < 0 || (el as HTMLInputElement).disabled) return false;
  // react-aria's hidden <select> and <input> (form values of Select) sit in an aria-hidden box.
  return !el.closest('[aria-hidden="true"], [inert]');
}

/**
 * Focuses the first field marked invalid inside `root`, in document order: an element with
 * `aria-invalid="true"`, or the first focusable control inside a react-aria field marked
 * `data-invalid` (a Select's trigger button). Returns whether something got focus.
 */
export function focusFirstInvalid(root: HTMLElement): boolean {
  for (const marked of root.querySelectorAll<HTMLElement>('[aria-invalid="true"], [data-invalid]')) {
    const candidates = marked.matches(FOCUSABLE) ? [marked] : Array.from(marked.querySelectorAll<HTMLElement>(FOCUSABLE));
    const target = candidates.find(canFocus);
    if (target) {
      target.focus();
      return true;
    }
  }
  return false;
}

/**
 * After a refused submit, moves focus to the form's first invalid field (as mature form
 * libraries do), so keyboard and screen-reader users land on the error rather than stay on
 * the submit button. Attach `formRef` to the form; call `focusInvalid()` where the submit
 * handler returns early. Focus moves after React has rendered the error states.
 */
export function useFocusInvalid<T extends HTMLElement = HTMLFormElement>(): {
  readonly formRef: RefObject<T | null>;
  readonly focusInvalid: () => void;
} {
  const formRef = useRef<T>(null);
  const [request, setRequest] = useState(0);
  useEffect(() => {
    if (request > 0 && formRef.current) focusFirstInvalid(formRef.current);
  }, [request]);
  const focusInvalid = useCallback(() => setRequest((n) => n + 1), []);
  return { formRef, focusInvalid };
}
