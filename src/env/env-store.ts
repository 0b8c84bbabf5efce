import type { DbOrTrx } from '../store/database-types.ts';
import type { EnvLayer, EnvValues } from './env-types.ts';

type Row = {
  layer: string; version: number; own_json: string; created_at: string; updated_at: string; created_by: string; updated_by: string;
  snapshot_json: string | null; rollout_at: string | null; rollout_by: string | null;
};

const toLayer = (r: Row): EnvLayer => ({
  layer: r.layer, version: Number(r.version), own: JSON.parse(r.own_json) as EnvValues, createdAt: r.created_at, updatedAt: r.updated_at,
  createdBy: r.created_by, updatedBy: r.updated_by, snapshot: r.snapshot_json === null ? null : (JSON.parse(r.snapshot_json) as EnvValues),
  rolloutAt: r.rollout_at, rolloutBy: r.rollout_by,
});

const COLUMNS = ['layer', 'version', 'own_json', 'created_at', 'updated_at', 'created_by', 'updated_by', 'snapshot_json', 'rollout_at', 'rollout_by'] as const;

/** Rows of `env_layers`; no rules (those are in the service). */
export const envStore = {
  /** The named scopes of an owner that have a row, by layer. */
  async layers(db: DbOrTrx, owner: string, layers: readonly string[]): Promise<Map<string, EnvLayer>> {
    const rows = await db.selectFrom('env_layers').select(COLUMNS).where('owner', '=', owner).where('layer', 'in', [...layers]).execute();
    return new Map(rows.map((r) => [r.layer, toLayer(r)]));
  },
  async insert(db: DbOrTrx, owner: string, w: { layer: string; own: EnvValues; at: string; by: string; snapshot?: EnvValues }): Promise<void> {
    await db.insertInto('env_layers').values({
      owner, layer: w.layer, version: 1, own_json: JSON.stringify(w.own), created_at: w.at, updated_at: w.at, created_by: w.by, updated_by: w.by,
      snapshot_json: w.snapshot ? JSON.stringify(w.snapshot) : null, rollout_at: w.snapshot ? w.at : null, rollout_by: w.snapshot ? w.by : null,
    }).execute();
  },
  /** Compare-and-set of the staged values: false when the row moved on from `expected`. */
  async replaceOwn(db: DbOrTrx, owner: string, layer: string, expected: number, w: { own: EnvValues; at: string; by: string }): Promise<boolean> {
    const r = await db.updateTable('env_layers').set({ version: expected + 1, own_json: JSON.stringify(w.own), updated_at: w.at, updated_by: w.by })
      .where('owner', '=', owner).where('layer', '=', layer).where('version', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Compare-and-set of a rollout: the snapshot becomes the staged values as they were at `expected`. */
  async rollout(db: DbOrTrx, owner: string, layer: string, expected: number, w: { snapshot: EnvValues; at: string; by: string }): Promise<boolean> {
    const r = await db.updateTable('env_layers').set({ version: expected + 1, snapshot_json: JSON.stringify(w.snapshot), rollout_at: w.at, rollout_by: w.by })
      .where('owner', '=', owner).where('layer', '=', layer).where('version', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** The device's product, for a device of this owner; undefined when the owner has no such device. */
  async deviceProduct(db: DbOrTrx, owner: string, deviceId: string): Promise<number | null | undefined> {
    const r = await db.selectFrom('devices').select('product_id').where('id', '=', deviceId.toLowerCase()).where('owner', '=', owner).executeTakeFirst();
    return r === undefined ? undefined : r.product_id === null ? null : Number(r.product_id);
  },
  async deviceRow(db: DbOrTrx, deviceId: string): Promise<{ owner: string; productId: number | null } | null> {
    const r = await db.selectFrom('devices').select(['owner', 'product_id']).where('id', '=', deviceId.toLowerCase()).executeTakeFirst();
    return r ? { owner: r.owner, productId: r.product_id === null ? null : Number(r.product_id) } : null;
  },
};
