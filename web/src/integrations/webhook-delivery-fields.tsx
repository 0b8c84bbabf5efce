import { ChoiceGroup } from '../ui/choice-group.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';
import type { DraftFieldsProps } from './webhook-request-fields.tsx';

const NONE = '__none__';

/** "Signing secret": one of the selected secrets signs each request (Standard Webhooks headers). */
export function WebhookSigningField({ draft, set, problems, isDisabled }: DraftFieldsProps) {
  const names = draft.signingSecret !== '' && !draft.secrets.includes(draft.signingSecret) ? [...draft.secrets, draft.signingSecret] : draft.secrets;
  return (
    <SelectInput
      label="Signing secret"
      options={[{ id: NONE, label: 'None (requests are not signed)' }, ...names.map((n) => ({ id: n, label: n }))]}
      value={draft.signingSecret === '' ? NONE : draft.signingSecret}
      onChange={(v) => set({ signingSecret: v === NONE ? '' : v })}
      isDisabled={isDisabled}
      error={problems?.signingSecret ?? null}
      testId="signing-secret"
      description="Its value signs each request: webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks). After you replace the value, the previous one also signs for a while (24 h by default) so receivers can switch keys."
    />
  );
}

/** The retry schedule and pacing, folded under advanced options (open when any is set). */
export function WebhookRetryFields({ draft, set, problems, isDisabled }: DraftFieldsProps) {
  const paced = draft.maxPerSecond.trim() !== '' || draft.maxInFlight.trim() !== '' || draft.orderedByDevice;
  return (
    <details className="advanced-options" open={draft.retryType === 'exponential' || paced || problems?.retry !== undefined || problems?.pacing !== undefined}>
      <summary>Advanced delivery options</summary>
      <div className="form-stack">
        <ChoiceGroup
          label="Retry schedule"
          choices={[
            { id: 'particle', label: "Particle's (30 s, then 60 s)" },
            { id: 'exponential', label: 'Exponential backoff with jitter' },
          ]}
          value={draft.retryType}
          onChange={(retryType) => set({ retryType })}
          isDisabled={isDisabled}
          description="A 429 or 503 answer with Retry-After is always waited out (at most 1 h)."
        />
        {draft.retryType === 'exponential' ? (
          <div className="grid-2">
            <TextInput label="Attempts in all" value={draft.retryMaxAttempts} onChange={(retryMaxAttempts) => set({ retryMaxAttempts })} isDisabled={isDisabled} error={problems?.retry ?? null} description="1 to 20, the first attempt included." />
            <TextInput label="First retry after (s)" value={draft.retryFirstDelayS} onChange={(retryFirstDelayS) => set({ retryFirstDelayS })} isDisabled={isDisabled} description="Each later wait doubles; each is between half and all of that (jitter)." />
            <TextInput label="Longest wait (s)" value={draft.retryMaxDelayS} onChange={(retryMaxDelayS) => set({ retryMaxDelayS })} isDisabled={isDisabled} />
          </div>
        ) : null}
        <div className="grid-2">
          <TextInput label="Most requests per second" value={draft.maxPerSecond} onChange={(maxPerSecond) => set({ maxPerSecond })} isDisabled={isDisabled} error={problems?.pacing ?? null} testId="max-per-second" description="Blank: no limit. Across all nodes, retries included; requests over it wait their turn without using an attempt." />
          <TextInput label="Most requests in flight" value={draft.maxInFlight} onChange={(maxInFlight) => set({ maxInFlight })} isDisabled={isDisabled} testId="max-in-flight" description="Blank: no limit. 1 to 100, across all nodes." />
        </div>
        <ToggleSwitch
          label="Deliver each device's events in order"
          isSelected={draft.orderedByDevice}
          onChange={(orderedByDevice) => set({ orderedByDevice })}
          isDisabled={isDisabled}
          description="A device's next event waits until the previous one succeeded or became a dead letter."
        />
      </div>
    </details>
  );
}
