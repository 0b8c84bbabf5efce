export interface LogicFunctionsTable {
  id: string;
  owner: string;
  name: string;
  description: string;
  enabled: number;
  version: number;
  code: string;
  secrets_json: string;
  extra_json: string;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
}

export interface LogicTriggersTable {
  id: string;
  function_id: string;
  owner: string;
  type: string;
  enabled: number;
  version: number;
  event_name: string | null;
  product_id: number | null;
  cron: string | null;
  start_at: string | null;
  end_at: string | null;
  next_run_ms: number | null;
  last_scheduled_at: string | null;
  /** LedgerChange triggers (migration 011): `set` or `delete`, and the one instance listened to (null: all). */
  change_type?: string | null; instance_scope?: string | null;
  created_at: string;
  updated_at: string;
}

export interface LogicRunsTable {
  id: string;
  function_id: string;
  owner: string;
  trigger_type: string;
  trigger_id: string | null;
  status: string;
  started_at: string;
  finished_at: string | null;
  logs_json: string;
  err: string | null;
  day: string;
  /** The input event of an event-triggered run (JSON of `LogicRunEvent`), null otherwise. */
  event_json: string | null;
}

export interface LogicJobsTable {
  id: string;
  function_id: string;
  owner: string;
  trigger_id: string | null;
  trigger_type: string;
  payload_json: string;
  attempts: number;
  status: string;
  available_at_ms: number;
  lease_until_ms: number | null;
  leased_by: string | null;
  created_ms: number;
}

export interface LogicTables {
  logic_functions: LogicFunctionsTable;
  logic_triggers: LogicTriggersTable;
  logic_runs: LogicRunsTable;
  logic_jobs: LogicJobsTable;
}
