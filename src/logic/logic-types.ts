import type { LedgerChangeType, LedgerInstanceChange } from '../ledger/ledger-types.ts';

/**
 * `functionInfo.logicFunctionId` during an execute (test) run. Spec §8.6: neither the path
 * (`.../logic/execute`) nor the body (event, source, api_username, secrets, use_env) names
 * a function: the CLI sends local code, deployed or not, and keeps the id to itself. So
 * there is no id to report; this fixed value, never a UUID, tells the code it is a test run.
 */
export const EXECUTE_FUNCTION_ID = 'execute';

/**
 * Longest chain of Logic runs one event can set off: an event published by the run this
 * many Logic-published events deep still reaches SSE and webhooks but triggers no Logic.
 * Without it a function that publishes the event it is triggered by (directly, or through
 * another function) runs forever, and one that publishes it twice fills the queue.
 */
export const MAX_LOGIC_CHAIN_DEPTH = 4;

export type LogicTriggerType = 'Event' | 'Scheduled' | 'LedgerChange';

/**
 * A trigger as stored. Event triggers match a name exactly; scheduled ones run on cron;
 * LedgerChange ones on a `set` or `delete` of an instance of the named ledger (of one
 * instance when `instanceScope` names it).
 */
export interface LogicTrigger {
  readonly id: string;
  readonly functionId: string;
  readonly type: LogicTriggerType;
  readonly enabled: boolean;
  readonly version: number;
  readonly eventName: string | null;
  readonly ledgerName: string | null;
  readonly changeType: LedgerChangeType | null;
  readonly instanceScope: string | null;
  readonly productId: number | null;
  readonly cron: string | null;
  readonly startAt: string | null;
  readonly endAt: string | null;
  readonly nextRunMs: number | null;
  readonly lastScheduledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Fields clients send back that Hush keeps but does not interpret (spec §8.5). */
export interface LogicExtra {
  readonly api_username: string | null;
  readonly use_env: boolean | null;
  readonly template_slug: string | null;
  /** Set for a function created under `/v1/products/:product/logic` (absent on older rows). */
  readonly product_id?: number | null;
}

export interface LogicFunction {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly version: number;
  readonly code: string;
  readonly secrets: readonly string[];
  readonly extra: LogicExtra;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly updatedBy: string;
  readonly triggers: readonly LogicTrigger[];
}

export type LogicRunStatus = 'Success' | 'Failure' | 'Timeout';

/** The event an event-triggered run received, as its history shows it (data masked). */
export interface LogicRunEvent {
  readonly name: string;
  readonly data: string | null;
  readonly coreid: string;
  readonly publishedAt: string;
  readonly productId: number | null;
}

export interface LogicRun {
  readonly id: string;
  readonly functionId: string;
  readonly owner: string;
  readonly triggerType: string;
  readonly triggerId: string | null;
  readonly status: LogicRunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly logs: readonly unknown[];
  readonly err: string | null;
  readonly event: LogicRunEvent | null;
}

/** What a queued run carries: the event that triggered it, the scheduled tick or the ledger change. */
export type LogicJobPayload =
  | { readonly kind: 'event'; readonly event: import('../events/event-types.ts').HushEvent }
  | { readonly kind: 'ledger'; readonly change: Omit<LedgerInstanceChange, 'owner'> }
  | { readonly kind: 'scheduled'; readonly scheduledAt: string; readonly startAt: string; readonly endAt: string | null };
