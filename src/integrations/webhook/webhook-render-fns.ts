/**
 * Turns a webhook configuration plus one event (and its selected secrets) into the HTTP
 * request to send (spec §7.6, §7.7), and renders response/error topics and response
 * templates (§7.8).
 *
 * Default data (`event`, `data`, `published_at`, `coreid`, unless `noDefaults`):
 * - GET and DELETE have no body: defaults (and `form`) go into the query string;
 * - other methods: merged into `json` or `form`; not added to a custom `body`;
 *   with none of the three they form an `application/x-www-form-urlencoded` body.
 * The user's own fields win over defaults of the same name.
 */
import Mustache from 'mustache';
import { HushError } from '../../errors/errors.ts';
import { createWriter, parseJsonView, renderWith, toViewValue } from './webhook-mustache-fns.ts';
import type { JsonObject, JsonValue, RenderedRequest, WebhookConfig, WebhookEvent } from './webhook-types.ts';
import { decodeUserinfo, renderUrl } from './webhook-url-fns.ts';
import { deliveryVariables, eventVariables, type TemplateView } from './webhook-vars-fns.ts';

export const USER_AGENT = 'ParticleBot/1.1 (https://docs.particle.io/webhooks)';
/** RFC 9110 token: what a header name may contain. */
export const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by the HTTP client itself; letting a template set them would break message framing. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect',
  'proxy-connection',
]);

type Render = (text: string) => string;

/** Case-insensitive header set that keeps the spelling of the last writer. */
class HeaderSet {
  private readonly entries = new Map<string, readonly [string, string]>();
  set(name: string, value: string): void {
    this.entries.set(name.toLowerCase(), [name, value]);
  }
  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }
  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries.values());
  }
}

/** Control characters would split or corrupt a header; surrounding whitespace is not significant in HTTP. */
function headerValue(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '').trim();
}

function renderMap(map: Readonly<Record<string, string>> | undefined, render: Render): [string, string][] {
  return Object.entries(map ?? {}).map(([k, v]) => [render(k), render(v)]);
}

