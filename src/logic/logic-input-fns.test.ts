import { describe, expect, it } from 'vitest';
import { firstRunMs, normalizeCron, readTriggers } from './logic-input-fns.ts';

const NOW = new Date('2026-03-01T10:00:30Z');
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected a refusal');
};

describe('firstRunMs', () => {
  it('answers the first run at or after max(now, start_at), before end_at', () => {
    expect(new Date(firstRunMs('t', '*/5 * * * *', null, null, NOW)).toISOString()).toBe('2026-03-01T10:05:00.000Z');
    expect(new Date(firstRunMs('t', '0 0 * * *', '2026-04-01T00:00:00.000Z', null, NOW)).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(new Date(firstRunMs('t', '0 0 29 2 *', null, null, NOW)).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('refuses a pattern no calendar date matches', () => {
    for (const cron of ['0 0 31 2 *', '0 0 30 2 *', '0 0 31 4 *', '0 0 31 11 *']) {
      expect(refusal(() => firstRunMs('logic_triggers[1]', cron, null, null, NOW))).toBe(`logic_triggers[1].cron '${cron}' never fires`);
    }
  });

  it('refuses a window in which the schedule has no run', () => {
    expect(refusal(() => firstRunMs('t', '0 0 1 1 *', '2026-03-02T00:00:00.000Z', '2026-12-01T00:00:00.000Z', NOW))).toBe("t.cron '0 0 1 1 *' has no run between start_at and end_at");
    expect(refusal(() => firstRunMs('t', '0 12 * * *', null, '2026-03-01T11:00:00.000Z', NOW))).toBe("t.cron '0 12 * * *' has no run between now and end_at");
    expect(refusal(() => firstRunMs('t', '0 12 * * *', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', NOW))).toBe("t.cron '0 12 * * *' has no run between now and end_at");
  });

  it('keeps refusing invalid patterns as before', () => {
    expect(refusal(() => firstRunMs('t', '0 0 32 1 *', null, null, NOW))).toMatch(/^cron '0 0 32 1 \*' is not valid/);
    expect(() => normalizeCron('0 0 31 2 *')).not.toThrow();
  });
});

describe('readTriggers', () => {
  it('keeps a named product for the service to check, and 0 or null as no product', () => {
    const [a, b, c] = readTriggers([
      { type: 'Event', event_name: 'e', product_id: 999 },
      { type: 'Event', event_name: 'e', product_id: 0 },
      { type: 'Scheduled', cron: '0 * * * *', product_id: null },
    ], 5);
    expect([a?.productId, b?.productId, c?.productId]).toEqual([999, null, null]);
  });
});
