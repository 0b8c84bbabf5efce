import { describe, expect, it } from 'vitest';
import type { HushEvent } from '../events/event-types.ts';
import { createOrderSequence, heldBackByClaim, pacingStamp, slotIntervalMs, splitBySlot } from './delivery-pacing-fns.ts';

const event = (deviceId: string | null, coreid = 'api') => ({ deviceId, coreid }) as unknown as HushEvent;

describe('delivery pacing', () => {
  it('stamps only ordered or capped integrations, keyed by integration and device', () => {
    const seq = () => 7;
    expect(pacingStamp('i1', {}, event('d1'), seq)).toBeNull();
    expect(pacingStamp('i1', { maxPerSecond: 5 }, event('d1'), seq)).toBeNull(); // the rate limit is not the claim's
    expect(pacingStamp('i1', { ordered: 'device' }, event('d1'), seq)).toEqual(['i1/d1', 7, null]);
    expect(pacingStamp('i1', { ordered: 'device' }, event(null, 'api'), seq)).toEqual(['i1/api', 7, null]);
    expect(pacingStamp('i1', { maxInFlight: 3 }, event('d1'), () => { throw new Error('not ordered'); })).toEqual([null, null, 3]);
    expect([heldBackByClaim({}), heldBackByClaim({ maxPerSecond: 1 }), heldBackByClaim({ maxInFlight: 1 }), heldBackByClaim({ ordered: 'device' })]).toEqual([false, false, true, true]);
  });

  it('numbers events in publish order, also within one millisecond and when the clock steps back', () => {
    const next = createOrderSequence();
    const got = [next(1000), next(1000), next(1000), next(999), next(1001)];
    expect(got).toEqual([1_000_000, 1_000_001, 1_000_002, 1_000_003, 1_001_000]);
  });

  it('sends the deliveries whose slot has come and defers the others to their slot, never early', () => {
    const interval = slotIntervalMs(3); // 333.3 ms
    const split = splitBySlot(['a', 'b', 'c', 'd'], 10_000, interval, 10_000);
    expect(split.now).toEqual(['a']);
    expect(split.later).toEqual([{ item: 'b', atMs: 10_334 }, { item: 'c', atMs: 10_667 }, { item: 'd', atMs: 11_000 }]);
    expect(splitBySlot(['a', 'b'], 9_000, 500, 10_000).now).toEqual(['a', 'b']);
  });
});
