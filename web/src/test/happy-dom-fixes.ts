import './dom-timeouts.ts';
/**
 * happy-dom 21 quirk: `document instanceof window.Document` is false, so react-aria's
 * isFocusWithin() thinks nothing inside a dialog has focus and moves focus from an
 * autoFocus field to the dialog itself (browsers do not do this). Make the check
 * behave as in a browser. Import this first in tests that open dialogs.
 */
const DocumentClass = window.Document as unknown as { [Symbol.hasInstance]?: unknown };
const original = Function.prototype[Symbol.hasInstance];
Object.defineProperty(DocumentClass, Symbol.hasInstance, {
  configurable: true,
  value(this: unknown, value: unknown): boolean {
    if (value === window.document) return true;
    return original.call(this as () => void, value);
  },
});

/**
 * happy-dom gives `<wbr>` (the line-break hint of Breakable) a non-inline display, so
 * accessible names computed in tests got a space at each one ("BLYNK_ TOKEN"); in
 * browsers it is inline and adds nothing to the name.
 */
const wbrStyle = document.createElement('style');
wbrStyle.textContent = 'wbr { display: inline; }';
document.head.appendChild(wbrStyle);
