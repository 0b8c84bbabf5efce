/**
 * Parsing, validation and serialization of webhook configurations (spec §7.3, §7.4).
 * Pure: the caller supplies the owner's secret names and the integration's scope.
 */
import { HushError } from '../../errors/errors.ts';
import { readWebhookInput, type WebhookInput } from './webhook-config-schema.ts';
import { deliveryOptionsJson, readPacing, readRetrySchedule, readSigningSecret } from './webhook-delivery-options-fns.ts';
import { parseTemplate } from './webhook-mustache-fns.ts';
import { HEADER_NAME_PATTERN, RESERVED_HEADERS } from './webhook-render-fns.ts';
import { checkTemplates, referencedSecretNames } from './webhook-template-check-fns.ts';
import { REQUEST_TYPES, type RequestType, type WebhookAuth, type WebhookConfig, type WebhookIntegrationJson, type WebhookScope } from './webhook-types.ts';
import { urlHostLabel, urlTemplateProblem } from './webhook-url-fns.ts';

export interface ParseWebhookOptions {
  /** Names of the owner's secrets (sandbox or organization). */
  readonly knownSecrets: ReadonlySet<string>;
  readonly scope: WebhookScope;
}

export const MAX_EVENT_LENGTH = 64;
export const MAX_HEADERS = 50;
const SUPPORTED_TYPE = 'Webhook';

const invalid = (message: string, field: string): HushError =>
  new HushError('validation_failed', message, { details: { field } });

/** One value from several alias fields; refuses aliases that disagree. */
function pickAlias(entries: readonly (readonly [string, string | undefined])[]): string | undefined {
  const given = entries.filter((e): e is readonly [string, string] => e[1] !== undefined && e[1] !== '');
  const [first, ...others] = given;
  const clash = others.find((e) => e[1] !== first?.[1]);
  if (first !== undefined && clash !== undefined) {
    throw invalid(`${first[0]} "${first[1]}" and ${clash[0]} "${clash[1]}" disagree`, first[0]);
  }
  return first?.[1];
}

function readRequestType(value: string | undefined): RequestType {
  if (value === undefined || value === '') return 'POST';
  const upper = value.toUpperCase();
  const found = REQUEST_TYPES.find((t) => t === upper);
  if (found === undefined) {
    throw invalid(`requestType "${value}" must be one of ${REQUEST_TYPES.join(', ')}`, 'requestType');
  }
  return found;
}

function readDeviceId(raw: WebhookInput, scope: WebhookScope): string | undefined {
  const id = pickAlias([['deviceID', raw.deviceID], ['deviceid', raw.deviceid], ['deviceId', raw.deviceId]]);
  if (id === undefined) return undefined;
  if (scope !== 'sandbox') throw invalid(`deviceID "${id}" can only be set on sandbox integrations`, 'deviceID');
  if (!/^[0-9a-f]{24}$/i.test(id)) throw invalid(`deviceID "${id}" must be a 24-character hex device ID`, 'deviceID');
  return id.toLowerCase();
}

function readHeaders(headers: Readonly<Record<string, string>> | undefined): void {
  const names = Object.keys(headers ?? {});
  if (names.length > MAX_HEADERS) throw invalid(`headers has ${names.length} entries; the limit is ${MAX_HEADERS}`, 'headers');
  for (const name of names) {
    if (name.includes('{{')) continue; // templated names are checked when rendered
    if (!HEADER_NAME_PATTERN.test(name)) throw invalid(`header name "${name}" is not a valid HTTP header name`, 'headers');
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalid(`header "${name}" cannot be set by a webhook`, 'headers');
  }
}

function readAuth(auth: WebhookInput['auth']): WebhookAuth | undefined {
  if (auth === undefined) return undefined;
  if ('bearer' in auth) return { kind: 'bearer', token: auth.bearer };
  if ('user' in auth) return { kind: 'basic', username: auth.user, password: auth.pass ?? '' };
  return { kind: 'basic', username: auth.username, password: auth.password ?? '' };
}

