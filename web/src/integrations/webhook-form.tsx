import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { messageOf } from '../api/http.ts';
import type { WebhookConfig } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { SecretPicker } from '../secrets/secret-picker.tsx';
import { Notice } from '../ui/notice.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import { WebhookBodyFields } from './webhook-body-fields.tsx';
import { WebhookRetryFields, WebhookSigningField } from './webhook-delivery-fields.tsx';
import { TemplateVarsWarning } from './template-vars-warning.tsx';
import { draftProblems, draftToConfig, type WebhookDraft } from './webhook-draft.ts';
import { WebhookRequestFields } from './webhook-request-fields.tsx';
import { WebhookSummary } from './webhook-summary.tsx';
import { WebhookResponseFields } from './webhook-response-fields.tsx';

export interface WebhookFormProps {
  readonly initial: WebhookDraft;
  readonly submitLabel: string;
  readonly onSubmit: (config: WebhookConfig) => Promise<void>;
  readonly onCancel: () => void;
}

/** The webhook editor: every field of spec §7.3 plus the secrets it may use. */
export function WebhookForm(props: WebhookFormProps) {
  const { perms } = useScope();
  const [draft, setDraft] = useState(props.initial);
  // Only for the variable warnings: not saved.
  const [exampleData, setExampleData] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { formRef, focusInvalid } = useFocusInvalid();
  const set = (patch: Partial<WebhookDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const problems = submitted ? draftProblems(draft) : {};
  const readOnly = !perms.canWrite;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(draftProblems(draft)).length > 0) {
      focusInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(draftToConfig(draft));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  // Someone who may not change it sees the configuration, not a form of disabled fields.
  if (readOnly) {
    return (
      <>
        <Notice tone="info">{perms.writeReason}</Notice>
        <WebhookSummary draft={draft} />
      </>
    );
  }

  return (
    <Form ref={formRef} onSubmit={submit} className="webhook-form" validationBehavior="aria" aria-label="Webhook">
      <section className="section" aria-labelledby="wh-request">
        <h2 className="section-title" id="wh-request">Event and target</h2>
        <WebhookRequestFields draft={draft} set={set} problems={problems} />
      </section>
      <section className="section" aria-labelledby="wh-secrets">
        <h2 className="section-title" id="wh-secrets">Secrets</h2>
        <SecretPicker usage="webhook" value={draft.secrets} onChange={(s) => set({ secrets: s })} />
        <TextInput
          label="Example event data"
          value={exampleData}
          onChange={setExampleData}
          multiline
          rows={2}
          mono
          placeholder='{"temp": 21.5}'
         
          description="Not saved. The fields of a JSON object here count as template variables (event data that is JSON gives its fields as variables)."
        />
        <TemplateVarsWarning
          draft={draft}
          exampleData={exampleData}
          onSelect={(name) => set({ secrets: draft.secrets.includes(name) ? draft.secrets : [...draft.secrets, name] })}
         
        />
        <WebhookSigningField draft={draft} set={set} problems={problems} />
      </section>
      <section className="section" aria-labelledby="wh-body">
        <h2 className="section-title" id="wh-body">Request</h2>
        <WebhookBodyFields draft={draft} set={set} />
      </section>
      <section className="section" aria-labelledby="wh-response">
        <h2 className="section-title" id="wh-response">Responses and options</h2>
        <WebhookResponseFields draft={draft} set={set} />
        <WebhookRetryFields draft={draft} set={set} problems={problems} />
      </section>
      {submitted && Object.keys(problems).length > 0 ? (
        <Notice tone="error">Check the highlighted fields: {Object.values(problems).join('; ')}.</Notice>
      ) : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="dialog-actions">
        <Button className="btn btn-secondary" onPress={props.onCancel}>
          Cancel
        </Button>
        <Button
          type="submit"
          className="btn btn-primary"
          isPending={busy}
        >
          {props.submitLabel}
        </Button>
      </div>
    </Form>
  );
}
