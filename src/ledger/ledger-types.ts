/** Where a ledger's instances live (spec ledger-and-env §1.1). */
export const LEDGER_SCOPES = ['Owner', 'Product', 'Device'] as const;
export type LedgerScopeType = (typeof LEDGER_SCOPES)[number];

/**
 * The kind of a ledger: `Upstream` = device-to-cloud, `Downstream` = cloud-to-device, and
 * `CloudOnly` (what a create without `direction` makes; the SDK's types have no value for it).
 */
export const LEDGER_DIRECTIONS = ['CloudOnly', 'Upstream', 'Downstream'] as const;
export type LedgerDirection = (typeof LEDGER_DIRECTIONS)[number];

export interface LedgerDefinition {
  readonly owner: string;
  readonly name: string;
  readonly description: string;
  readonly scope: LedgerScopeType;
  readonly direction: LedgerDirection;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archivedAt: string | null;
}

export type LedgerData = Record<string, unknown>;

export interface LedgerInstanceRecord {
  readonly ledger: string;
  readonly scopeValue: string;
  readonly version: number;
  readonly data: LedgerData;
  readonly sizeBytes: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Who wrote this content: a user id, or `logic:<function id>` (null for rows older than migration 012). */
  readonly updatedBy: string | null;
  /** Set on stored (replaced) versions only. */
  readonly replacedAt?: string;
}

export type SetMode = 'Replace' | 'Merge';

/** An instance as the service answers it: with its ledger's scope type. */
export interface LedgerInstance extends LedgerInstanceRecord {
  readonly scopeType: LedgerScopeType;
}

/** What a LedgerChange trigger listens to. */
export type LedgerChangeType = 'set' | 'delete';

/** One committed change of an instance, as the ledger module reports it to listeners. */
export interface LedgerInstanceChange {
  readonly owner: string;
  readonly name: string;
  readonly scope: { readonly type: LedgerScopeType; readonly value: string };
  readonly changeType: LedgerChangeType;
  readonly changedAt: string;
  /** The instance's data after a set; the data it held before a delete. */
  readonly data: LedgerData;
  /** How many Logic runs deep the writer was (0: an API call): Logic uses it to end loops. */
  readonly depth: number;
}

/**
 * A port the ledger module calls for every change, inside the change's transaction (the
 * Logic module registers one to queue its LedgerChange-triggered runs), so a change and
 * what it sets off commit together. `afterCommit` runs once that transaction committed
 * and a call answered true.
 */
export interface LedgerChangeHook {
  onInstanceChange(trx: import('../store/database-types.ts').DbOrTrx, change: LedgerInstanceChange): Promise<boolean>;
  afterCommit(): void;
}
