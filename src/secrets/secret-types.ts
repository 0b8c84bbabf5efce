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
}

export interface SecretVersionView {
  readonly version: number;
  readonly created_at: string;
  readonly created_by: string;
  readonly created_by_username: string | null;
  readonly current: boolean;
  readonly restored_from: number | null;
}

/** What happened to a secret; `promoted` makes a pending value current (staged rotation). */
export type SecretChangeKind = 'created' | 'replaced' | 'promoted' | 'restored' | 'deleted';

/**
 * One committed change, as published on the owner's event stream (`hush/secret/<kind>`).
 * Names, versions, actor and time only: never the value.
 */
export interface SecretChange {
  readonly owner: string;
  readonly name: string;
  readonly kind: SecretChangeKind;
  /** The version that became current (the last current one for `deleted`). */
  readonly version: number;
  readonly actorId: string;
  readonly at: string;
  /** For `restored`: the version whose value was restored. */
  readonly restoredFrom?: number;
}
