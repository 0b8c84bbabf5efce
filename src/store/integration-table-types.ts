import type { Generated } from 'kysely';

/** The tables of integrations and their delivery: the queue, attempts, dead letters, host health and pacing. */

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
