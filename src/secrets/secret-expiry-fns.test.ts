import { describe, expect, it } from 'vitest';
import { checkRotationPeriod, daysLeft, dueReminder, expiryView, parseExpiresAt } from './secret-expiry-fns.ts';

const DAY = 86_400_000;
const EXP = '2026-07-01T00:00:00.000Z';
const at = (msBefore: number) => new Date(Date.parse(EXP) - msBefore);

describe('expiry reminders and days left', () => {
  it('picks the latest due reminder', () => {
    expect(dueReminder(EXP, at(31 * DAY))).toBeNull();
    expect(dueReminder(EXP, at(30 * DAY))).toBe('30d');
    expect(dueReminder(EXP, at(8 * DAY))).toBe('30d');
    expect(dueReminder(EXP, at(7 * DAY))).toBe('7d');
    expect(dueReminder(EXP, at(5 * DAY))).toBe('7d');
    expect(dueReminder(EXP, at(DAY))).toBe('1d');
    expect(dueReminder(EXP, at(1))).toBe('1d');
    expect(dueReminder(EXP, at(0))).toBe('expired');
    expect(dueReminder(EXP, at(-100 * DAY))).toBe('expired');
  });

  it('counts whole days, rounded up, and says expired from the expiry on', () => {
    expect(daysLeft(EXP, at(7 * DAY))).toBe(7);
    expect(daysLeft(EXP, at(6.5 * DAY))).toBe(7);
    expect(daysLeft(EXP, at(1))).toBe(1);
    expect(daysLeft(EXP, at(0))).toBe(0);
    expect(daysLeft(EXP, at(-1.5 * DAY))).toBe(-1);
    expect(expiryView(EXP, at(0))).toEqual({ expired: true, expires_in_days: 0 });
    expect(expiryView(EXP, at(1))).toEqual({ expired: false, expires_in_days: 1 });
    expect(expiryView(null, at(0))).toEqual({ expired: false, expires_in_days: null });
  });

  it('reads ISO 8601 times with a zone (or a date) and refuses the rest', () => {
    expect(parseExpiresAt('2026-07-01T02:00:00+02:00')).toBe(EXP);
    expect(parseExpiresAt('2026-07-01')).toBe(EXP);
    expect(parseExpiresAt(null)).toBeNull();
    for (const bad of ['2026-07-01T00:00:00', 'tomorrow', '1751328000000', '2026-02-30T00:00:00Z x']) expect(() => parseExpiresAt(bad), bad).toThrow(/expires_at/);
    expect(checkRotationPeriod(90)).toBe(90);
    for (const bad of [0, -1, 1.5, 3661]) expect(() => checkRotationPeriod(bad)).toThrow(/rotation_period_days/);
  });
});
