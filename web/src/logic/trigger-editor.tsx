import { Button } from 'react-aria-components/Button';
import { useProducts } from '../scope/products-query.ts';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';
import { newTrigger, type TriggerDraft } from './logic-draft.ts';

export interface TriggerEditorProps {
  readonly triggers: readonly TriggerDraft[];
  readonly onChange: (triggers: TriggerDraft[]) => void;
  readonly problems: Readonly<Record<string, string>>;
  readonly isDisabled?: boolean;
}

/** Event triggers (exact event name + product) and scheduled triggers (cron, UTC). */
export function TriggerEditor(props: TriggerEditorProps) {
  const products = useProducts();
  const productOptions = (products.data ?? []).map((p) => ({ id: String(p.id), label: `${p.name} (${p.id})` }));
  const update = (key: string, patch: Partial<TriggerDraft>) =>
    props.onChange(props.triggers.map((t) => (t.key === key ? { ...t, ...patch } : t)));
  return (
    <div className="form-stack">
      {props.triggers.length === 0 ? (
        <p className="muted">No triggers: the function only runs from the Run button below.</p>
      ) : null}
      {props.triggers.map((t, i) => (
        <fieldset key={t.key} className="section trigger" data-testid={`trigger-${i + 1}`}>
          <legend className="field-label">
            Trigger {i + 1}: {t.type === 'Event' ? 'event' : 'schedule'}
          </legend>
          {t.type === 'Event' ? (
            <div className="grid-2">
              <TextInput
                label={`Trigger ${i + 1} event name`}
                value={t.event_name}
                onChange={(event_name) => update(t.key, { event_name })}
                description="Matches the event name exactly."
                isDisabled={props.isDisabled}
                mono
              />
              <SelectInput
                label={`Trigger ${i + 1} product`}
                options={productOptions}
                value={t.product_id === null ? null : String(t.product_id)}
                onChange={(id) => update(t.key, { product_id: Number(id) })}
                placeholder={products.isPending ? 'Loading products…' : productOptions.length ? 'Choose a product' : 'No products'}
                description="Logic handles events of product devices."
                isDisabled={props.isDisabled}
              />
            </div>
          ) : (
            <div className="grid-2">
              <TextInput
                label={`Trigger ${i + 1} cron schedule`}
                value={t.cron}
                onChange={(cron) => update(t.key, { cron })}
                description="minute hour day month [weekday], in UTC; at most once a minute."
                isDisabled={props.isDisabled}
                mono
              />
              <TextInput
                label={`Trigger ${i + 1} start at`}
                value={t.start_at}
                onChange={(start_at) => update(t.key, { start_at })}
                description="Optional ISO time, e.g. 2026-01-01T00:00:00Z."
                isDisabled={props.isDisabled}
                mono
              />
            </div>
          )}
          {props.problems[t.key] ? <p className="field-error" role="alert">{props.problems[t.key]}</p> : null}
          <div className="trigger-footer">
            <ToggleSwitch
              label={`Trigger ${i + 1} enabled`}
              isSelected={t.enabled}
              onChange={(enabled) => update(t.key, { enabled })}
              isDisabled={props.isDisabled}
            />
            <Button
              className="btn btn-quiet btn-small"
              onPress={() => props.onChange(props.triggers.filter((x) => x.key !== t.key))}
              isDisabled={props.isDisabled}
            >
              Remove trigger {i + 1}
            </Button>
          </div>
        </fieldset>
      ))}
      <div className="row-actions">
        <Button
          className="btn btn-secondary btn-small"
          onPress={() => props.onChange([...props.triggers, newTrigger('Event')])}
          isDisabled={props.isDisabled || props.triggers.length >= 5}
        >
          Add event trigger
        </Button>
        <Button
          className="btn btn-secondary btn-small"
          onPress={() => props.onChange([...props.triggers, newTrigger('Scheduled')])}
          isDisabled={props.isDisabled || props.triggers.length >= 5}
        >
          Add scheduled trigger
        </Button>
        {props.triggers.length >= 5 ? <span className="field-help">A function can have at most 5 triggers.</span> : null}
      </div>
    </div>
  );
}
