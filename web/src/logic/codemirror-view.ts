/**
 * The Logic code editor's CodeMirror 6 view. Imported dynamically by `CodeEditor`, so
 * CodeMirror is fetched only when a Logic editor opens, never with the first page.
 * Tab is left to the page's focus order (no indent-with-Tab: the editor is no keyboard trap).
 *
 * The view lives in a shadow root: CodeMirror then styles it with constructed style sheets
 * (adoptedStyleSheets), which the console's CSP (`style-src 'self'`, no inline styles)
 * allows; in the document itself it would add a <style> element, which the CSP blocks.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';

/** A lint message on a range of the code (the unselected-secret warnings). */
export interface CodeDiagnostic {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

export interface CodeViewOptions {
  readonly parent: HTMLElement;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** ARIA attributes of the editable area (its label, description, invalid state). */
  readonly attributes: Record<string, string>;
  readonly readOnly: boolean;
}

export interface CodeView {
  readonly dom: HTMLElement;
  value(): string;
  setValue(value: string): void;
  setDiagnostics(diagnostics: readonly CodeDiagnostic[]): void;
  setAttributes(attributes: Record<string, string>): void;
  setReadOnly(readOnly: boolean): void;
  focus(): void;
  destroy(): void;
}

/** The console's look (its CSS custom properties reach into the shadow root). */
const consoleTheme = EditorView.theme({
  '&': {
    minHeight: '320px',
    maxHeight: '70vh',
    border: '1px solid var(--border-strong)',
    borderRadius: 'var(--radius-small)',
    background: 'var(--surface)',
    color: 'var(--text)',
    fontSize: '13px',
  },
  '&.cm-focused': { outline: 'none', boxShadow: 'var(--focus)', borderColor: 'var(--accent)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', minHeight: '320px' },
  '.cm-gutters': { background: 'var(--surface-sunken)', color: 'var(--text-muted)', borderRight: '1px solid var(--border)' },
});

export function createCodeView(opts: CodeViewOptions): CodeView {
  const shadow = opts.parent.shadowRoot ?? opts.parent.attachShadow({ mode: 'open' });
  const attrs = new Compartment();
  const editable = new Compartment();
  const readOnlyExt = (ro: boolean) => [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
  const view = new EditorView({
    parent: shadow,
    root: shadow,
    state: EditorState.create({
      doc: opts.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript(),
        lintGutter(),
        consoleTheme,
        keymap.of([...defaultKeymap, ...historyKeymap]),
        attrs.of(EditorView.contentAttributes.of(opts.attributes)),
        editable.of(readOnlyExt(opts.readOnly)),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) opts.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    dom: view.dom,
    value: () => view.state.doc.toString(),
    setValue(value) {
      const current = view.state.doc.toString();
      if (value !== current) view.dispatch({ changes: { from: 0, to: current.length, insert: value } });
    },
    setDiagnostics(diagnostics) {
      const length = view.state.doc.length;
      const list: Diagnostic[] = diagnostics
        .filter((d) => d.to <= length)
        .map((d) => ({ from: d.from, to: d.to, message: d.message, severity: 'warning', source: 'Hush' }));
      view.dispatch(setDiagnostics(view.state, list));
    },
    setAttributes(attributes) {
      view.dispatch({ effects: attrs.reconfigure(EditorView.contentAttributes.of(attributes)) });
    },
    setReadOnly(readOnly) {
      view.dispatch({ effects: editable.reconfigure(readOnlyExt(readOnly)) });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
