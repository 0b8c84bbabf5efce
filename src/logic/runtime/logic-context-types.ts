/**
 * The context a Logic function receives as its argument and from `Particle.getContext()`
 * (spec §8.3). Exactly one of `event`, `scheduled` and `ledgerChange` is present.
 */

/** Which function is running and who owns it. */
export interface LogicFunctionInfo {
  /** User or organization ID of the owner (not an email). */
  readonly ownerId: string;
  readonly logicFunctionId: string;
}

/** When and why the run started. */
export interface LogicTriggerInfo {
  /** ISO 8601 timestamp. */
  readonly triggeredAt: string;
  readonly triggerEventId?: string;
}

/** The event that triggered an event-triggered run. */
export interface LogicEventInfo {
  readonly eventName: string;
  readonly eventData?: string;
  /** ISO 8601 timestamp. */
  readonly publishedAt: string;
  readonly deviceId: string;
  readonly productId?: number;
  readonly userId?: string;
}

/** The schedule slot of a cron-triggered run. */
export interface LogicScheduledInfo {
  /** ISO 8601 timestamps. */
  readonly scheduledAt: string;
  readonly startAt: string;
  readonly endAt?: string;
}

/** The instance change of a run started by a LedgerChange trigger. */
export interface LogicLedgerChangeInfo {
  /** ISO 8601 timestamp. */
  readonly changedAt: string;
  readonly changeType: 'set' | 'delete';
  /** The ledger's name. */
  readonly name: string;
  /** The changed instance: its ledger's scope type and its scope value (owner, product or device id). */
  readonly scope: { readonly type: 'Owner' | 'Product' | 'Device'; readonly value: string };
  /** The instance's data after a set; the data it held before a delete. */
  readonly data: Readonly<Record<string, unknown>>;
}

interface LogicContextBase {
  readonly functionInfo: LogicFunctionInfo;
  readonly trigger: LogicTriggerInfo;
  /** The selected secrets by name; `null` for a selected secret that has no value. */
  readonly secrets: Readonly<Record<string, string | null>>;
  /** Environment variables (spec §9, `use_env`). */
  readonly env: Readonly<Record<string, string>>;
}

/** Context of a run started by an event trigger (or an "Execute" test run). */
export interface LogicEventContext extends LogicContextBase {
  readonly event: LogicEventInfo;
  readonly scheduled?: undefined;
  readonly ledgerChange?: undefined;
}

/** Context of a run started by a cron schedule. */
export interface LogicScheduledContext extends LogicContextBase {
  readonly scheduled: LogicScheduledInfo;
  readonly event?: undefined;
  readonly ledgerChange?: undefined;
}

/** Context of a run started by a LedgerChange trigger. */
export interface LogicLedgerChangeContext extends LogicContextBase {
  readonly ledgerChange: LogicLedgerChangeInfo;
  readonly event?: undefined;
  readonly scheduled?: undefined;
}

/** The function's context object: exactly one of `event`, `scheduled` or `ledgerChange`. */
export type LogicContext = LogicEventContext | LogicScheduledContext | LogicLedgerChangeContext;
