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
