import type { HttpMethod } from '../api/types.ts';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import type { DraftProblems, WebhookDraft } from './webhook-draft.ts';

const METHODS: readonly HttpMethod[] = ['POST', 'GET', 'PUT', 'DELETE'];

export interface DraftFieldsProps {
  readonly draft: WebhookDraft;
  readonly set: (patch: Partial<WebhookDraft>) => void;
  readonly problems?: DraftProblems;
  readonly isDisabled?: boolean;
}

/** Event name, URL, method, device filter and label. */
export function WebhookRequestFields({ draft, set, problems, isDisabled }: DraftFieldsProps) {
  return (
    <div className="form-stack">
      <div className="grid-2">
        <TextInput
          label="Event name"
          value={draft.event}
          onChange={(event) => set({ event })}
          description="Fires for every event whose name starts with this text (case-sensitive)."
          error={problems?.event ?? null}
          isRequired
          isDisabled={isDisabled}
          mono
        />
        <SelectInput
          label="Request type"
          options={METHODS.map((m) => ({ id: m, label: m }))}
          value={draft.requestType}
          onChange={(m) => set({ requestType: m as HttpMethod })}
          isDisabled={isDisabled}
        />
      </div>
      <TextInput
        label="URL"
        type="url"
        value={draft.url}
        onChange={(url) => set({ url })}
        description={<>The target. It may contain mustache variables, e.g. https://api.example.com/{'{{{PARTICLE_DEVICE_ID}}}'}.</>}
        error={problems?.url ?? null}
        isRequired
        isDisabled={isDisabled}
        mono
      />
      <div className="grid-2">
        <TextInput
          label="Device ID"
          value={draft.deviceID}
          onChange={(deviceID) => set({ deviceID })}
          description="Optional. Only trigger for this device (24-hex device ID)."
          isDisabled={isDisabled}
          mono
        />
        <TextInput
          label="Integration name"
          value={draft.name}
          onChange={(name) => set({ name })}
          description="Optional label. Default: “<event> for <domain>”."
          isDisabled={isDisabled}
        />
      </div>
    </div>
  );
}