/** Renders keys and string values of a JSON template; mustache always yields strings there. */
function renderJsonValue(value: JsonValue, render: Render): JsonValue {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((v: JsonValue) => renderJsonValue(v, render));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, render(k), { value: renderJsonValue(v, render), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Adds the defaults the user did not set themselves. */
function withDefaults(user: [string, string][], defaults: readonly [string, string][]): [string, string][] {
  const taken = new Set(user.map(([k]) => k));
  return [...user, ...defaults.filter(([k]) => !taken.has(k))];
}

function renderJsonBody(config: WebhookConfig, render: Render, defaults: readonly [string, string][]): string {
  const json = config.json as JsonObject | string;
  let value: JsonValue;
  if (typeof json === 'string') {
    const text = render(json);
    if (defaults.length === 0) return text.trim() === '' ? '' : checkJson(text);
    value = JSON.parse(checkJson(text)) as JsonValue;
  } else {
    value = renderJsonValue(json, render);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, JsonValue>;
    for (const [k, v] of defaults) {
      if (!Object.hasOwn(obj, k)) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  return JSON.stringify(value);
}

/** The message names no content: the rendered text may hold secret values. */
function checkJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new HushError('validation_failed', 'the json template did not render to valid JSON');
  }
  return text;
}

function appendQuery(url: URL, entries: readonly [string, string][]): void {
  if (entries.length === 0) return;
  const extra = new URLSearchParams(entries.map(([k, v]) => [k, v])).toString();
  // Appending text (not searchParams.append) keeps the template's own query encoding intact.
  url.search = url.search.length > 1 ? `${url.search}&${extra}` : `?${extra}`;
}

/**
 * Renders the outgoing request for one event.
 * @param secrets values of the integration's selected secrets (others are ignored).
 * @throws HushError only when the rendered url or header names, or a `json` string
 *   template, are invalid for this event; messages never quote rendered text.
 */
export function renderWebhookRequest(
  config: WebhookConfig,
  event: WebhookEvent,
  secrets: Readonly<Record<string, string>>,
): RenderedRequest {
  const view = deliveryVariables(event, secrets, config.secrets);
  const writer = createWriter();
  const render: Render = (text) => renderWith(writer, text, view);
  const url = renderUrl(config.url, view, writer);
  const method = config.requestType;
  const bodyless = method === 'GET' || method === 'DELETE';
  const defaults: [string, string][] = config.noDefaults ? [] : [
    ['event', event.name], ['data', event.data ?? ''], ['published_at', event.publishedAt], ['coreid', event.coreid],
  ];
  const headers = new HeaderSet();
  headers.set('User-Agent', USER_AGENT);

  let query = renderMap(config.query, render);
  let body: string | undefined;
  const form = config.form === undefined ? undefined : renderMap(config.form, render);
  if (bodyless) {
    query = withDefaults([...query, ...(form ?? [])], defaults);
  }
  if (config.json !== undefined) {
    body = renderJsonBody(config, render, bodyless ? [] : defaults);
    headers.set('Content-Type', 'application/json');
    headers.set('Accept', 'application/json');
  } else if (config.body !== undefined) {
    body = render(config.body);
  } else if (!bodyless && (form !== undefined || defaults.length > 0)) {
    body = new URLSearchParams(withDefaults(form ?? [], defaults)).toString();
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  appendQuery(url, query);

  for (const [name, value] of renderMap(config.headers, render)) {
    if (!HEADER_NAME_PATTERN.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new HushError('validation_failed', 'a templated header name did not render to a usable HTTP header name');
    }
    headers.set(name, headerValue(value));
  }
  if (config.auth?.kind === 'basic') {
    const pair = `${render(config.auth.username)}:${render(config.auth.password)}`;
    headers.set('Authorization', `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`);
  } else if (config.auth?.kind === 'bearer') {
    headers.set('Authorization', `Bearer ${headerValue(render(config.auth.token))}`);
  }
  if ((url.username !== '' || url.password !== '') && !headers.has('Authorization')) {
    const user = decodeUserinfo(url.username);
    // One tag holding "user:pass" lands (encoded) in the user part; it is still that pair.
    const pair = url.password === '' && user.includes(':') ? user : `${user}:${decodeUserinfo(url.password)}`;
    headers.set('Authorization', `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`);
  }
  return { method, url: url.href, headers: headers.toRecord(), ...(body === undefined ? {} : { body }) };
}

/**
 * Renders a response or error topic with event variables (never secrets: topics are
 * event names anyone subscribed can see). `{{x}}` is not HTML-escaped here: the result is
 * an event name, so the documented default `hook-response/{{PARTICLE_EVENT_NAME}}` keeps
 * names such as `a&b` intact.
 */
export function renderTopic(template: string, vars: TemplateView): string {
  try {
    return renderWith(createWriter(), template, vars, String);
  } catch {
    return ''; // caller falls back to the default topic
  }
}

/**
 * Renders `responseTemplate` against the target's JSON response; event variables are
 * visible underneath the response's own fields. A non-JSON response gives an empty view.
 * An object template is rendered value by value and serialized as JSON.
 */
export function renderResponseTemplate(template: string | JsonObject, responseBody: string, event: WebhookEvent): string {
  const parsed = parseJsonView(responseBody);
  const responseView = parsed !== null && typeof parsed === 'object' ? parsed : toViewValue({});
  const context = new Mustache.Context(responseView, new Mustache.Context(eventVariables(event)));
  const writer = createWriter();
  const render: Render = (text) => renderWith(writer, text, context);
  try {
    return typeof template === 'string' ? render(template) : JSON.stringify(renderJsonValue(template, render));
  } catch {
    return ''; // only a corrupt stored template gets here
  }
}
