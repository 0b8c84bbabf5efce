import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { publishEvent } from '../api/events-api.ts';
import { messageOf } from '../api/http.ts';
import { useScope } from '../scope/scope-context.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';

/** Publishes one event into the scope's stream (integrations and Logic triggers see it). */
export function PublishForm() {
  const { prefix, perms } = useScope();
  const [name, setName] = useState('');
  const [data, setData] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const { formRef, focusInvalid } = useFocusInvalid();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setResult(null);
      setNameError('Event name is required');
      focusInvalid();
      return;
    }
    setNameError(null);
    setBusy(true);
    setResult(null);
    try {
      await publishEvent(prefix, name.trim(), data);
      setResult({ tone: 'success', text: `Published ${name.trim()}.` });
    } catch (err) {
      setResult({ tone: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria" aria-label="Publish an event">
      <div className="grid-2">
        <TextInput label="Event name" value={name} onChange={setName} error={nameError} isRequired mono isDisabled={!perms.canWrite} />
        <TextInput label="Event data" value={data} onChange={setData} mono isDisabled={!perms.canWrite} />
      </div>
      {result ? <Notice tone={result.tone}>{result.text}</Notice> : null}
      <div className="row-actions">
        <Button
          type="submit"
          className="btn btn-primary"
          isPending={busy}
          isDisabled={!perms.canWrite}
          aria-describedby={perms.writeReason ? 'publish-reason' : undefined}
        >
          Publish
        </Button>
      </div>
      {perms.writeReason ? <DisabledReason id="publish-reason">{perms.writeReason}</DisabledReason> : null}
    </Form>
  );
}
