/**
 * Pacing of one integration's deliveries (issue #17 item 4), pure parts: the options, the
 * stamp a queued row carries so the claim can hold it back, and the send slots of a GCRA
 * token bucket. Defaults (no option set) stamp nothing and reserve nothing.
 */
import type { HushEvent } from '../events/event-types.ts';

/** Per-integration pacing; every field optional. */
export interface DeliveryPacing {
  /** Requests per second to the integration's target, across the cluster (retries included). */
  readonly maxPerSecond?: number;
  /** Requests of this integration in flight at once, across the cluster. */
  readonly maxInFlight?: number;
  /** "device": a device's next delivery waits until the previous one succeeded or died. */
  readonly ordered?: 'device';
}

export const PACING_LIMITS = { maxPerSecond: [0.1, 1000], maxInFlight: [1, 100] } as const satisfies Record<string, readonly [number, number]>;

/** What a queued row carries for the claim: order key and sequence, in-flight cap. */
export type PacingStamp = readonly [orderKey: string | null, orderSeq: number | null, flightCap: number | null];
export const NO_STAMP: PacingStamp = [null, null, null];

/** Does the claim hold this integration's deliveries back (in order, or under an in-flight cap)? */
export const heldBackByClaim = (p: DeliveryPacing): boolean => p.ordered !== undefined || p.maxInFlight !== undefined;

/**
 * The row's stamp, or null when the claim need not hold it back (then it may also be handed
 * to the local worker straight from the publishing transaction). `seq` is called only for
 * ordered integrations.
 */
export function pacingStamp(integrationId: string, p: DeliveryPacing, event: HushEvent, seq: () => number): PacingStamp | null {
  if (!heldBackByClaim(p)) return null;
  const orderKey = p.ordered === 'device' ? `${integrationId}/${event.deviceId ?? event.coreid}` : null;
  return [orderKey, orderKey === null ? null : seq(), p.maxInFlight ?? null];
}

/**
 * Publish order on this node: microseconds since the epoch, made strictly increasing (two
 * events in one millisecond keep the order they were published in). Nodes' clocks order
 * events published on different nodes.
 */
export function createOrderSequence(): (nowMs: number) => number {
  let last = 0;
  return (nowMs) => (last = Math.max(last + 1, nowMs * 1000));
}

/**
 * The send slots of `n` deliveries that reserved them from a bucket whose slots start at
 * `startMs`, one every `intervalMs`: those due by `nowMs` go now, the others wait for
 * their slot (rounded up to the millisecond, so none goes early).
 */
export function splitBySlot<T>(items: readonly T[], startMs: number, intervalMs: number, nowMs: number): { readonly now: T[]; readonly later: Array<{ readonly item: T; readonly atMs: number }> } {
  const now: T[] = [];
  const later: Array<{ item: T; atMs: number }> = [];
  items.forEach((item, i) => {
    const slot = startMs + i * intervalMs;
    if (slot <= nowMs) now.push(item);
    else later.push({ item, atMs: Math.ceil(slot) });
  });
  return { now, later };
}

/** Slot spacing of a rate: one request every this many milliseconds. */
export const slotIntervalMs = (maxPerSecond: number): number => 1000 / maxPerSecond;
