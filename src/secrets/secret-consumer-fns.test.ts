import { describe, expect, it } from 'vitest';
import { applyListQuery, consumerViews, firstShownDay, unusedDays } from './secret-consumer-fns.ts';

const now = new Date('2026-03-30T15:00:00.000Z');

describe('secret consumer views', () => {
  it('gives 30 days oldest first with today last, current users with zeros, former users only while recent', () => {
    expect(firstShownDay(now)).toBe('2026-03-01');
    const views = consumerViews(
      [{ secretName: 'T', consumerType: 'logic', consumerId: 'f1', consumerName: 'Fn', productSlug: null }],
      [
        { kind: 'integration', consumerId: 'i1', consumerName: 'Hook', lastUsedAt: '2026-03-30T10:00:00.000Z' },
        { kind: 'integration', consumerId: 'old', consumerName: 'Old', lastUsedAt: '2026-02-01T10:00:00.000Z' },
      ],
      [
        { kind: 'integration', consumerId: 'i1', day: '2026-03-01', uses: 2 },
        { kind: 'integration', consumerId: 'i1', day: '2026-03-30', uses: 5 },
      ],
      now,
    );
    expect(views.map((v) => v.id)).toEqual(['f1', 'i1']);
    const [fn, hook] = views;
    expect(fn).toMatchObject({ kind: 'logic', name: 'Fn', last_used_at: null, total: 0 });
    expect(hook?.daily).toHaveLength(30);
    expect(hook?.daily[0]).toBe(2);
    expect(hook?.daily[29]).toBe(5);
    expect(hook?.total).toBe(7);
  });

  it('counts whole unused days, null when never used', () => {
    expect(unusedDays(null, now)).toBeNull();
    expect(unusedDays('2026-03-29T16:00:00.000Z', now)).toBe(0);
    expect(unusedDays('2026-02-28T15:00:00.000Z', now)).toBe(30);
  });

  it('filters by unused days or never used, and sorts by last access with never used as the oldest', () => {
    const list = [
      { name: 'B', last_accessed_at: '2026-03-30T00:00:00.000Z' },
      { name: 'A', last_accessed_at: '2026-01-01T00:00:00.000Z' },
      { name: 'C', last_accessed_at: null },
    ];
    expect(applyListQuery(list, {}, now).map((v) => v.name)).toEqual(['A', 'B', 'C']);
    expect(applyListQuery(list, { sort: 'last_accessed' }, now).map((v) => v.name)).toEqual(['C', 'A', 'B']);
    expect(applyListQuery(list, { sort: 'last_accessed', order: 'desc' }, now).map((v) => v.name)).toEqual(['B', 'A', 'C']);
    expect(applyListQuery(list, { unusedDays: 30 }, now).map((v) => v.name)).toEqual(['A', 'C']);
    expect(applyListQuery(list, { neverUsed: true }, now).map((v) => v.name)).toEqual(['C']);
  });
});
