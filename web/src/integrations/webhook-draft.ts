/**
 * The webhook editor's form state and its conversion to and from the API's configuration
 * (spec §7.3). Pure functions, unit-tested.
 */
import type { HttpMethod, Integration, RetrySchedule, WebhookConfig } from '../api/types.ts';
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
  /** '' when requests are not signed. */
  readonly signingSecret: string;
  readonly retryType: 'particle' | 'exponential';
  /** Whole numbers as typed (attempts; seconds for the delays). */
  readonly retryMaxAttempts: string;
  readonly retryFirstDelayS: string;
  readonly retryMaxDelayS: string;
  /** Numbers as typed; '' for no limit. */
  readonly maxPerSecond: string;
  readonly maxInFlight: string;
  readonly orderedByDevice: boolean;
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
  signingSecret: '',
  retryType: 'particle',
  retryMaxAttempts: '8',
  retryFirstDelayS: '30',
  retryMaxDelayS: '3600',
  maxPerSecond: '',
  maxInFlight: '',
  orderedByDevice: false,
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
    signingSecret: i.signing_secret ?? '',
    ...retryDraft(i.retry_schedule),
    maxPerSecond: i.max_per_second === undefined ? '' : String(i.max_per_second),
    maxInFlight: i.max_in_flight === undefined ? '' : String(i.max_in_flight),
    orderedByDevice: i.ordered === 'device',
  };
}

function retryDraft(r: RetrySchedule | undefined): Pick<WebhookDraft, 'retryType' | 'retryMaxAttempts' | 'retryFirstDelayS' | 'retryMaxDelayS'> {
  if (r?.type !== 'exponential') return { retryType: 'particle', retryMaxAttempts: EMPTY_DRAFT.retryMaxAttempts, retryFirstDelayS: EMPTY_DRAFT.retryFirstDelayS, retryMaxDelayS: EMPTY_DRAFT.retryMaxDelayS };
  const s = (ms: number | undefined, fallback: string) => (ms === undefined ? fallback : String(ms / 1000));
  return {
    retryType: 'exponential',
    retryMaxAttempts: r.max_attempts === undefined ? EMPTY_DRAFT.retryMaxAttempts : String(r.max_attempts),
    retryFirstDelayS: s(r.initial_delay_ms, EMPTY_DRAFT.retryFirstDelayS),
    retryMaxDelayS: s(r.max_delay_ms, EMPTY_DRAFT.retryMaxDelayS),
  };
}

/** The schedule to send: absent for Particle's default, so an untouched webhook keeps its shape. */
function retrySchedule(d: WebhookDraft): RetrySchedule | undefined {
  if (d.retryType !== 'exponential') return undefined;
  const ms = (s: string) => Math.round(Number(s) * 1000);
  return { type: 'exponential', max_attempts: Number(d.retryMaxAttempts), initial_delay_ms: ms(d.retryFirstDelayS), max_delay_ms: ms(d.retryMaxDelayS) };
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
    signing_secret: d.signingSecret === '' ? undefined : d.signingSecret,
    retry_schedule: retrySchedule(d),
    max_per_second: d.maxPerSecond.trim() === '' ? undefined : Number(d.maxPerSecond),
    max_in_flight: d.maxInFlight.trim() === '' ? undefined : Number(d.maxInFlight),
    ordered: d.orderedByDevice ? 'device' : undefined,
  };
}

export type DraftProblems = Partial<Record<'event' | 'url' | 'signingSecret' | 'retry' | 'pacing', string>>;

export function draftProblems(d: WebhookDraft): DraftProblems {
  const problems: DraftProblems = {};
  if (d.event.trim() === '') problems.event = 'Event name is required (it matches events whose name starts with it)';
  const url = d.url.trim();
  if (url === '') problems.url = 'URL is required';
  else if (!/^https?:\/\//i.test(url) && !url.startsWith('{{')) problems.url = 'URL must start with http:// or https://';
  if (d.signingSecret !== '' && !d.secrets.includes(d.signingSecret)) {
    problems.signingSecret = `Signing secret ${d.signingSecret} must be one of the selected secrets`;
  }
  if (d.retryType === 'exponential') {
    const n = (s: string) => (/^\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : NaN);
    const attempts = n(d.retryMaxAttempts);
    const first = n(d.retryFirstDelayS);
    const longest = n(d.retryMaxDelayS);
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) problems.retry = 'Attempts must be a whole number from 1 to 20';
    else if (!(first >= 0.1 && first <= 86_400)) problems.retry = 'The first retry delay must be between 0.1 and 86400 seconds';
    else if (!(longest >= first && longest <= 86_400)) problems.retry = 'The longest delay must be at least the first one and at most 86400 seconds';
  }
  const pacing = pacingProblem(d);
  if (pacing !== undefined) problems.pacing = pacing;
  return problems;
}

/** The API's ranges for the rate limit and the in-flight cap (blank: no limit). */
function pacingProblem(d: WebhookDraft): string | undefined {
  const rate = d.maxPerSecond.trim();
  if (rate !== '' && !(/^\d+(\.\d+)?$/.test(rate) && Number(rate) >= 0.1 && Number(rate) <= 1000)) return 'Requests per second must be a number from 0.1 to 1000, or blank';
  const flight = d.maxInFlight.trim();
  if (flight !== '' && !(/^\d+$/.test(flight) && Number(flight) >= 1 && Number(flight) <= 100)) return 'Requests in flight must be a whole number from 1 to 100, or blank';
  return undefined;
}
