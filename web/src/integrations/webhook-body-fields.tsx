import { ChoiceGroup } from '../ui/choice-group.tsx';
import { KeyValueEditor } from '../ui/key-value-editor.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { ToggleSwitch } from '../ui/toggle-switch.tsx';
import { jsonValue, type BodyKind } from './webhook-draft.ts';
import type { DraftFieldsProps } from './webhook-request-fields.tsx';

const KINDS = [
  { id: 'default', label: 'Default (event fields as form)' },
  { id: 'form', label: 'Custom form fields' },
  { id: 'json', label: 'JSON' },
  { id: 'body', label: 'Custom body' },
] as const;

/** Request format (form / JSON / custom body are exclusive), query, headers, basic auth. */
export function WebhookBodyFields({ draft, set, isDisabled }: DraftFieldsProps) {
  const jsonIsTemplate = draft.bodyKind === 'json' && typeof jsonValue(draft.jsonText) === 'string';
  return (
    <div className="form-stack">
      <ChoiceGroup<BodyKind>
        label="Request format"
        choices={KINDS}
        value={draft.bodyKind}
        onChange={(bodyKind) => set({ bodyKind })}
        isDisabled={isDisabled}
        description={draft.requestType === 'GET' && draft.bodyKind === 'form' ? 'With GET, form fields are sent in the query string.' : undefined}
      />
      {draft.bodyKind === 'form' ? (
        <KeyValueEditor
          label="Form fields"
          itemLabel="Form field"
          pairs={draft.formPairs}
          onChange={(formPairs) => set({ formPairs })}
          isDisabled={isDisabled}
          testId="form-fields"
        />
      ) : null}
      {draft.bodyKind === 'json' ? (
        <TextInput
          label="JSON body"
          value={draft.jsonText}
          onChange={(jsonText) => set({ jsonText })}
          multiline
          rows={8}
          mono
          isDisabled={isDisabled}
          description={
            jsonIsTemplate
              ? 'Not valid JSON before templating: it is sent as a template string and must be valid JSON after rendering.'
              : 'Sent with Content-Type: application/json. Mustache variables and {{{SECRET}}} work inside strings.'
          }
        />
      ) : null}
      {draft.bodyKind === 'body' ? (
        <TextInput
          label="Custom body"
          value={draft.bodyText}
          onChange={(bodyText) => set({ bodyText })}
          multiline
          rows={6}
          mono
          isDisabled={isDisabled}
          description="Sent as is after templating; no Content-Type is added (set one in the headers)."
        />
      ) : null}
      <ToggleSwitch
        label="Include default event fields"
        isSelected={!draft.noDefaults}
        onChange={(on) => set({ noDefaults: !on })}
        isDisabled={isDisabled}
        description="event, data, coreid and published_at, added to the form or query."
      />
      <KeyValueEditor
        label="Query parameters"
        itemLabel="Query parameter"
        pairs={draft.queryPairs}
        onChange={(queryPairs) => set({ queryPairs })}
        isDisabled={isDisabled}
        testId="query-params"
      />
      <KeyValueEditor
        label="HTTP headers"
        itemLabel="Header"
        pairs={draft.headerPairs}
        onChange={(headerPairs) => set({ headerPairs })}
        isDisabled={isDisabled}
        description="For a bearer token: name Authorization, value Bearer {{{MY_TOKEN}}} with MY_TOKEN selected above."
        testId="headers"
      />
      <div className="grid-2">
        <TextInput
          label="Basic auth username"
          value={draft.authUsername}
          onChange={(authUsername) => set({ authUsername })}
          isDisabled={isDisabled}
          mono
        />
        <TextInput
          label="Basic auth password"
          value={draft.authPassword}
          onChange={(authPassword) => set({ authPassword })}
          isDisabled={isDisabled}
          description="Use a secret, e.g. {{{API_PASSWORD}}}, rather than the password itself."
          mono
        />
      </div>
    </div>
  );
}
