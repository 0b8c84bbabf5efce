import type { Generated, Kysely, Transaction } from 'kysely';
import type { EnvTables } from './env-table-types.ts';
import type { LedgerTables } from './ledger-table-types.ts';
import type { LogicTables } from './logic-table-types.ts';

export type * from './env-table-types.ts';
export type * from './ledger-table-types.ts';
export type * from './logic-table-types.ts';

/**
 * Table shapes shared by SQLite and PostgreSQL. Timestamps shown to users are ISO-8601
 * text (UTC, milliseconds) so both dialects sort and compare them the same way; times
 * used for scheduling are epoch milliseconds in bigint columns.
 */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

export interface AccessTokensTable {
  token_hash: string;
  user_id: string;
  client_id: string;
  created_at: string;
  expires_at: string | null;
}

export interface OrgsTable {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface OrgMembersTable {
  org_id: string;
  user_id: string;
  role: string;
  created_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface OwnerStateTable {
  owner: string;
  secrets_version: number;
}

export interface DataKeysTable {
  id: string;
  owner: string;
  created_at: string;
}

export interface DataKeyWrappingsTable {
  data_key_id: string;
  master_key_id: string;
  wrapped: Buffer;
}

export interface SecretsTable {
  owner: string;
  name: string;
  current_version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  last_accessed_at: string | null;
  expires_at: string | null;
  rotation_period_days: number | null;
}

/** A secret's staged value (staged rotation): encrypted as version 0, promoted or discarded. */
export interface SecretPendingTable {
  owner: string;
  name: string;
  data_key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
  created_at: string;
  created_by: string;
}

/** Expiry reminders sent: `reminder` is `30d`, `7d`, `1d` or `expired`. */
export interface SecretRemindersTable {
  owner: string;
  name: string;
  expires_at: string;
  reminder: string;
  sent_at: string;
}

export interface SecretVersionsTable {
  owner: string;
  name: string;
  version: number;
  data_key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
  created_at: string;
  created_by: string;
  restored_from: number | null;
}

export interface SecretUsagesTable {
  owner: string;
  secret_name: string;
  consumer_type: string;
  consumer_id: string;
  consumer_name: string;
  product_slug: string | null;
}

/** Per secret and consumer (`integration` or `logic`): the last use (access by consumer). */
export interface SecretConsumersTable {
  owner: string;
  secret_name: string;
  consumer_kind: string;
  consumer_id: string;
  consumer_name: string | null;
  last_used_at: string;
}

/** Uses per secret, consumer and UTC day (`YYYY-MM-DD`); trimmed after 30 days. */
export interface SecretConsumerDaysTable {
  owner: string;
  secret_name: string;
  consumer_kind: string;
  consumer_id: string;
  day: string;
  uses: number;
}

export interface AuditLogTable {
  id: string;
  owner: string;
  actor_id: string;
  action: string;
  target: string;
  outcome: string;
  detail: string | null;
  created_at: string;
}

/**
 * Sign-in throttle rows per hashed key (login-throttle-fns.ts): failures per account, per
 * address and per (account, address), and (account, address) pairs that signed in before
 * ("known": `failures` 0, `window_start_ms` the last success, `locked_until_ms` when it is
 * forgotten). For an account row `window_start_ms` is the last failure.
 */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start_ms: number;
  locked_until_ms: number;
}

export interface FoundationTables {
  users: UsersTable;
  access_tokens: AccessTokensTable;
  orgs: OrgsTable;
  org_members: OrgMembersTable;
  meta: MetaTable;
  owner_state: OwnerStateTable;
  data_keys: DataKeysTable;
  data_key_wrappings: DataKeyWrappingsTable;
  secrets: SecretsTable;
  secret_versions: SecretVersionsTable;
  secret_usages: SecretUsagesTable;
  secret_pending: SecretPendingTable;
  secret_reminders: SecretRemindersTable;
  secret_consumers: SecretConsumersTable;
  secret_consumer_days: SecretConsumerDaysTable;
  audit_log: AuditLogTable;
  login_throttle: LoginThrottleTable;
}

export interface ProductsTable {
  id: Generated<number>;
  owner: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface DevicesTable {
  id: string;
  owner: string;
  product_id: number | null;
  name: string | null;
  created_at: string;
}

export interface EventLogTable {
  id: string;
  owner: string;
  name: string;
  data: string | null;
  ttl: number;
  is_public: number;
  published_at: string;
  coreid: string;
  product_id: number | null;
  device_id: string | null;
  user_id: string | null;
  source: string;
  created_ms: number;
}

export interface EventTables {
  products: ProductsTable;
  devices: DevicesTable;
  event_log: EventLogTable;
}

export interface IntegrationsTable {
  id: string;
  owner: string;
  product_id: number | null;
  scope_kind: string;
  name: string;
  event: string;
  device_id: string | null;
  disabled: number;
  config_json: string;
  created_at: string;
  updated_at: string;
  created_by: string;
  success_count: number;
  error_count: number;
  last_status: string | null;
  last_at: string | null;
  last_http_status: number | null;
}

export interface DeliveriesTable {
  id: string;
  integration_id: string;
  owner: string;
  event_json: string;
  attempts: number;
  status: string;
  available_at_ms: number;
  lease_until_ms: number | null;
  leased_by: string | null;
  created_ms: number;
  /** The dead letter this delivery replays (migration 016). */
  replay_of: string | null;
  /** The paused host this delivery waits for (migration 017). */
  held_host: string | null;
  /** Pacing stamps (migration 018): ordered key and sequence, in-flight cap, reserved send slot. */
  order_key: string | null;
  order_seq: number | null;
  flight_cap: number | null;
  slot_ms: number | null;
}

/** A rate-limited integration's next free send slot, shared by all nodes (migration 018). */
export interface DeliveryPacingTable {
  integration_id: string;
  tat_ms: number;
}

export interface DeliveryLogsTable {
  id: string;
  integration_id: string;
  owner: string;
  entry_json: string;
  outcome: string;
  created_at: string;
  /** Migration 016: the delivery (null for a test send), 'sent' | 'failed' | 'dead', its event and the dead letter it replays. */
  delivery_id: string | null;
  status: string | null;
  event_name: string | null;
  replay_of: string | null;
}

/** A delivery that exhausted its retries or was refused (migration 016). */
export interface DeadLettersTable {
  id: string;
  integration_id: string;
  owner: string;
  event_json: string;
  event_name: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  dead_at: string;
  replay_of: string | null;
  replayed_as: string | null;
}

/** A paused target host, shared by every node (migration 017). */
export interface HostHealthTable {
  id: string;
  owner: string;
  /** The host name as the owner's masker shows it. */
  host: string;
  paused_at_ms: number;
  errors: number;
  successes: number;
  last_error: string | null;
  probe_at_ms: number;
  probe_interval_ms: number;
  probes: Generated<number>;
  probe_by: string | null;
  probe_until_ms: number | null;
}

export interface IntegrationTables {
  integrations: IntegrationsTable;
  deliveries: DeliveriesTable;
  delivery_logs: DeliveryLogsTable;
  dead_letters: DeadLettersTable;
  host_health: HostHealthTable;
  delivery_pacing: DeliveryPacingTable;
}

/** The whole schema; each migration's tables are added here. */
export type Database = FoundationTables & EventTables & IntegrationTables & LogicTables & LedgerTables & EnvTables;

export type Db = Kysely<Database>;
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';
