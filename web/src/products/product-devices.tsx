import { useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { productsApi } from '../api/products-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { ACTIONS_COLUMN, SimpleTable } from '../ui/simple-table.tsx';
import { Notice } from '../ui/notice.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useAction } from '../ui/use-action.ts';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import { useProductDevices } from './product-queries.ts';

const DEVICE_ID = /^[0-9a-f]{24}$/i;

/** A product's device ids: add one, remove one (Hush keeps no other device state). */
export function ProductDevices(props: { readonly product: string }) {
  const { perms } = useScope();
  const queryClient = useQueryClient();
  const devices = useProductDevices(props.product);
  const [id, setId] = useState('');
  const [idError, setIdError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const { formRef, focusInvalid } = useFocusInvalid();
  const inputWrap = useRef<HTMLDivElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['product-devices', props.product] });

  const add = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = id.trim();
    if (!DEVICE_ID.test(trimmed)) {
      setIdError('A device id is 24 hexadecimal characters');
      focusInvalid();
      return;
    }
    setIdError(null);
    void run(async () => {
      await productsApi.addDevice(props.product, trimmed);
      await refresh();
      setId('');
      setNotice(`Device ${trimmed.toLowerCase()} added.`);
    });
  };
  const remove = (device: string) =>
    void run(async () => {
      await productsApi.removeDevice(props.product, device);
      await refresh();
      setNotice(`Device ${device} removed.`);
      // The row (and its button) is gone: keep the keyboard in the section.
      inputWrap.current?.querySelector('input')?.focus();
    });

  return (
    <div className="form-stack">
      <Form ref={formRef} onSubmit={add} className="form-stack" validationBehavior="aria" aria-label="Add a device">
        <div ref={inputWrap}>
          <TextInput label="Device id" value={id} onChange={setId} error={idError} mono isDisabled={!perms.canWrite} placeholder="24 hexadecimal characters" />
        </div>
        <div className="row-actions">
          <Button type="submit" className="btn btn-secondary" isPending={busy} isDisabled={!perms.canWrite}>Add device</Button>
        </div>
      </Form>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {notice ? <Notice tone="success" testId="devices-notice">{notice}</Notice> : null}
      {devices.isPending ? (
        <LoadingState label="Loading devices…" />
      ) : devices.isError ? (
        <ErrorState title="Could not load devices" error={devices.error} onRetry={() => void devices.refetch()} />
      ) : devices.data.length === 0 ? (
        <p className="muted">No devices yet. Add a device id to publish events as that device.</p>
      ) : (
        <SimpleTable label="Devices" testId="devices-table" columns={['Device id', perms.canWrite ? ACTIONS_COLUMN : null]}>
          {devices.data.map((d) => (
            <tr key={d} className="row">
              <th className="cell mono" scope="row"><Breakable text={d} /></th>
              {perms.canWrite ? (
                <td className="cell">
                  <Button className="btn btn-danger btn-small" aria-label={`Remove device ${d}`} onPress={() => remove(d)} isDisabled={busy}>Remove</Button>
                </td>
              ) : null}
            </tr>
          ))}
        </SimpleTable>
      )}
    </div>
  );
}
