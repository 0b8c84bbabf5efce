import { useEffect, useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { messageOf } from '../api/http.ts';
import type { SetMode } from '../api/ledger-api.ts';
import { ChoiceGroup } from '../ui/choice-group.tsx';
import { useAction } from '../ui/use-action.ts';
import { Notice } from '../ui/notice.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';

const MODES = [
  { id: 'Replace' as const, label: 'Replace' },
  { id: 'Merge' as const, label: 'Merge' },
];

/** Parses the editor's text: a JSON object, or the reason it is not one. */
export function parseLedgerData(text: string): { data: Record<string, unknown> } | { problem: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { problem: `Not valid JSON: ${messageOf(e)}` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problem: 'The data must be a JSON object ({ … }), not an array, string or number' };
  return { data: v as Record<string, unknown> };
}

export interface JsonEditorProps {
  readonly initial: Record<string, unknown> | null;
  readonly onSave: (data: Record<string, unknown>, mode: SetMode) => Promise<void>;
}

/** A JSON text editor with Replace or Merge (a shallow merge of top-level keys); checked before sending. */
export function JsonEditor(props: JsonEditorProps) {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<SetMode>('Replace');
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const { formRef, focusInvalid } = useFocusInvalid();
  useEffect(() => setText(JSON.stringify(props.initial ?? {}, null, 2)), [props.initial]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseLedgerData(text);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      focusInvalid();
      return;
    }
    setProblem(null);
    await run(async () => {
      await props.onSave(parsed.data, mode);
    });
  };
  return (
    <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria" aria-label="Edit instance data" data-testid="json-editor">
      <TextInput
        label="Data (JSON)"
        value={text}
        onChange={(v) => {
          setText(v);
          setProblem(null);
        }}
        multiline
        rows={10}
        mono
        className="field code-field"
        error={problem}
        description="A JSON object. Replace stores exactly this; Merge sets these top-level keys and keeps the others."
      />
      <ChoiceGroup label="Set mode" choices={MODES} value={mode} onChange={setMode} />
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div>
        <Button type="submit" className="btn btn-primary" isPending={busy}>
          Set instance
        </Button>
      </div>
    </Form>
  );
}
