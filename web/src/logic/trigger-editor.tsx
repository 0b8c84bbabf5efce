import { useRef } from 'react';
import { Button } from 'react-aria-components/Button';
import { useProducts } from '../scope/products-query.ts';
import { useScope } from '../scope/scope-context.tsx';
import { SelectInput, type SelectOption } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';
import { useFocusAfterRender } from '../ui/use-focus-after-render.ts';
import { LedgerTriggerFields } from './ledger-trigger-fields.tsx';
import { newTrigger, type TriggerDraft } from './logic-draft.ts';

export interface TriggerEditorProps {
  readonly triggers: readonly TriggerDraft[];
  readonly onChange: (triggers: TriggerDraft[]) => void;
  readonly problems: Readonly<Record<string, string>>;
  readonly isDisabled?: boolean;
}

type TriggerField = 'event_name' | 'product' | 'cron' | 'ledger';

/** Which field a trigger's problem (see logicProblems) is about: that field is marked invalid. */
function problemField(t: TriggerDraft): TriggerField {
  if (t.type === 'LedgerChange') return 'ledger';
  if (t.type !== 'Event') return 'cron';
  return t.event_name.trim() ? 'product' : 'event_name';
}

/** Opens the Products page in a new tab; back here, the product list is read again. */
function CreateProductLink() {
  const { base } = useScope();
  return (
    <p className="field-help">
      <a href={`${base}/products`} target="_blank" rel="noopener noreferrer" data-testid="create-product-link">
        Create a product
      </a>
      <span aria-hidden="true"> ↗</span>
      <span className="visually-hidden"> (opens in a new tab; the new product is listed here when you come back)</span>
    </p>
  );
}

function TriggerFields(props: {
  readonly trigger: TriggerDraft;
  readonly index: number;
  readonly problem: string | null;
  readonly productOptions: readonly SelectOption[];
  readonly productPlaceholder: string;
  readonly update: (patch: Partial<TriggerDraft>) => void;
  readonly onRemove: () => void;
  readonly isDisabled?: boolean;
}) {
  const { trigger: t, update, isDisabled } = props;
  const n = props.index + 1;
  const errorOn = (field: TriggerField) => (props.problem && problemField(t) === field ? props.problem : null);
  return (
    <fieldset className="section trigger" data-testid={`trigger-${n}`} data-row="">
      <legend className="field-label">
        Trigger {n}: {t.type === 'Event' ? 'event' : t.type === 'LedgerChange' ? 'ledger change' : 'schedule'}
      </legend>
      {t.type === 'LedgerChange' ? (
        <LedgerTriggerFields trigger={t} n={n} error={errorOn('ledger')} update={update} isDisabled={isDisabled} />
      ) : t.type === 'Event' ? (
        <div className="grid-2">
          <TextInput
            label={`Trigger ${n} event name`}
            value={t.event_name}
            onChange={(event_name) => update({ event_name })}
            description="Matches the event name exactly."
            error={errorOn('event_name')}
            isDisabled={isDisabled}
            mono
          />
          <SelectInput
            label={`Trigger ${n} product`}
            options={props.productOptions}
            value={t.product_id === null ? null : String(t.product_id)}
            onChange={(id) => update({ product_id: Number(id) })}
            placeholder={props.productPlaceholder}
            description="Logic handles events of product devices."
            error={errorOn('product')}
            isDisabled={isDisabled}
            footer={<CreateProductLink />}
          />
        </div>
      ) : (
        <div className="grid-2">
          <TextInput
            label={`Trigger ${n} cron schedule`}
            value={t.cron}
            onChange={(cron) => update({ cron })}
            description="minute hour day month [weekday], in UTC; at most once a minute."
            error={errorOn('cron')}
            isDisabled={isDisabled}
            mono
          />
          <TextInput
            label={`Trigger ${n} start at`}
            value={t.start_at}
            onChange={(start_at) => update({ start_at })}
            description="Optional ISO time, e.g. 2026-01-01T00:00:00Z."
            isDisabled={isDisabled}
            mono
          />
        </div>
      )}
      <div className="trigger-footer">
        <ToggleSwitch label={`Trigger ${n} enabled`} isSelected={t.enabled} onChange={(enabled) => update({ enabled })} isDisabled={isDisabled} />
        <Button className="btn btn-quiet btn-small" onPress={props.onRemove} isDisabled={isDisabled}>
          Remove trigger {n}
        </Button>
      </div>
    </fieldset>
  );
}

/** Event triggers (exact event name + product), scheduled triggers (cron, UTC) and ledger-change triggers. */
export function TriggerEditor(props: TriggerEditorProps) {
  const products = useProducts();
  const productOptions = (products.data ?? []).map((p) => ({ id: String(p.id), label: `${p.name} (${p.id})` }));
  const productPlaceholder = products.isPending ? 'Loading products…' : productOptions.length ? 'Choose a product' : 'No products';
  const listRef = useRef<HTMLDivElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const focusLater = useFocusAfterRender();
  const rowField = (index: number) => listRef.current?.querySelectorAll('[data-row]')[index]?.querySelector<HTMLElement>('input, button');
  const update = (key: string, patch: Partial<TriggerDraft>) =>
    props.onChange(props.triggers.map((t) => (t.key === key ? { ...t, ...patch } : t)));
  const add = (type: TriggerDraft['type']) => {
    const index = props.triggers.length;
    focusLater(() => rowField(index));
    props.onChange([...props.triggers, newTrigger(type)]);
  };
  const remove = (key: string, index: number) => {
    const left = props.triggers.length - 1;
    focusLater(() => (left > 0 ? rowField(Math.min(index, left - 1)) : addRef.current));
    props.onChange(props.triggers.filter((x) => x.key !== key));
  };
  const full = props.triggers.length >= 5;
  return (
    <div className="form-stack" ref={listRef}>
      {props.triggers.length === 0 ? <p className="muted">No triggers: the function only runs from the Run button below.</p> : null}
      {props.triggers.map((t, i) => (
        <TriggerFields
          key={t.key}
          trigger={t}
          index={i}
          problem={props.problems[t.key] ?? null}
          productOptions={productOptions}
          productPlaceholder={productPlaceholder}
          update={(patch) => update(t.key, patch)}
          onRemove={() => remove(t.key, i)}
          isDisabled={props.isDisabled}
        />
      ))}
      <div className="row-actions">
        <Button ref={addRef} className="btn btn-secondary btn-small" onPress={() => add('Event')} isDisabled={props.isDisabled || full}>
          Add event trigger
        </Button>
        <Button className="btn btn-secondary btn-small" onPress={() => add('Scheduled')} isDisabled={props.isDisabled || full}>
          Add scheduled trigger
        </Button>
        <Button className="btn btn-secondary btn-small" onPress={() => add('LedgerChange')} isDisabled={props.isDisabled || full}>
          Add ledger trigger
        </Button>
        {full ? <span className="field-help">A function can have at most 5 triggers.</span> : null}
      </div>
    </div>
  );
}
