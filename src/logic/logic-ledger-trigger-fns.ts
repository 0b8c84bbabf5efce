import { HushError } from '../errors/errors.ts';
import { LEDGER_NAME_PATTERN } from '../ledger/ledger-rules.ts';
import type { LedgerChangeType, LedgerInstanceChange } from '../ledger/ledger-types.ts';

/** The LedgerChange fields of a trigger as clients send them (spec §8.5). */
export interface LedgerTriggerFields {
  readonly ledger_name?: string;
  readonly ledger?: string;
  readonly change_type?: string;
  readonly instance_scope?: string | number | { readonly value?: string | number | null } | null;
}

const CHANGE_TYPES: readonly LedgerChangeType[] = ['set', 'delete'];

/**
 * Reads a LedgerChange trigger: the ledger's name (`ledger_name`, or `ledger`), the change
 * it listens to (`change_type`: `set`, the default, or `delete`, in any letter case: a
 * function listening to both has one trigger of each) and optionally one instance
 * (`instance_scope`: the instance's scope value, bare or as the API's `{ type, value }`;
 * omitted, null or empty: every instance of the ledger).
 */
export function readLedgerTrigger(t: LedgerTriggerFields, where: string): { ledgerName: string; changeType: LedgerChangeType; instanceScope: string | null } {
  const name = t.ledger_name ?? t.ledger;
  if (!name) throw new HushError('validation_failed', `${where}.ledger_name is required for a LedgerChange trigger`);
  if (!LEDGER_NAME_PATTERN.test(name)) throw new HushError('validation_failed', `${where}.ledger_name '${name.slice(0, 60)}' must be 1 to 32 lowercase letters, digits or dashes`);
  const raw = (t.change_type ?? 'set').toLowerCase();
  const changeType = CHANGE_TYPES.find((c) => c === raw);
  if (!changeType) throw new HushError('validation_failed', `${where}.change_type must be set or delete, got '${String(t.change_type).slice(0, 40)}'`);
  const s = t.instance_scope;
  const value = s === null || s === undefined ? null : typeof s === 'object' ? (s.value ?? null) : s;
  const instanceScope = value === null || value === '' ? null : String(value);
  if (instanceScope !== null && instanceScope.length > 64) throw new HushError('validation_failed', `${where}.instance_scope must be an instance's scope value (a device id, product id or owner id)`);
  return { ledgerName: name, changeType, instanceScope };
}

/** Whether a trigger restricted to `instanceScope` (null: any) hears a change. */
export const hearsChange = (instanceScope: string | null, change: Pick<LedgerInstanceChange, 'scope'>): boolean =>
  instanceScope === null || instanceScope === change.scope.value;

/** The `ledgerChange` field of a run's context (spec §8.3). */
export const ledgerChangeContext = (c: Omit<LedgerInstanceChange, 'owner' | 'depth'>) => ({
  changedAt: c.changedAt, changeType: c.changeType, name: c.name, scope: { type: c.scope.type, value: c.scope.value }, data: c.data,
});
