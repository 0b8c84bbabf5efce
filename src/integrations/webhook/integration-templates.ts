/**
 * The integration gallery (`GET /v1/integration_templates`): named forms whose answers
 * become an ordinary webhook configuration. Secrets are chosen by name with a picker
 * field and referenced as `{{{NAME}}}`; the value never passes through here.
 */
import { HushError } from '../../errors/errors.ts';
import { secretNameProblem } from '../../secrets/secret-name-fns.ts';
import { fillPlaceholders, loadTemplateData, type TemplateData, type TemplateFieldData } from './integration-template-data.ts';
import type { WebhookConfigInput } from './webhook-types.ts';

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
  /** The target's own documentation of the API the webhook calls. */
  readonly docs: string;
  readonly fields: readonly TemplateField[];
}

const DEFINITIONS: readonly TemplateData[] = loadTemplateData();

/** The gallery as the API lists it (plain data). */
export const INTEGRATION_TEMPLATES: readonly IntegrationTemplate[] = DEFINITIONS.map(({ slug, name, description, docs, fields }) => ({
  slug, name, description, docs,
  fields: fields.map(({ name: n, label, type, required, options, default: d, help }) => ({ name: n, label, type, required, options, default: d, help })),
}));

function invalidValue(field: string, value: string | undefined, expected: string): HushError {
  return new HushError('validation_failed', `${field} "${value ?? ''}" must be ${expected}`, { details: { field } });
}

function checkValue(field: TemplateFieldData, value: string): void {
  if (value.includes('{{') || value.includes('}}')) {
    throw invalidValue(field.name, value, 'plain text (an answer is inserted as text, not as a template)');
  }
  if (field.type === 'select' && !(field.options ?? []).some((o) => o.value === value)) {
    throw invalidValue(field.name, value, `one of ${(field.options ?? []).map((o) => o.value).join(', ')}`);
  }
  if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`).test(value)) {
    throw invalidValue(field.name, value, field.expected ?? `of the form ${field.pattern}`);
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

const transformed = (field: TemplateFieldData, value: string): string =>
  field.transform === 'uppercase' ? value.toUpperCase() : field.transform === 'no-trailing-slash' ? value.replace(/\/+$/, '') : value;

/**
 * Fills in a gallery template and returns an ordinary webhook configuration input (to be
 * checked by `parseWebhookConfig`, which also verifies the chosen secrets exist).
 * @throws HushError for an unknown slug, unknown or missing fields, or invalid values.
 */
export function applyTemplate(slug: string, values: Readonly<Record<string, unknown>>): WebhookConfigInput {
  const def = DEFINITIONS.find((d) => d.slug === slug);
  if (def === undefined) throw new HushError('not_found', `integration template "${slug}" does not exist`);
  const unknown = Object.keys(values).filter((k) => !def.fields.some((f) => f.name === k));
  if (unknown.length > 0) {
    throw new HushError('validation_failed', `unknown field${unknown.length > 1 ? 's' : ''} for template ${slug}: ${unknown.join(', ')}`);
  }
  const given: Record<string, string> = {};
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
    given[field.name] = value;
    filled[field.name] = transformed(field, value);
  }
  const secretFields = def.fields.filter((f) => f.type === 'secret' && filled[f.name] !== undefined);
  const answer = (name: string): string => {
    const value = filled[name] ?? '';
    return secretFields.some((f) => f.name === name) ? `{{{${value}}}}` : value;
  };
  const webhook = fillPlaceholders(def.webhook, answer) as Record<string, unknown>;
  const omit = def.omitWhen;
  if (omit !== undefined && omit.in.includes(filled[omit.field] ?? '')) for (const key of omit.keys) delete webhook[key];
  return {
    integration_type: 'Webhook',
    event: filled.event,
    ...webhook,
    template: slug,
    parameters: def.fields.filter((f) => given[f.name] !== undefined).map((f) => ({ name: f.name, value: given[f.name] ?? '' })),
    secrets: [...new Set(secretFields.map((f) => filled[f.name] ?? ''))],
  } as WebhookConfigInput;
}
