/** Logic, events, products, members and audit shapes. */
import type { OrgRole } from './types.ts';

export interface EventTrigger {
  readonly id?: string;
  readonly type: 'Event';
  readonly event_name: string;
  readonly product_id: number;
  readonly enabled: boolean;
}

export interface ScheduledTrigger {
  readonly id?: string;
  readonly type: 'Scheduled';
  readonly cron: string;
  readonly start_at?: string | null;
  readonly end_at?: string | null;
  readonly enabled: boolean;
}

/** Runs on a set or delete of the owner's ledger `ledger_name` (one instance when `instance_scope` is given). */
export interface LedgerChangeTrigger {
  readonly id?: string;
  readonly type: 'LedgerChange';
  readonly ledger_name: string;
  readonly change_type: 'set' | 'delete';
  readonly instance_scope?: string | null;
  readonly enabled: boolean;
}

export type LogicTrigger = EventTrigger | ScheduledTrigger | LedgerChangeTrigger;

export interface LogicFunctionInput {
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly source: { readonly type: 'JavaScript'; readonly code: string };
  readonly secrets: readonly string[];
  readonly logic_triggers: readonly LogicTrigger[];
  /** Give runs `env`: the rolled-out environment variables (the function's owner, product, device). */
  readonly use_env?: boolean;
}

export interface LogicFunction extends Omit<LogicFunctionInput, 'secrets' | 'use_env'> {
  readonly id: string;
  readonly use_env?: boolean | null;
  readonly version?: number;
  readonly secrets: readonly string[] | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface LogicLogEntry {
  readonly level: string;
  readonly timestamp: string;
  readonly args: readonly unknown[];
}

export type LogicRunStatus = 'Success' | 'Failure' | 'Timeout';

export interface LogicExecuteResult {
  readonly status: LogicRunStatus | string;
  readonly logs: readonly LogicLogEntry[];
  readonly err?: string;
}

/** The event that set off an event-triggered run (its data masked). */
export interface LogicRunEvent {
  readonly name: string;
  readonly data: string | null;
  readonly coreid: string;
  readonly published_at: string;
  readonly product_id: number | null;
}

export interface LogicRun {
  readonly id: string;
  readonly status: LogicRunStatus | string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly logic_trigger_type: string;
  /** Absent from servers before Hush kept it; null for scheduled and ledger runs. */
  readonly event?: LogicRunEvent | null;
}

export interface TestEvent {
  readonly event_name: string;
  readonly product_id: number;
  readonly device_id: string;
  readonly event_data: string;
}

export interface Product {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly created_at?: string;
}

export interface Member {
  readonly user_id: string;
  readonly username: string;
  readonly role: OrgRole;
  readonly created_at: string;
}

export interface AuditEntry {
  readonly id: string;
  readonly created_at: string;
  readonly actor: { readonly id: string; readonly username: string | null };
  readonly action: string;
  readonly target: string;
  readonly outcome: 'ok' | 'denied';
  readonly detail?: string | null;
}

export interface StreamEvent {
  readonly name: string;
  readonly data: string | null;
  readonly ttl: number;
  readonly published_at: string;
  readonly coreid: string;
}
