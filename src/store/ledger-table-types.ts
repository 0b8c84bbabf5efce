/** Ledger tables (migration 008): definitions, current instances and their kept versions. */
export interface LedgersTable {
  owner: string;
  name: string;
  description: string;
  scope: string;
  direction: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export interface LedgerInstancesTable {
  owner: string;
  ledger: string;
  scope_value: string;
  version: number;
  data_json: string;
  size_bytes: number;
  created_at: string;
  updated_at: string;
  /** Who wrote this content (migration 012; null before it). */
  updated_by: string | null;
}

export interface LedgerVersionsTable extends LedgerInstancesTable {
  replaced_at: string;
}

export interface LedgerTables {
  ledgers: LedgersTable;
  ledger_instances: LedgerInstancesTable;
  ledger_versions: LedgerVersionsTable;
}
