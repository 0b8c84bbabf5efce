import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { messageOf } from '../api/http.ts';
import type { LogicFunctionInput } from '../api/logic-types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { SecretPicker } from '../secrets/secret-picker.tsx';
import { Notice } from '../ui/notice.tsx';
import { useSecrets } from '../secrets/secret-queries.ts';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';
import { draftToInput, hasProblems, logicProblems, type LogicDraft } from './logic-draft.ts';
import { TestRunPanel } from './test-run-panel.tsx';
import { TriggerEditor } from './trigger-editor.tsx';
import { CodeEditor } from './code-editor.tsx';
import { LogicSummary } from './logic-summary.tsx';
import { unselectedSecretDiagnostics, UnselectedSecretsWarning } from './unselected-secrets.tsx';

export interface LogicFormProps {
  readonly initial: LogicDraft;
  readonly submitLabel: string;
  readonly onSubmit: (input: LogicFunctionInput) => Promise<void>;
  readonly onCancel: () => void;
}

/** Name, code, secrets, triggers, a test run, and save/deploy. */
export function LogicForm(props: LogicFormProps) {
  const { perms } = useScope();
  const [draft, setDraft] = useState(props.initial);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { formRef, focusInvalid } = useFocusInvalid();
  const set = (patch: Partial<LogicDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const problems = submitted ? logicProblems(draft) : { triggers: {} };
  const readOnly = !perms.canWrite;
  const eventTrigger = draft.triggers.find((t) => t.type === 'Event');
  const existingSecrets = new Set((useSecrets().data ?? []).map((s) => s.name));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (hasProblems(logicProblems(draft))) {
      focusInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(draftToInput(draft));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  // Someone who may not change (or run) it sees the function, not a form of disabled fields.
  if (readOnly) {
    return (
      <>
        <Notice tone="info">{perms.writeReason}</Notice>
        <LogicSummary draft={draft} />
      </>
    );
  }

  return (
    <Form ref={formRef} onSubmit={submit} validationBehavior="aria" aria-label="Logic function">
      <section className="section form-stack" aria-labelledby="lf-details">
        <h2 className="section-title" id="lf-details">Function</h2>
        <div className="grid-2">
          <TextInput label="Name" value={draft.name} onChange={(name) => set({ name })} error={problems.name ?? null} isRequired />
          <TextInput label="Description" value={draft.description} onChange={(description) => set({ description })} />
        </div>
        <ToggleSwitch
          label="Enabled"
          isSelected={draft.enabled}
          onChange={(enabled) => set({ enabled })}
         
          description="A disabled function keeps its code and triggers but does not run."
        />
        <ToggleSwitch
          label="Use environment variables"
          isSelected={draft.useEnv}
          onChange={(useEnv) => set({ useEnv })}
         
          description={<>Runs get <code>env</code>: the environment variables last rolled out for the owner, the event’s product and device.</>}
        />
      </section>
      <div className="code-layout">
        <section className="section" data-testid="code-section">
          <h2 className="section-title" id="lf-code">Code</h2>
          <CodeEditor
            label="Code"
            value={draft.code}
            onChange={(code) => set({ code })}
            error={problems.code ?? null}
            diagnostics={unselectedSecretDiagnostics(draft.code, draft.secrets, existingSecrets)}
           
            description="An ES module with export default function. Modules: particle:core, particle:encoding. No network."
          />
        </section>
        <section className="section test-beside-code" aria-labelledby="lf-test">
          <h2 className="section-title" id="lf-test">Test</h2>
          <p className="field-help">Runs the code once with this event, without saving. Secret values show as [[SENSITIVE]] in the logs.</p>
          <TestRunPanel
            code={draft.code}
            secrets={draft.secrets}
            useEnv={draft.useEnv}
            defaultEvent={eventTrigger?.event_name ?? ''}
            defaultProductId={eventTrigger?.product_id ?? null}
          />
        </section>
      </div>
      <section className="section" aria-labelledby="lf-secrets">
        <h2 className="section-title" id="lf-secrets">Secrets</h2>
        <UnselectedSecretsWarning
          code={draft.code}
          selected={draft.secrets}
          onSelect={(name) => setDraft((d) => ({ ...d, secrets: [...d.secrets, name] }))}
         
        />
        <SecretPicker usage="logic" value={draft.secrets} onChange={(secrets) => set({ secrets })} />
      </section>
      <section className="section" aria-labelledby="lf-triggers">
        <h2 className="section-title" id="lf-triggers">Triggers</h2>
        <TriggerEditor triggers={draft.triggers} onChange={(triggers) => set({ triggers })} problems={problems.triggers} />
      </section>
      {submitted && hasProblems(problems) ? <Notice tone="error">Check the highlighted fields before saving.</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="dialog-actions">
        <Button className="btn btn-secondary" onPress={props.onCancel}>
          Cancel
        </Button>
        <Button type="submit" className="btn btn-primary" isPending={busy}>
          {props.submitLabel}
        </Button>
      </div>
    </Form>
  );
}
