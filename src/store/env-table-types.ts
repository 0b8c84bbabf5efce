/** Environment variables (migration 010): one row per scope (owner, product or device) of an owner. */
export interface EnvLayersTable {
  owner: string;
  /** `owner`, `product:<id>` or `device:<id>`. */
  layer: string;
  /** Compare-and-set key of every change. */
  version: number;
  /** The staged (latest) values: JSON object key → value. */
  own_json: string;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
  /** The values of the last rollout; null until the first one. */
  snapshot_json: string | null;
  rollout_at: string | null;
  rollout_by: string | null;
}

export interface EnvTables {
  env_layers: EnvLayersTable;
}
