import { useState } from 'react';
import { Button } from 'react-aria-components/Button';
import { logicApi } from '../api/logic-api.ts';
import { messageOf } from '../api/http.ts';
import type { LogicExecuteResult } from '../api/logic-types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { useProducts } from '../scope/products-query.ts';
import { Notice } from '../ui/notice.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { LogLines, statusTone } from './log-lines.tsx';

export interface TestRunPanelProps {
  readonly code: string;
  readonly secrets: readonly string[];
  /** The function's `use_env`: the test run gets the rolled-out environment variables too. */
  readonly useEnv?: boolean;
  /** The function's (first) event trigger: the test event follows it until the user picks other values. */
  readonly defaultEvent: string;
  readonly defaultProductId: number | null;
}

/**
 * Runs the code in the editor once with sample event data, without saving it
 * (POST …/logic/execute). Side effects such as Particle.publish really happen.
 */
export function TestRunPanel(props: TestRunPanelProps) {
  const { prefix, perms } = useScope();
  const products = useProducts();
  // null: not chosen here, so the trigger's value (or the default) applies.
  const [chosenEvent, setEventName] = useState<string | null>(null);
  const [chosenProduct, setProductId] = useState<string | null>(null);
  const eventName = chosenEvent ?? (props.defaultEvent || 'test_event');
  const productId = chosenProduct ?? String(props.defaultProductId ?? 0);
  const [deviceId, setDeviceId] = useState('');
  const [data, setData] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LogicExecuteResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const productOptions = [{ id: '0', label: 'None (0)' }, ...(products.data ?? []).map((p) => ({ id: String(p.id), label: p.name }))];

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const event = { event_name: eventName, product_id: Number(productId), device_id: deviceId, event_data: data };
      setResult(await logicApi.execute(prefix, event, props.code, props.secrets, props.useEnv === true));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="form-stack" data-testid="test-run-panel">
      <div className="grid-2">
        <TextInput label="Test event name" value={eventName} onChange={setEventName} mono />
        <SelectInput label="Test product" options={productOptions} value={productId} onChange={setProductId} />
        <TextInput label="Test device ID" value={deviceId} onChange={setDeviceId} mono />
      </div>
      <TextInput label="Test event data" value={data} onChange={setData} multiline rows={3} mono />
      <div className="row-actions">
        <Button
          className="btn btn-primary"
          onPress={run}
          isPending={busy}
          isDisabled={!perms.canWrite}
          aria-describedby={perms.writeReason ? 'run-reason' : undefined}
        >
          Run
        </Button>
        {perms.writeReason ? <span id="run-reason" className="field-help">{perms.writeReason}</span> : null}
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {result ? (
        <div aria-live="polite" data-testid="test-run-result">
          <p>
            Status: <span className={`badge ${statusTone(result.status)}`}>{result.status}</span>
          </p>
          {result.err ? <p className="field-error">{result.err}</p> : null}
          <LogLines logs={result.logs ?? []} label="Run logs" />
        </div>
      ) : null}
    </div>
  );
}
