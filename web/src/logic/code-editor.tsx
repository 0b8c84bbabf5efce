import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { CodeDiagnostic, CodeView } from './codemirror-view.ts';

export interface CodeEditorProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly description?: ReactNode;
  readonly error?: string | null;
  readonly diagnostics: readonly CodeDiagnostic[];
  readonly isDisabled?: boolean;
}

/**
 * The Logic code field: CodeMirror 6 (JavaScript highlighting, line numbers, lint
 * diagnostics), fetched with a dynamic import when the field first shows. Until then, or
 * if CodeMirror cannot load, a plain textarea with the same label edits the same value.
 */
export function CodeEditor(props: CodeEditorProps) {
  const id = useId();
  const [labelId, descId, errorId] = [`${id}-label`, `${id}-desc`, `${id}-error`];
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<CodeView | null>(null);
  const [loaded, setLoaded] = useState(false);
  const latest = useRef(props);
  latest.current = props;
  // Values the editor reported and React may still render late: they must not be written
  // back into the editor (that would undo the keys typed since and move the caret).
  const emitted = useRef(new Set<string>());
  const describedBy = [props.description ? descId : null, props.error ? errorId : null].filter(Boolean).join(' ');
  // The editable area sits in a shadow root (see codemirror-view.ts), where ids of the page
  // do not resolve: it carries its label itself.
  const attributes: Record<string, string> = {
    'aria-label': props.label,
    'aria-invalid': props.error ? 'true' : 'false',
    'data-testid': 'code-editor',
  };
  const attributesKey = JSON.stringify(attributes);

  useEffect(() => {
    let cancelled = false;
    let created: CodeView | null = null;
    import('./codemirror-view.ts')
      .then((m) => {
        if (cancelled || !host.current) return;
        const p = latest.current;
        created = m.createCodeView({ parent: host.current, value: p.value, onChange: (v) => {
            emitted.current.add(v);
            latest.current.onChange(v);
          }, attributes, readOnly: !!p.isDisabled });
        view.current = created;
        setLoaded(true);
      })
      // The textarea stays: the code can still be edited and saved.
      .catch(() => undefined);
    return () => {
      cancelled = true;
      created?.destroy();
      view.current = null;
    };
    // Created once; later changes reach the view through the effects below.
  }, []);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    if (emitted.current.has(props.value)) {
      if (props.value === v.value()) emitted.current.clear();
      return;
    }
    v.setValue(props.value);
    emitted.current.clear();
  }, [props.value, loaded]);
  useEffect(() => view.current?.setDiagnostics(props.diagnostics), [JSON.stringify(props.diagnostics), loaded]);
  useEffect(() => view.current?.setAttributes(attributes), [attributesKey, loaded]);
  useEffect(() => view.current?.setReadOnly(!!props.isDisabled), [props.isDisabled, loaded]);

  return (
    <div className="field code-field" data-invalid={props.error ? true : undefined}>
      <span className="field-label" id={labelId} onClick={() => view.current?.focus()}>
        {props.label}
      </span>
      <div ref={host} className="code-editor" />
      {loaded ? null : (
        <textarea
          className="input textarea mono"
          rows={16}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          aria-labelledby={labelId}
          aria-describedby={describedBy || undefined}
          aria-invalid={props.error ? true : undefined}
          disabled={props.isDisabled}
          spellCheck={false}
        />
      )}
      {props.description ? <p className="field-help" id={descId}>{props.description}</p> : null}
      {props.error ? <p className="field-error" id={errorId}>{props.error}</p> : null}
    </div>
  );
}
