import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { publishEvent } from '../api/events-api.ts';
import { productPrefix } from '../api/products-api.ts';
import { useProductDevices } from '../products/product-queries.ts';
import { SelectInput } from '../ui/select-input.tsx';
import { messageOf } from '../api/http.ts';
import { useScope } from '../scope/scope-context.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';

const API = 'api';

/** As which device a product event is published: the API itself, or one of the product's devices. */
function DeviceChoice(props: { readonly product: string; readonly value: string; readonly onChange: (id: string) => void; readonly isDisabled: boolean }) {
  const devices = useProductDevices(props.product);
  const options = [{ id: API, label: 'The API (no device)' }, ...(devices.data ?? []).map((d) => ({ id: d, label: d }))];
  return (
    <SelectInput
      label="Device"
      options={options}
      value={props.value}
      onChange={props.onChange}
      isDisabled={props.isDisabled}
      description={devices.data?.length === 0 ? 'This product has no devices yet: add them on its product page.' : 'Logic sees the event as coming from this device.'}
      testId="publish-device"
    />
  );
}

/** Publishes one event into the scope's stream, or a product's as one of its devices (integrations and Logic triggers see it). */
export function PublishForm(props: { readonly product?: string | null }) {
  const { prefix, perms } = useScope();
  const product = props.product ?? null;
  const [device, setDevice] = useState(API);
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
      const asDevice = product && device !== API ? device : undefined;
      await publishEvent(product ? productPrefix(product) : prefix, name.trim(), data, asDevice);
      setResult({ tone: 'success', text: `Published ${name.trim()}${product ? ` to product ${product}` : ''}${asDevice ? ` as device ${asDevice}` : ''}.` });
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
      {product ? <DeviceChoice key={product} product={product} value={device} onChange={setDevice} isDisabled={!perms.canWrite} /> : null}
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
