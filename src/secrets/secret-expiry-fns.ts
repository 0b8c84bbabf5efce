import { HushError } from '../errors/errors.ts';

const DAY_MS = 86_400_000;

/** The reminders of an expiry, latest first: 30, 7 and 1 day(s) before, and at expiry. */
export const EXPIRY_REMINDERS = [
  { id: 'expired', daysBefore: 0 },
  { id: '1d', daysBefore: 1 },
  { id: '7d', daysBefore: 7 },
  { id: '30d', daysBefore: 30 },
] as const;

export type ExpiryReminderId = (typeof EXPIRY_REMINDERS)[number]['id'];

/** The earliest reminder that can be due: secrets expiring later than this need no look. */
export const FIRST_REMINDER_DAYS = 30;

/**
 * The reminder due at `now` for an expiry: the latest one whose time has come. Only that
 * one is sent: a secret created 5 days before its expiry gets the 7-day reminder (saying 5
 * days), not a late 30-day one as well.
 */
export function dueReminder(expiresAt: string, now: Date): ExpiryReminderId | null {
  const exp = Date.parse(expiresAt);
  for (const r of EXPIRY_REMINDERS) if (now.getTime() >= exp - r.daysBefore * DAY_MS) return r.id;
  return null;
}

/** Whole days left until `expiresAt`, rounded up (0 or less once it has passed). */
export function daysLeft(expiresAt: string, now: Date): number {
  return Math.ceil((Date.parse(expiresAt) - now.getTime()) / DAY_MS) || 0;
}

/** Expiry fields of the API views. */
export function expiryView(expiresAt: string | null, now: Date): { expired: boolean; expires_in_days: number | null } {
  if (expiresAt === null) return { expired: false, expires_in_days: null };
  return { expired: Date.parse(expiresAt) <= now.getTime(), expires_in_days: daysLeft(expiresAt, now) };
}

/** An `expires_at` as sent (ISO 8601 with a time zone, or null to clear), normalized to UTC ISO. */
export function parseExpiresAt(raw: string | null): string | null {
  if (raw === null) return null;
  const ms = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw new HushError('validation_failed', `expires_at must be an ISO 8601 time such as 2026-12-31T00:00:00Z, got '${raw.slice(0, 40)}'`);
  return new Date(ms).toISOString();
}

/** Most days a rotation period may have (about ten years). */
export const MAX_ROTATION_DAYS = 3660;

export function checkRotationPeriod(days: number | null): number | null {
  if (days === null) return null;
  if (!Number.isInteger(days) || days < 1 || days > MAX_ROTATION_DAYS) {
    throw new HushError('validation_failed', `rotation_period_days must be a whole number from 1 to ${MAX_ROTATION_DAYS}, got '${days}'`);
  }
  return days;
}

/** The expiry a new current value gets from a rotation period. */
export const expiryAfter = (at: string, days: number): string => new Date(Date.parse(at) + days * DAY_MS).toISOString();