function readSecrets(names: readonly string[] | undefined, known: ReadonlySet<string>): string[] {
  const unique = [...new Set(names ?? [])];
  const unknown = unique.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new HushError('validation_failed', `unknown secret${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      details: { field: 'secrets', secrets: unknown },
    });
  }
  return unique;
}

/**
 * Validates a webhook configuration as sent by a client and returns its normalized form.
 * @throws HushError (`bad_request` or `validation_failed`) with a message quoting the offending input.
 */
export function parseWebhookConfig(input: unknown, opts: ParseWebhookOptions): WebhookConfig {
  const raw = readWebhookInput(input);
  if (raw.integration_type !== undefined && raw.integration_type !== SUPPORTED_TYPE) {
    throw new HushError('bad_request', `integration type "${raw.integration_type}" is not supported; only Webhook is`, {
      details: { field: 'integration_type' },
    });
  }
  const event = pickAlias([['event', raw.event], ['eventName', raw.eventName]]);
  if (event === undefined) throw invalid('event is required', 'event');
  if (event.length > MAX_EVENT_LENGTH) {
    throw invalid(`event "${event}" is longer than ${MAX_EVENT_LENGTH} characters`, 'event');
  }
  if (raw.url === undefined || raw.url.trim() === '') throw invalid('url is required', 'url');
  const bodies = (['json', 'form', 'body'] as const).filter((k) => raw[k] !== undefined);
  if (bodies.length > 1) throw invalid(`json, form and body are mutually exclusive; got ${bodies.join(' and ')}`, bodies[0] ?? 'body');
  readHeaders(raw.headers);

  const defaultTopic = opts.scope === 'sandbox' ? 'hook-response/{{PARTICLE_EVENT_NAME}}' : '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}';
  const deviceId = readDeviceId(raw, opts.scope);
  const auth = readAuth(raw.auth);
  const responseTemplate = raw.responseTemplate === '' ? undefined : raw.responseTemplate;
  const secrets = readSecrets(raw.secrets, opts.knownSecrets);
  const signingSecret = readSigningSecret(raw, secrets);
  const retrySchedule = readRetrySchedule(raw);
  const config: WebhookConfig = {
    integrationType: SUPPORTED_TYPE,
    event,
    url: raw.url,
    name: raw.name !== undefined && raw.name !== '' ? raw.name : `${event} for ${urlHostLabel(raw.url)}`.slice(0, 255),
    requestType: readRequestType(raw.requestType),
    ...(deviceId === undefined ? {} : { deviceId }),
    ...(raw.json === undefined ? {} : { json: raw.json }),
    ...(raw.form === undefined ? {} : { form: raw.form }),
    ...(raw.body === undefined ? {} : { body: raw.body }),
    ...(raw.query === undefined ? {} : { query: raw.query }),
    ...(raw.headers === undefined ? {} : { headers: raw.headers }),
    ...(auth === undefined ? {} : { auth }),
    noDefaults: raw.noDefaults ?? false,
    rejectUnauthorized: raw.rejectUnauthorized ?? true,
    responseTopic: raw.responseTopic || defaultTopic,
    errorResponseTopic: raw.errorResponseTopic || 'hook-error/{{PARTICLE_EVENT_NAME}}',
    ...(responseTemplate === undefined ? {} : { responseTemplate }),
    unchunked: raw.unchunked ?? false,
    dataUrlResponseEvent: raw.dataUrlResponseEvent ?? false,
    disabled: raw.disabled ?? false,
    ...(raw.template === undefined ? {} : { template: raw.template }),
    ...(raw.parameters === undefined ? {} : { parameters: raw.parameters }),
    secrets,
    ...(signingSecret === undefined ? {} : { signingSecret }),
    ...(retrySchedule === undefined ? {} : { retrySchedule }),
    ...readPacing(raw),
  };
  checkTemplates(config, opts.knownSecrets);
  const urlProblem = urlTemplateProblem(config.url, parseTemplate(config.url));
  if (urlProblem !== undefined) throw invalid(urlProblem, 'url');
  return config;
}

/** The configuration as list/get responses show it (Particle field names; no id or timestamps). */
export function toIntegrationJson(config: WebhookConfig): WebhookIntegrationJson {
  const auth = config.auth === undefined ? undefined
    : config.auth.kind === 'basic' ? { username: config.auth.username, password: config.auth.password }
    : { bearer: config.auth.token };
  return {
    integration_type: config.integrationType,
    event: config.event,
    url: config.url,
    name: config.name,
    requestType: config.requestType,
    ...(config.deviceId === undefined ? {} : { deviceID: config.deviceId }),
    ...(config.json === undefined ? {} : { json: config.json }),
    ...(config.form === undefined ? {} : { form: config.form }),
    ...(config.body === undefined ? {} : { body: config.body }),
    ...(config.query === undefined ? {} : { query: config.query }),
    ...(config.headers === undefined ? {} : { headers: config.headers }),
    ...(auth === undefined ? {} : { auth }),
    noDefaults: config.noDefaults,
    rejectUnauthorized: config.rejectUnauthorized,
    responseTopic: config.responseTopic,
    errorResponseTopic: config.errorResponseTopic,
    ...(config.responseTemplate === undefined ? {} : { responseTemplate: config.responseTemplate }),
    unchunked: config.unchunked,
    dataUrlResponseEvent: config.dataUrlResponseEvent,
    disabled: config.disabled,
    ...(config.template === undefined ? {} : { template: config.template }),
    ...(config.parameters === undefined ? {} : { parameters: config.parameters }),
    secrets: config.secrets,
    ...deliveryOptionsJson(config),
  };
}

/**
 * The secrets this integration uses, for usage counts and delete protection. Use is
 * explicit (design §2): these are the selected names, whether or not a template refers
 * to them yet. `referencedSecretNames` gives the subset templates actually read.
 */
export function secretNamesUsedBy(config: WebhookConfig): string[] {
  return [...config.secrets];
}

export { referencedSecretNames };
