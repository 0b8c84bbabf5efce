import type { DbOrTrx } from '../store/database-types.ts';
import type { ExpiringSecret, PendingRecord } from './secret-types.ts';

/** Staged (pending) values and sent expiry reminders of secrets (expiry settings are on the secret: SecretStore). */
export interface SecretLifecycleStore {
  /** Pending values of the named secrets (all of the owner's when `names` is omitted). */
  pending(db: DbOrTrx, owner: string, names?: readonly string[]): Promise<PendingRecord[]>;
  /** Every owner's pending values (the server-wide log masker). */
  allPending(db: DbOrTrx): Promise<PendingRecord[]>;
  /** Saves the pending value, replacing an earlier one. */
  setPending(db: DbOrTrx, p: PendingRecord): Promise<void>;
  deletePending(db: DbOrTrx, owner: string, name: string): Promise<boolean>;
  /**
   * Secrets with an expiry at or before `until` (ISO) whose final (`expired`) reminder for
   * that expiry is not sent yet, soonest expiry first, at most `limit`.
   */
  expiringBy(db: DbOrTrx, until: string, limit: number): Promise<ExpiringSecret[]>;
  /** Records a reminder as sent; false when it already was (by this node or another). */
  claimReminder(db: DbOrTrx, s: ExpiringSecret, reminder: string, at: string): Promise<boolean>;
  /** Forgets a deleted secret's reminders (a new secret of the same name starts afresh). */
  deleteReminders(db: DbOrTrx, owner: string, name: string): Promise<void>;
}
