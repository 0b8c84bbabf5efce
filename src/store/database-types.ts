import type { Generated, Kysely, Transaction } from 'kysely';
import type { EnvTables } from './env-table-types.ts';
import type { IntegrationTables } from './integration-table-types.ts';
import type { LedgerTables } from './ledger-table-types.ts';
import type { LogicTables } from './logic-table-types.ts';

export type * from './env-table-types.ts';
export type * from './integration-table-types.ts';
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

/** The whole schema; each migration's tables are added here. */
export type Database = FoundationTables & EventTables & IntegrationTables & LogicTables & LedgerTables & EnvTables;

export type Db = Kysely<Database>;
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';
