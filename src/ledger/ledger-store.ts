import type { DbOrTrx } from '../store/database-types.ts';
import type { LedgerDefinition, LedgerDirection, LedgerInstanceRecord, LedgerScopeType } from './ledger-types.ts';

type DefRow = { owner: string; name: string; description: string; scope: string; direction: string; created_at: string; updated_at: string; archived_at: string | null };
type InstRow = { ledger: string; scope_value: string; version: number; data_json: string; size_bytes: number; created_at: string; updated_at: string; updated_by: string | null; replaced_at?: string };

const toDef = (r: DefRow): LedgerDefinition => ({
  owner: r.owner, name: r.name, description: r.description, scope: r.scope as LedgerScopeType, direction: r.direction as LedgerDirection,
  createdAt: r.created_at, updatedAt: r.updated_at, archivedAt: r.archived_at,
});
const toInst = (r: InstRow): LedgerInstanceRecord => ({
  ledger: r.ledger, scopeValue: r.scope_value, version: Number(r.version), data: JSON.parse(r.data_json) as Record<string, unknown>,
  sizeBytes: Number(r.size_bytes), createdAt: r.created_at, updatedAt: r.updated_at, updatedBy: r.updated_by ?? null, ...(r.replaced_at ? { replacedAt: r.replaced_at } : {}),
});

export interface InstanceWrite {
  readonly owner: string;
  readonly ledger: string;
  readonly scopeValue: string;
  readonly dataJson: string;
  readonly sizeBytes: number;
  readonly at: string;
  /** The writer (user id or `logic:<function id>`). */
  readonly by: string;
}

/** Rows of the three ledger tables; no rules (those are in the service). */
export const ledgerStore = {
  async insertDefinition(db: DbOrTrx, d: LedgerDefinition): Promise<void> {
    await db.insertInto('ledgers').values({
      owner: d.owner, name: d.name, description: d.description, scope: d.scope, direction: d.direction,
      created_at: d.createdAt, updated_at: d.updatedAt, archived_at: d.archivedAt,
    }).execute();
  },
  async getDefinition(db: DbOrTrx, owner: string, name: string): Promise<LedgerDefinition | null> {
    const r = await db.selectFrom('ledgers').selectAll().where('owner', '=', owner).where('name', '=', name).executeTakeFirst();
    return r ? toDef(r) : null;
  },
  async updateDefinition(db: DbOrTrx, owner: string, name: string, set: { description?: string; direction?: LedgerDirection; updatedAt: string; archivedAt?: string }): Promise<void> {
    await db.updateTable('ledgers').set({
      updated_at: set.updatedAt,
      ...(set.description !== undefined ? { description: set.description } : {}),
      ...(set.direction !== undefined ? { direction: set.direction } : {}),
      ...(set.archivedAt !== undefined ? { archived_at: set.archivedAt } : {}),
    }).where('owner', '=', owner).where('name', '=', name).execute();
  },
  async listDefinitions(db: DbOrTrx, owner: string, f: { scope?: LedgerScopeType; archived?: boolean; offset: number; limit: number }): Promise<{ items: LedgerDefinition[]; total: number }> {
    let q = db.selectFrom('ledgers').where('owner', '=', owner);
    if (f.scope) q = q.where('scope', '=', f.scope);
    if (f.archived === true) q = q.where('archived_at', 'is not', null);
    if (f.archived === false) q = q.where('archived_at', 'is', null);
    const total = Number((await q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q.selectAll().orderBy('name').offset(f.offset).limit(f.limit).execute();
    return { items: rows.map(toDef), total };
  },

  async getInstance(db: DbOrTrx, owner: string, ledger: string, scopeValue: string): Promise<LedgerInstanceRecord | null> {
    const r = await db.selectFrom('ledger_instances').selectAll().where('owner', '=', owner).where('ledger', '=', ledger).where('scope_value', '=', scopeValue).executeTakeFirst();
    return r ? toInst(r) : null;
  },
  async insertInstance(db: DbOrTrx, w: InstanceWrite): Promise<void> {
    await db.insertInto('ledger_instances').values({
      owner: w.owner, ledger: w.ledger, scope_value: w.scopeValue, version: 1, data_json: w.dataJson, size_bytes: w.sizeBytes, created_at: w.at, updated_at: w.at, updated_by: w.by,
    }).execute();
  },
  /** Compare-and-set: writes only when the instance is still at `expected`; false when it moved on. */
  async replaceInstance(db: DbOrTrx, w: InstanceWrite, expected: number): Promise<boolean> {
    const r = await db.updateTable('ledger_instances').set({ version: expected + 1, data_json: w.dataJson, size_bytes: w.sizeBytes, updated_at: w.at, updated_by: w.by })
      .where('owner', '=', w.owner).where('ledger', '=', w.ledger).where('scope_value', '=', w.scopeValue).where('version', '=', expected)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async deleteInstance(db: DbOrTrx, owner: string, ledger: string, scopeValue: string): Promise<boolean> {
    const r = await db.deleteFrom('ledger_instances').where('owner', '=', owner).where('ledger', '=', ledger).where('scope_value', '=', scopeValue).executeTakeFirst();
    await db.deleteFrom('ledger_versions').where('owner', '=', owner).where('ledger', '=', ledger).where('scope_value', '=', scopeValue).execute();
    return Number(r.numDeletedRows) > 0;
  },
  async listInstances(db: DbOrTrx, owner: string, ledger: string, offset: number, limit: number): Promise<{ items: LedgerInstanceRecord[]; total: number }> {
    const q = db.selectFrom('ledger_instances').where('owner', '=', owner).where('ledger', '=', ledger);
    const total = Number((await q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q.selectAll().orderBy('scope_value').offset(offset).limit(limit).execute();
    return { items: rows.map(toInst), total };
  },

  /** Keeps a replaced version and drops those beyond the newest `keep`. */
  async keepVersion(db: DbOrTrx, owner: string, old: LedgerInstanceRecord, replacedAt: string, keep: number): Promise<void> {
    await db.insertInto('ledger_versions').values({
      owner, ledger: old.ledger, scope_value: old.scopeValue, version: old.version, data_json: JSON.stringify(old.data), size_bytes: old.sizeBytes,
      created_at: old.createdAt, updated_at: old.updatedAt, updated_by: old.updatedBy, replaced_at: replacedAt,
    }).execute();
    await db.deleteFrom('ledger_versions').where('owner', '=', owner).where('ledger', '=', old.ledger).where('scope_value', '=', old.scopeValue)
      .where('version', '<=', old.version - keep).execute();
  },
  async listVersions(db: DbOrTrx, owner: string, ledger: string, scopeValue: string, f: { before?: string; after?: string }): Promise<LedgerInstanceRecord[]> {
    let q = db.selectFrom('ledger_versions').selectAll().where('owner', '=', owner).where('ledger', '=', ledger).where('scope_value', '=', scopeValue);
    if (f.before) q = q.where('replaced_at', '<', f.before);
    if (f.after) q = q.where('replaced_at', '>', f.after);
    return (await q.orderBy('version', 'desc').execute()).map(toInst);
  },
  async getVersion(db: DbOrTrx, owner: string, ledger: string, scopeValue: string, version: number): Promise<LedgerInstanceRecord | null> {
    const r = await db.selectFrom('ledger_versions').selectAll().where('owner', '=', owner).where('ledger', '=', ledger).where('scope_value', '=', scopeValue).where('version', '=', version).executeTakeFirst();
    return r ? toInst(r) : null;
  },
};
