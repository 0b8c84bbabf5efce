/**
 * The integration gallery (`GET /v1/integration_templates`): named forms whose answers
 * become an ordinary webhook configuration. Secrets are chosen by name with a picker
 * field and referenced as `{{{NAME}}}`; the value never passes through here.
 */
import { HushError } from '../../errors/errors.ts';
import { secretNameProblem } from '../../secrets/secret-name-fns.ts';
import type { RequestType, WebhookConfigInput } from './webhook-types.ts';

export type TemplateFieldType = 'text' | 'select' | 'secret' | 'url';

export interface TemplateFieldOption {
  readonly value: string;
  readonly label: string;
}

export interface TemplateField {
  readonly name: string;
  readonly label: string;
  readonly type: TemplateFieldType;
  readonly required: boolean;
  readonly options?: readonly TemplateFieldOption[];
  readonly default?: string;
  readonly help?: string;
}

export interface IntegrationTemplate {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly fields: readonly TemplateField[];
}

type Values = Readonly<Record<string, string>>;

interface TemplateDefinition extends IntegrationTemplate {
  build(values: Values): Record<string, unknown>;
}

const EVENT_FIELD: TemplateField = {
  name: 'event', label: 'Event name', type: 'text', required: true,
  help: 'Events whose name starts with this text trigger the integration',
};
const secretField = (label: string): TemplateField => ({
  name: 'secret', label, type: 'secret', required: true, help: 'Pick one of your secrets; its value is inserted at send time',
});
const DEFAULT_FIELDS = {
  event: '{{{PARTICLE_EVENT_NAME}}}', data: '{{{PARTICLE_EVENT_VALUE}}}',
  coreid: '{{{PARTICLE_DEVICE_ID}}}', published_at: '{{{PARTICLE_PUBLISHED_AT}}}',
} as const;
const ref = (secret: string): string => `{{{${secret}}}}`;
const option = (value: string, label = value): TemplateFieldOption => ({ value, label });

const DEFINITIONS: readonly TemplateDefinition[] = [
  {
    slug: 'blynk',
    name: 'Blynk',
    description: 'Update a Blynk datastream (virtual pin) with the event data.',
    fields: [
      EVENT_FIELD,
      {
        name: 'server', label: 'Server region', type: 'select', required: true, default: 'blynk.cloud',
        options: [
          option('blynk.cloud', 'Automatic (blynk.cloud)'), option('fra1.blynk.cloud', 'Frankfurt'),
          option('lon1.blynk.cloud', 'London'), option('ny3.blynk.cloud', 'New York'),
          option('sgp1.blynk.cloud', 'Singapore'), option('blr1.blynk.cloud', 'Bangalore'),
          option('sfo3.blynk.cloud', 'San Francisco'),
        ],
      },
      secretField('Device auth token'),
      { name: 'pin', label: 'Virtual pin', type: 'text', required: true, help: 'The datastream pin, e.g. V0' },
    ],
    build: (v) => {
      if (!/^[vV]\d{1,3}$/.test(v.pin ?? '')) throw invalidValue('pin', v.pin, 'a virtual pin such as V0');
      const pin = `V${(v.pin ?? '').slice(1)}`;
      return {
        name: `Blynk ${pin} for ${v.event}`,
        url: `https://${v.server}/external/api/update`,
        requestType: 'GET',
        query: { token: ref(v.secret ?? ''), [pin]: '{{{PARTICLE_EVENT_VALUE}}}' },
        noDefaults: true,
      };
    },
  },
  {
    slug: 'datacake',
    name: 'Datacake',
    description: "Send events to a Datacake API device's HTTP endpoint.",
    fields: [
      EVENT_FIELD,
      { name: 'url', label: 'HTTP endpoint', type: 'url', required: true, help: "Copied from the API device's configuration page" },
      secretField('Datacake API token'),
    ],
    build: (v) => ({
      url: v.url,
      requestType: 'POST',
      headers: { Authorization: `Token ${ref(v.secret ?? '')}` },
      json: { device: '{{{PARTICLE_DEVICE_ID}}}', ...DEFAULT_FIELDS },
      noDefaults: true,
    }),
  },
  {
    slug: 'http-bearer',
    name: 'HTTP API with bearer token',
    description: 'Call any HTTP API, authenticating with `Authorization: Bearer <secret>`.',
    fields: [
      EVENT_FIELD,
      { name: 'url', label: 'URL', type: 'url', required: true },
      {
        name: 'method', label: 'Method', type: 'select', required: true, default: 'POST',
        options: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => option(m)),
      },
      secretField('Bearer token'),
    ],
    build: (v) => {
      const method = (v.method ?? 'POST') as RequestType;
      const bodyless = method === 'GET' || method === 'DELETE';
      return {
        url: v.url,
        requestType: method,
        headers: { Authorization: `Bearer ${ref(v.secret ?? '')}` },
        ...(bodyless ? {} : { json: { ...DEFAULT_FIELDS }, noDefaults: true }),
      };
    },
  },
];

/** The gallery as the API lists it (plain data). */
export const INTEGRATION_TEMPLATES: readonly IntegrationTemplate[] = DEFINITIONS.map(
  ({ slug, name, description, fields }) => ({ slug, name, description, fields }),
);

function invalidValue(field: string, value: string | undefined, expected: string): HushError {
  return new HushError('validation_failed', `${field} "${value ?? ''}" must be ${expected}`, { details: { field } });
}

function checkValue(field: TemplateField, value: string): void {
  if (field.type === 'select' && !(field.options ?? []).some((o) => o.value === value)) {
    throw invalidValue(field.name, value, `one of ${(field.options ?? []).map((o) => o.value).join(', ')}`);
  }
  if (field.type === 'secret') {
    const problem = secretNameProblem(value);
    if (problem !== null) throw new HushError('validation_failed', `${field.name} "${value}": ${problem}`, { details: { field: field.name } });
  }
  if (field.type === 'url') {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw invalidValue(field.name, value, 'an absolute http(s) URL');
    }
  }
}

/**
 * Fills in a gallery template and returns an ordinary webhook configuration input (to be
 * checked by `parseWebhookConfig`, which also verifies the chosen secret exists).
 * @throws HushError for an unknown slug, unknown or missing fields, or invalid values.
 */
export function applyTemplate(slug: string, values: Readonly<Record<string, unknown>>): WebhookConfigInput {
  const def = DEFINITIONS.find((d) => d.slug === slug);
  if (def === undefined) throw new HushError('not_found', `integration template "${slug}" does not exist`);
  const unknown = Object.keys(values).filter((k) => !def.fields.some((f) => f.name === k));
  if (unknown.length > 0) {
    throw new HushError('validation_failed', `unknown field${unknown.length > 1 ? 's' : ''} for template ${slug}: ${unknown.join(', ')}`);
  }
  const filled: Record<string, string> = {};
  for (const field of def.fields) {
    const raw = values[field.name];
    if (raw !== undefined && typeof raw !== 'string') throw invalidValue(field.name, String(raw), 'a string');
    const value = raw === undefined || raw.trim() === '' ? field.default : raw.trim();
    if (value === undefined) {
      if (field.required) throw new HushError('validation_failed', `${field.label} (${field.name}) is required for template ${slug}`, { details: { field: field.name } });
      continue;
    }
    checkValue(field, value);
    filled[field.name] = value;
  }
  return {
    integration_type: 'Webhook',
    event: filled.event,
    ...def.build(filled),
    template: slug,
    parameters: def.fields.filter((f) => filled[f.name] !== undefined).map((f) => ({ name: f.name, value: filled[f.name] ?? '' })),
    secrets: [filled.secret],
  };
}
