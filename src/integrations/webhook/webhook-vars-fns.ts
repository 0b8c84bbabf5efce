/**
 * The mustache variables of one delivery (spec §7.7).
 *
 * Precedence, lowest first: fields of the event data (when it is a JSON object), then the
 * predefined `PARTICLE_*` / `PRODUCT_*` / `SPARK_*` variables (so device data cannot spoof
 * the device ID), then the selected secrets (a secret wins over an event field of the same
 * name, design §2).
 */
import {
  createView,
  defineLazyViewProperty,
  defineViewProperty,
  parseJsonView,
  type ViewValue,
} from './webhook-mustache-fns.ts';
import type { WebhookEvent } from './webhook-types.ts';

export type TemplateView = Record<string, ViewValue>;

export { BUILTIN_VARIABLE_NAMES } from './webhook-variable-names.ts';

/**
 * The whole event as JSON, for `PARTICLE_EVENT_JSON` / `PARTICLE_EVENT_BASE64`. The field
 * names follow the default webhook data (`event`, `data`, `published_at`, `coreid`); the
 * product fields appear only when known. (The exact Particle shape is undocumented.)
 */
export function eventJson(event: WebhookEvent): string {
  return JSON.stringify({
    event: event.name,
    data: event.data ?? null,
    published_at: event.publishedAt,
    coreid: event.coreid,
    event_id: event.eventId,
    ...(event.productId === undefined ? {} : { product_id: event.productId }),
    ...(event.userId === undefined ? {} : { userid: event.userId }),
    ...(event.firmwareVersion === undefined ? {} : { fw_version: event.firmwareVersion }),
  });
}

/** Event variables without any secret: used for topics and response templates. */
export function eventVariables(event: WebhookEvent): TemplateView {
  const view = createView();
  const data = parseJsonView(event.data);
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    for (const [key, value] of Object.entries(data)) defineViewProperty(view, key, value as ViewValue);
  }
  const predefined: Readonly<Record<string, ViewValue>> = {
    PARTICLE_DEVICE_ID: event.coreid,
    PARTICLE_EVENT_NAME: event.name,
    PARTICLE_EVENT_VALUE: event.data ?? '',
    PARTICLE_PUBLISHED_AT: event.publishedAt,
    PARTICLE_EVENT_ID: event.eventId,
    PRODUCT_ID: event.productId,
    PRODUCT_USER_ID: event.userId,
    PRODUCT_VERSION: event.firmwareVersion,
    SPARK_EVENT_NAME: event.name,
    SPARK_EVENT_VALUE: event.data ?? '',
    SPARK_CORE_ID: event.coreid,
    SPARK_PUBLISHED_AT: event.publishedAt,
  };
  for (const [key, value] of Object.entries(predefined)) {
    if (value !== undefined) defineViewProperty(view, key, value);
  }
  // Whole-event helpers are rarely used: computed on first lookup, once per view.
  let json: string | undefined;
  const jsonOf = () => (json ??= eventJson(event));
  defineLazyViewProperty(view, 'PARTICLE_EVENT_JSON', jsonOf);
  defineLazyViewProperty(view, 'PARTICLE_EVENT_BASE64', () => Buffer.from(jsonOf(), 'utf8').toString('base64'));
  return view;
}

/**
 * Event variables plus the selected secrets. Only names in `selected` are taken from
 * `secrets`, so a template can never reach a secret its integration did not select.
 */
export function deliveryVariables(
  event: WebhookEvent,
  secrets: Readonly<Record<string, string>>,
  selected: readonly string[],
): TemplateView {
  const view = eventVariables(event);
  for (const name of selected) {
    if (Object.hasOwn(secrets, name)) {
      const value = secrets[name];
      if (typeof value === 'string') defineViewProperty(view, name, value);
    }
  }
  return view;
}
