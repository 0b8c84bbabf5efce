/**
 * Types shared by the storage-free parts of webhook integrations: the normalized
 * configuration, the event a delivery renders, the request it produces, the send result
 * and the hook events published afterwards. See spec §7.
 */

import type { RetrySchedule } from '../retry-schedule.ts';
import type { DeliveryOptionsJson } from './webhook-delivery-options-fns.ts';

/** Where an integration lives; decides the default response topic and whether `deviceID` is allowed. */
export type WebhookScope = 'sandbox' | 'product' | 'org';

export const REQUEST_TYPES = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export type StringMap = Readonly<Record<string, string>>;

/** `auth` after normalization: `{username,password}` and `{user,pass}` both become `basic`. */
export type WebhookAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

/**
 * A validated, normalized webhook configuration. Every string that may hold mustache
 * (url, headers, query, form, json, body, auth, topics, responseTemplate) is stored as
 * the template text; rendering happens per delivery.
 */
export interface WebhookConfig {
  readonly integrationType: 'Webhook';
  /** Event-name prefix that triggers the webhook (case-sensitive). */
  readonly event: string;
  readonly url: string;
  readonly name: string;
  readonly requestType: RequestType;
  /** Sandbox only: 24 lowercase hex digits. */
  readonly deviceId?: string;
  /** An object (values rendered to strings) or a string template that must render to JSON. */
  readonly json?: JsonObject | string;
  readonly form?: StringMap;
  readonly body?: string;
  readonly query?: StringMap;
  readonly headers?: StringMap;
  readonly auth?: WebhookAuth;
  readonly noDefaults: boolean;
  readonly rejectUnauthorized: boolean;
  /** Always set: the user's value or the scope's default. */
  readonly responseTopic: string;
  readonly errorResponseTopic: string;
  readonly responseTemplate?: string | JsonObject;
  readonly unchunked: boolean;
  readonly dataUrlResponseEvent: boolean;
  readonly disabled: boolean;
  readonly template?: string;
  readonly parameters?: readonly JsonValue[];
  /** Names of the owner's secrets this integration may use, in the order given, without duplicates. */
  readonly secrets: readonly string[];
  /** One of `secrets`: its value signs each request (Standard Webhooks headers). */
  readonly signingSecret?: string;
  /** Absent: the server's fixed delays (Particle's 30 s, 60 s). */
  readonly retrySchedule?: RetrySchedule;
  /** Pacing (absent: as fast as the worker goes, in any order). */
  readonly maxPerSecond?: number;
  readonly maxInFlight?: number;
  readonly ordered?: 'device';
}

/** The Particle-shaped configuration fields returned by list/get (spec §7.3, §7.4), minus id and timestamps. */
export interface WebhookIntegrationJson {
  readonly integration_type: 'Webhook';
  readonly event: string;
  readonly url: string;
  readonly name: string;
  readonly requestType: RequestType;
  readonly deviceID?: string;
  readonly json?: JsonObject | string;
  readonly form?: StringMap;
  readonly body?: string;
  readonly query?: StringMap;
  readonly headers?: StringMap;
  readonly auth?: { readonly username: string; readonly password: string } | { readonly bearer: string };
  readonly noDefaults: boolean;
  readonly rejectUnauthorized: boolean;
  readonly responseTopic: string;
  readonly errorResponseTopic: string;
  readonly responseTemplate?: string | JsonObject;
  readonly unchunked: boolean;
  readonly dataUrlResponseEvent: boolean;
  readonly disabled: boolean;
  readonly template?: string;
  readonly parameters?: readonly JsonValue[];
  readonly secrets: readonly string[];
  readonly signing_secret?: string;
  readonly retry_schedule?: DeliveryOptionsJson['retry_schedule'];
  readonly max_per_second?: number;
  readonly max_in_flight?: number;
  readonly ordered?: 'device';
}

/** The shape clients send (all optional; `parseWebhookConfig` decides what is valid). */
export type WebhookConfigInput = Readonly<Record<string, unknown>>;

/** The event a delivery renders its templates with. */
export interface WebhookEvent {
  readonly name: string;
  readonly data?: string;
  readonly publishedAt: string;
  readonly coreid: string;
  readonly productId?: number;
  readonly eventId: string;
  readonly userId?: string;
  readonly firmwareVersion?: number;
}

/** A fully rendered outgoing request. `url` may carry percent-encoded user-info; the sender strips it. */
export interface RenderedRequest {
  readonly method: RequestType;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Why a send failed without an HTTP status; decides whether a retry can help. */
/** `paused`: not sent, its host was paused for too many errors for longer than deliveries may wait. */
export type SendErrorKind = 'timeout' | 'network' | 'tls' | 'refused' | 'invalid' | 'paused';

export interface SendResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** The first 100 KiB of the response body, decoded as UTF-8. */
  readonly body?: string;
  readonly durationMs: number;
  readonly error?: string;
  readonly errorKind?: SendErrorKind;
}

/** An event the cloud publishes about a delivery (`hook-sent`, `hook-response`, `hook-error`). */
export interface HookEvent {
  readonly name: string;
  readonly data: string;
  readonly coreid: 'particle-internal';
}
