import { TextInput } from '../ui/text-input.tsx';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';
import type { DraftFieldsProps } from './webhook-request-fields.tsx';

/** Response and error topics, response template, and the delivery switches. */
export function WebhookResponseFields({ draft, set, isDisabled }: DraftFieldsProps) {
  return (
    <div className="form-stack">
      <div className="grid-2">
        <TextInput
          label="Response topic"
          value={draft.responseTopic}
          onChange={(responseTopic) => set({ responseTopic })}
          description="Default: hook-response/<event>."
          isDisabled={isDisabled}
          mono
        />
        <TextInput
          label="Error response topic"
          value={draft.errorResponseTopic}
          onChange={(errorResponseTopic) => set({ errorResponseTopic })}
          description="Default: hook-error/<event>."
          isDisabled={isDisabled}
          mono
        />
      </div>
      <TextInput
        label="Response template"
        value={draft.responseTemplate}
        onChange={(responseTemplate) => set({ responseTemplate })}
        multiline
        rows={3}
        mono
        isDisabled={isDisabled}
        description="Mustache template applied to the target's JSON response before it is published."
      />
      <ToggleSwitch
        label="Send the response as one event (unchunked)"
        isSelected={draft.unchunked}
        onChange={(unchunked) => set({ unchunked })}
        isDisabled={isDisabled}
      />
      <ToggleSwitch
        label="Verify the TLS certificate"
        isSelected={draft.rejectUnauthorized}
        onChange={(rejectUnauthorized) => set({ rejectUnauthorized })}
        isDisabled={isDisabled}
        description="Turn off only for test servers with self-signed certificates."
      />
      <ToggleSwitch
        label="Disabled"
        isSelected={draft.disabled}
        onChange={(disabled) => set({ disabled })}
        isDisabled={isDisabled}
        description="A disabled integration keeps its configuration but is not triggered."
      />
    </div>
  );
}
