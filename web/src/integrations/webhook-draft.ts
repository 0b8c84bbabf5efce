/**
 * The webhook editor's form state and its conversion to and from the API's configuration
 * (spec §7.3). Pure functions, unit-tested.
 */
import type { HttpMethod, Integration, WebhookConfig } from '../api/types.ts';
import { pairsFrom, recordFrom, type Pair } from '../ui/key-value-editor.tsx';

export type BodyKind = 'default' | 'form' | 'json' | 'body';

export interface WebhookDraft {
  readonly name: string;
  readonly event: string;
  readonly url: string;
  readonly requestType: HttpMethod;
  readonly deviceID: string;
  readonly bodyKind: BodyKind;
  readonly formPairs: readonly Pair[];
  readonly jsonText: string;
  readonly bodyText: string;
  readonly queryPairs: readonly Pair[];
  readonly headerPairs: readonly Pair[];
  readonly authUsername: string;
  readonly authPassword: string;
  readonly responseTopic: string;
  readonly errorResponseTopic: string;
  readonly responseTemplate: string;
  readonly noDefaults: boolean;
  readonly unchunked: boolean;
  readonly disabled: boolean;
  readonly rejectUnauthorized: boolean;
  readonly secrets: readonly string[];
}

export const EMPTY_DRAFT: WebhookDraft = {
  name: '',
  event: '',
  url: '',
  requestType: 'POST',
  deviceID: '',
  bodyKind: 'default',
  formPairs: [],
  jsonText: '{\n  "event": "{{{PARTICLE_EVENT_NAME}}}",\n  "data": "{{{PARTICLE_EVENT_VALUE}}}"\n}',
  bodyText: '',
  queryPairs: [],
  headerPairs: [],
  authUsername: '',
  authPassword: '',
  responseTopic: '',
  errorResponseTopic: '',
  responseTemplate: '',
  noDefaults: false,
  unchunked: false,
  disabled: false,
  rejectUnauthorized: true,
  secrets: [],
};

function bodyKindOf(i: Integration): BodyKind {
  if (i.json !== undefined && i.json !== null) return 'json';
  if (i.body !== undefined && i.body !== null && i.body !== '') return 'body';
  if (i.form && Object.keys(i.form).length > 0) return 'form';
  return 'default';
}

export function draftFromIntegration(i: Integration): WebhookDraft {
  return {
    ...EMPTY_DRAFT,
    name: i.name ?? '',
    event: i.event ?? '',
    url: i.url ?? '',
    requestType: i.requestType ?? 'POST',
    deviceID: i.deviceID ?? '',
    bodyKind: bodyKindOf(i),
    formPairs: pairsFrom(i.form),
    jsonText: i.json === undefined || i.json === null ? EMPTY_DRAFT.jsonText : typeof i.json === 'string' ? i.json : JSON.stringify(i.json, null, 2),
    bodyText: i.body ?? '',
    queryPairs: pairsFrom(i.query),
    headerPairs: pairsFrom(i.headers),
    authUsername: i.auth?.username ?? '',
    authPassword: i.auth?.password ?? '',
    responseTopic: i.responseTopic ?? '',
    errorResponseTopic: i.errorResponseTopic ?? '',
    responseTemplate: typeof i.responseTemplate === 'string' ? i.responseTemplate : i.responseTemplate ? JSON.stringify(i.responseTemplate, null, 2) : '',
    noDefaults: i.noDefaults ?? false,
    unchunked: i.unchunked ?? false,
    disabled: i.disabled ?? false,
    rejectUnauthorized: i.rejectUnauthorized ?? true,
    secrets: i.secrets ?? [],
  };
}

/** JSON text → object when it parses; otherwise the template string itself (allowed by the API). */
export function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The full configuration sent on create and on replace (PUT replaces everything). */
export function draftToConfig(d: WebhookDraft): WebhookConfig {
  const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const auth = d.authUsername || d.authPassword ? { username: d.authUsername, password: d.authPassword } : undefined;
  return {
    integration_type: 'Webhook',
    name: opt(d.name),
    event: d.event.trim(),
    url: d.url.trim(),
    requestType: d.requestType,
    deviceID: opt(d.deviceID),
    form: d.bodyKind === 'form' ? recordFrom(d.formPairs) : undefined,
    json: d.bodyKind === 'json' ? jsonValue(d.jsonText) : undefined,
    body: d.bodyKind === 'body' ? d.bodyText : undefined,
    query: recordFrom(d.queryPairs),
    headers: recordFrom(d.headerPairs),
    auth,
    responseTopic: opt(d.responseTopic),
    errorResponseTopic: opt(d.errorResponseTopic),
    responseTemplate: opt(d.responseTemplate),
    noDefaults: d.noDefaults,
    unchunked: d.unchunked,
    disabled: d.disabled,
    rejectUnauthorized: d.rejectUnauthorized,
    secrets: [...d.secrets],
  };
}

export type DraftProblems = Partial<Record<'event' | 'url', string>>;

export function draftProblems(d: WebhookDraft): DraftProblems {
  const problems: DraftProblems = {};
  if (d.event.trim() === '') problems.event = 'Event name is required (it matches events whose name starts with it)';
  const url = d.url.trim();
  if (url === '') problems.url = 'URL is required';
  else if (!/^https?:\/\//i.test(url) && !url.startsWith('{{')) problems.url = 'URL must start with http:// or https://';
  return problems;
}
