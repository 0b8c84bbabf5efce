import type { ConsumerView } from './secret-consumer-fns.ts';

/** A secret's metadata as stored; the value never leaves the crypto layer. */
export interface SecretRecord {
  readonly owner: string;
  readonly name: string;
  readonly currentVersion: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly lastAccessedAt: string | null;
  /** When the owner said the value stops being valid (ISO time); absent or null: never. */
  readonly expiresAt?: string | null;
  /** Days a value is meant to live: each new current value moves `expiresAt` that far ahead. */
  readonly rotationPeriodDays?: number | null;
}

/** A staged value waiting for promote or discard; encrypted as version 0 of its secret. */
export interface PendingRecord {
  readonly owner: string;
  readonly name: string;
  readonly dataKeyId: string;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** The version number a pending value's ciphertext is bound to (real versions start at 1). */
export const PENDING_VERSION = 0;

/** A secret whose expiry reminders may be due. */
export interface ExpiringSecret {
  readonly owner: string;
  readonly name: string;
  readonly expiresAt: string;
}

export interface SecretVersionRecord {
  readonly owner: string;
  readonly name: string;
  readonly version: number;
  readonly dataKeyId: string;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly restoredFrom: number | null;
}

/** Something that uses a secret: an integration or a Logic function. */
export interface SecretUsage {
  readonly secretName: string;
  readonly consumerType: 'integration' | 'logic';
  readonly consumerId: string;
  readonly consumerName: string;
  readonly productSlug: string | null;
}

/** The API shape of a secret (spec §5.3), plus a few console conveniences. */
export interface SecretView {
  readonly name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly created_by: string;
  readonly updated_by: string;
  readonly created_by_username: string | null;
  readonly updated_by_username: string | null;
  readonly last_accessed_at: string | null;
  readonly version: number;
  readonly usage_count: number;
  readonly integrations: ReadonlyArray<{ id: string; name: string; org_integration_id?: string; product_slug?: string }>;
  readonly logic_functions: ReadonlyArray<{ id: string; name: string }>;
  /** Staged rotation: when a pending value was saved and by whom (never the value); null when none. */
  readonly pending: { readonly since: string; readonly created_by: string } | null;
  readonly expires_at: string | null;
  readonly rotation_period_days: number | null;
  /** True once `expires_at` has passed (the value keeps working). */
  readonly expired: boolean;
  /** Whole days until `expires_at` (rounded up; 0 or less once expired); null without expiry. */
  readonly expires_in_days: number | null;
}

/** The details answer (GET …/secrets/:name): the list's fields plus access by consumer. */
export interface SecretDetailsView extends SecretView {
  readonly consumers: readonly ConsumerView[];
  /** Whole days since the last access; null when never accessed. */
  readonly unused_days: number | null;
}

export interface SecretVersionView {
  readonly version: number;
  readonly created_at: string;
  readonly created_by: string;
  readonly created_by_username: string | null;
  readonly current: boolean;
  readonly restored_from: number | null;
}

/**
 * What happened to a secret; `staged` saves a pending value, `promoted` makes it current,
 * `discarded` drops it (staged rotation).
 */
export type SecretChangeKind = 'created' | 'replaced' | 'staged' | 'promoted' | 'discarded' | 'restored' | 'deleted';

/**
 * One committed change, as published on the owner's event stream (`hush/secret/<kind>`).
 * Names, versions, actor and time only: never the value.
 */
export interface SecretChange {
  readonly owner: string;
  readonly name: string;
  readonly kind: SecretChangeKind;
  /** The version that became current (the last current one for `deleted`; the current one for `staged` and `discarded`). */
  readonly version: number;
  readonly actorId: string;
  readonly at: string;
  /** For `restored`: the version whose value was restored. */
  readonly restoredFrom?: number;
}
