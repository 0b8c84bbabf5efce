/** Shapes of the Hush console API (Particle Cloud API v1 plus console endpoints). */

export type OrgRole = 'administrator' | 'developer' | 'view-only';

export interface SessionUser {
  readonly id: string;
  readonly username: string;
}

export interface SessionOrg {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly role: OrgRole;
}

export interface Session {
  readonly user: SessionUser;
  readonly csrf_token: string;
  readonly orgs: readonly SessionOrg[];
}

export interface NamedRef {
  readonly id: string;
  readonly name: string;
  /** Set when the integration belongs to a product of the scope. */
  readonly product_slug?: string | null;
}

export interface Secret {
  readonly name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly created_by: string;
  readonly updated_by: string;
  readonly created_by_username?: string | null;
  readonly updated_by_username?: string | null;
  readonly last_accessed_at: string | null;
  readonly usage_count: number;
  readonly integrations: readonly NamedRef[];
  readonly logic_functions: readonly NamedRef[];
  /** Staged rotation: a pending value saved at `since` (never the value). Absent on old servers. */
  readonly pending?: { readonly since: string; readonly created_by: string } | null;
  readonly expires_at?: string | null;
  readonly rotation_period_days?: number | null;
  readonly expired?: boolean;
  readonly expires_in_days?: number | null;
  /** Details only (GET …/secrets/:name): uses per consumer and day. Absent on old servers and in the list. */
  readonly consumers?: readonly SecretConsumer[];
  /** Details only: whole days since the last access; null when never accessed. */
  readonly unused_days?: number | null;
}

/** An integration or Logic function that uses (or recently used) a secret. */
export interface SecretConsumer {
  readonly kind: 'integration' | 'logic';
  readonly id: string;
  readonly name: string;
  readonly last_used_at: string | null;
  /** Uses per UTC day for the last 30 days, oldest first, today last. */
  readonly daily: readonly number[];
  readonly total: number;
}

/** One stored value of a secret (never the value itself). */
export interface SecretVersion {
  readonly version: number;
  readonly created_at: string;
  readonly created_by: string;
  readonly created_by_username: string | null;
  readonly current: boolean;
  readonly restored_from: number | null;
}

export interface SecretWriteResult {
  readonly secret: Secret;
  readonly warning?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The configurable fields of a webhook (spec §7.3). */
export interface WebhookConfig {
  readonly integration_type: 'Webhook';
  readonly name?: string;
  readonly event: string;
  readonly url: string;
  readonly requestType: HttpMethod;
  readonly deviceID?: string;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly body?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly auth?: { readonly username: string; readonly password: string };
  readonly noDefaults?: boolean;
  readonly rejectUnauthorized?: boolean;
  readonly responseTopic?: string;
  readonly errorResponseTopic?: string;
  readonly responseTemplate?: string;
  readonly unchunked?: boolean;
  readonly disabled?: boolean;
  readonly secrets: readonly string[];
  /** One of `secrets`: its value signs each request (Standard Webhooks). */
  readonly signing_secret?: string;
  readonly retry_schedule?: RetrySchedule;
  /** Pacing (absent: no limit, any order). */
  readonly max_per_second?: number;
  readonly max_in_flight?: number;
  readonly ordered?: 'device';
}

export type RetrySchedule =
  | { readonly type: 'particle' }
  | { readonly type: 'exponential'; readonly max_attempts?: number; readonly initial_delay_ms?: number; readonly max_delay_ms?: number };

export interface LastDelivery {
  readonly status: 'success' | 'error';
  readonly at: string;
  readonly http_status?: number;
}

export interface Integration extends WebhookConfig {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
  readonly counters: { readonly success: number; readonly error: number };
  readonly last_delivery: LastDelivery | null;
}

export interface DeliveryLog {
  readonly id: string;
  readonly time: string;
  readonly attempt: number;
  readonly duration_ms: number;
  /** `retry` = failed attempt that will be retried. */
  readonly outcome?: 'success' | 'retry' | 'error';
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Record<string, string>;
    readonly body: string | null;
  } | null;
  readonly response: {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body: string | null;
  } | null;
  readonly error: string | null;
}

/** A target host paused for too many errors (`GET …/integrations/hosts`); `host` is masked like every log. */
export interface PausedHost {
  readonly id: string;
  readonly host: string;
  readonly paused_at: string;
  readonly errors: number;
  readonly successes: number;
  readonly last_error: string | null;
  readonly next_probe_at: string;
  readonly probe_interval_ms: number;
  readonly probes: number;
  readonly probing: boolean;
}

/** One attempt of the delivery history (`GET …/deliveries`); a `dead` one is a dead letter's last attempt. */
export interface DeliveryAttempt extends DeliveryLog {
  readonly delivery_id: string | null;
  readonly status: 'sent' | 'failed' | 'dead' | null;
  readonly event: string | null;
  readonly replay_of: string | null;
  /** For a dead letter: the delivery its replay created (null: not replayed yet). */
  readonly replayed_as: string | null;
  /** A "Send test event" attempt, not a delivery of a published event. */
  readonly test: boolean;
}

export interface TemplateField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'select' | 'secret' | 'url';
  readonly required: boolean;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly default?: string;
  readonly help?: string;
}

export interface IntegrationTemplate {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  /** The target's documentation of the API the webhook calls. */
  readonly docs: string;
  readonly fields: readonly TemplateField[];
}

export interface IntegrationTestResult {
  readonly pass: boolean;
  readonly data: unknown;
  readonly error: unknown;
}
