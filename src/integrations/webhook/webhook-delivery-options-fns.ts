/**
 * Hush's delivery options of a webhook beyond Particle's fields: the signing secret
 * (Standard Webhooks signatures), the retry schedule and pacing. Parsed from and shown as
 * `signing_secret`, `retry_schedule`, `max_per_second`, `max_in_flight` and `ordered`.
 */
import { HushError } from '../../errors/errors.ts';
import { PACING_LIMITS, type DeliveryPacing } from '../delivery-pacing-fns.ts';
import { EXPONENTIAL_DEFAULTS, RETRY_LIMITS, type RetrySchedule } from '../retry-schedule.ts';
import type { WebhookInput } from './webhook-config-schema.ts';
import { SIGNATURE_HEADERS } from './webhook-signing-fns.ts';

const invalid = (message: string, field: string): HushError => new HushError('validation_failed', message, { details: { field } });

/** The signing secret must be one of the selected secrets; its headers cannot also be set by hand. */
export function readSigningSecret(raw: WebhookInput, selected: readonly string[]): string | undefined {
  const name = raw.signing_secret;
  if (name === undefined || name === '') return undefined;
  if (!selected.includes(name)) {
    throw invalid(`signing_secret "${name}" must be one of the integration's selected secrets (${selected.join(', ') || 'none selected'})`, 'signing_secret');
  }
  const clash = Object.keys(raw.headers ?? {}).find((h) => (SIGNATURE_HEADERS as readonly string[]).includes(h.toLowerCase()));
  if (clash !== undefined) throw invalid(`header "${clash}" cannot be set when signing_secret is set: Hush writes it`, 'headers');
  return name;
}

function within(field: string, value: number, min: number, max: number): number {
  if (value < min || value > max) throw invalid(`retry_schedule.${field} must be between ${min} and ${max}; got ${value}`, 'retry_schedule');
  return value;
}

export function readRetrySchedule(raw: WebhookInput): RetrySchedule | undefined {
  const r = raw.retry_schedule;
  if (r === undefined) return undefined;
  if (r.type === 'particle') {
    const extra = (['max_attempts', 'initial_delay_ms', 'max_delay_ms'] as const).find((k) => r[k] !== undefined);
    if (extra !== undefined) throw invalid(`retry_schedule.${extra} only applies to "type": "exponential"`, 'retry_schedule');
    return { type: 'particle' };
  }
  const maxAttempts = within('max_attempts', r.max_attempts ?? EXPONENTIAL_DEFAULTS.maxAttempts, 1, RETRY_LIMITS.maxAttempts);
  const initialDelayMs = within('initial_delay_ms', r.initial_delay_ms ?? EXPONENTIAL_DEFAULTS.initialDelayMs, RETRY_LIMITS.minDelayMs, RETRY_LIMITS.maxDelayMs);
  const maxDelayMs = within('max_delay_ms', r.max_delay_ms ?? Math.max(initialDelayMs, EXPONENTIAL_DEFAULTS.maxDelayMs), initialDelayMs, RETRY_LIMITS.maxDelayMs);
  return { type: 'exponential', maxAttempts, initialDelayMs, maxDelayMs };
}

/** Rate limit, in-flight cap and per-device order; each absent unless asked for. */
export function readPacing(raw: WebhookInput): DeliveryPacing {
  const between = (field: 'max_per_second' | 'max_in_flight', value: number | undefined, [min, max]: readonly [number, number]) => {
    if (value !== undefined && !(value >= min && value <= max)) throw invalid(`${field} must be between ${min} and ${max}; got ${value}`, field);
    return value;
  };
  const maxPerSecond = between('max_per_second', raw.max_per_second, PACING_LIMITS.maxPerSecond);
  const maxInFlight = between('max_in_flight', raw.max_in_flight, PACING_LIMITS.maxInFlight);
  return {
    ...(maxPerSecond === undefined ? {} : { maxPerSecond }),
    ...(maxInFlight === undefined ? {} : { maxInFlight }),
    ...(raw.ordered === undefined ? {} : { ordered: raw.ordered }),
  };
}

export interface DeliveryOptionsJson {
  readonly max_per_second?: number;
  readonly max_in_flight?: number;
  readonly ordered?: 'device';
  readonly signing_secret?: string;
  readonly retry_schedule?: { readonly type: 'particle' } | { readonly type: 'exponential'; readonly max_attempts: number; readonly initial_delay_ms: number; readonly max_delay_ms: number };
}

/** The options as list/get show them; absent ones are left out (Particle's shape stays as it was). */
export function deliveryOptionsJson(c: DeliveryPacing & { readonly signingSecret?: string; readonly retrySchedule?: RetrySchedule }): DeliveryOptionsJson {
  const r = c.retrySchedule;
  return {
    ...(c.maxPerSecond === undefined ? {} : { max_per_second: c.maxPerSecond }),
    ...(c.maxInFlight === undefined ? {} : { max_in_flight: c.maxInFlight }),
    ...(c.ordered === undefined ? {} : { ordered: c.ordered }),
    ...(c.signingSecret === undefined ? {} : { signing_secret: c.signingSecret }),
    ...(r === undefined ? {} : {
      retry_schedule: r.type === 'particle' ? r : { type: r.type, max_attempts: r.maxAttempts, initial_delay_ms: r.initialDelayMs, max_delay_ms: r.maxDelayMs },
    }),
  };
}
