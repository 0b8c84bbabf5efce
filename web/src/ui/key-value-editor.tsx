import { useRef } from 'react';
import { Button } from 'react-aria-components/Button';
import { TextInput } from './text-input.tsx';
import { useFocusAfterRender } from './use-focus-after-render.ts';

export interface Pair {
  readonly key: string;
  readonly value: string;
}

export interface KeyValueEditorProps {
  /** Section label, e.g. "Headers". */
  readonly label: string;
  /** Singular noun for one row, e.g. "Header". */
  readonly itemLabel: string;
  readonly pairs: readonly Pair[];
  readonly onChange: (pairs: Pair[]) => void;
  readonly description?: string;
  readonly isDisabled?: boolean;
  readonly testId?: string;
}

/**
 * Rows of name/value text fields with add and remove buttons (query, headers, form fields).
 * Adding a row focuses its name field; removing one focuses the next row (or the add button).
 */
export function KeyValueEditor(props: KeyValueEditorProps) {
  const { pairs, itemLabel } = props;
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const focusLater = useFocusAfterRender();
  const rowName = (index: number) => fieldsetRef.current?.querySelectorAll('.kv-row')[index]?.querySelector<HTMLElement>('input');
  const update = (index: number, patch: Partial<Pair>) =>
    props.onChange(pairs.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  const add = () => {
    const index = pairs.length;
    focusLater(() => rowName(index));
    props.onChange([...pairs, { key: '', value: '' }]);
  };
  const remove = (index: number) => {
    const left = pairs.length - 1;
    focusLater(() => (left > 0 ? rowName(Math.min(index, left - 1)) : addRef.current));
    props.onChange(pairs.filter((_, j) => j !== index));
  };
  return (
    <fieldset className="kv-editor" data-testid={props.testId} ref={fieldsetRef}>
      <legend className="field-label">{props.label}</legend>
      {props.description ? <p className="field-help">{props.description}</p> : null}
      {pairs.length === 0 ? <p className="muted">None.</p> : null}
      {pairs.map((pair, i) => (
        <div className="kv-row" key={i}>
          <TextInput
            label={`${itemLabel} ${i + 1} name`}
            value={pair.key}
            onChange={(key) => update(i, { key })}
            isDisabled={props.isDisabled}
            mono
          />
          <TextInput
            label={`${itemLabel} ${i + 1} value`}
            value={pair.value}
            onChange={(value) => update(i, { value })}
            isDisabled={props.isDisabled}
            mono
          />
          <Button
            className="btn btn-quiet btn-small"
            aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`}
            onPress={() => remove(i)}
            isDisabled={props.isDisabled}
          >
            Remove
          </Button>
        </div>
      ))}
      <Button
        ref={addRef}
        className="btn btn-secondary btn-small"
        onPress={add}
        isDisabled={props.isDisabled}
      >
        Add {itemLabel.toLowerCase()}
      </Button>
    </fieldset>
  );
}

/** Object → rows, and back (empty names dropped). */
export function pairsFrom(record: Readonly<Record<string, unknown>> | undefined | null): Pair[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

export function recordFrom(pairs: readonly Pair[]): Record<string, string> | undefined {
  const filled = pairs.filter((p) => p.key.trim() !== '');
  if (filled.length === 0) return undefined;
  return Object.fromEntries(filled.map((p) => [p.key.trim(), p.value]));
}
