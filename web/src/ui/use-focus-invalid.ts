import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

const FOCUSABLE = 'input:not([type="hidden"]), textarea, select, button, [tabindex], [contenteditable="true"]';

function canFocus(el: HTMLElement): boolean {
  // An editable area is focusable without a tabindex (some DOMs report -1 for it).
  const editable = el.getAttribute('contenteditable') === 'true';
  if ((el.tabIndex < 0 && !editable) || (el as HTMLInputElement).disabled) return false;
  // react-aria's hidden <select> and <input> (form values of Select) sit in an aria-hidden box.
  return !el.closest('[aria-hidden="true"], [inert]');
}

/**
 * Focuses the first field marked invalid inside `root`, in document order: an element with
 * `aria-invalid="true"`, or the first focusable control inside a react-aria field marked
 * `data-invalid` (a Select's trigger button). Returns whether something got focus.
 */
/** A field's focusable controls, also those in an open shadow root inside it (the Logic code editor's). */
function controlsOf(marked: HTMLElement): HTMLElement[] {
  if (marked.matches(FOCUSABLE)) return [marked];
  const shadows = Array.from(marked.querySelectorAll<HTMLElement>('*')).flatMap((el) => (el.shadowRoot ? [el.shadowRoot] : []));
  return [marked, ...shadows].flatMap((r) => Array.from(r.querySelectorAll<HTMLElement>(FOCUSABLE)));
}

export function focusFirstInvalid(root: HTMLElement): boolean {
  for (const marked of root.querySelectorAll<HTMLElement>('[aria-invalid="true"], [data-invalid]')) {
    const candidates = controlsOf(marked);
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
