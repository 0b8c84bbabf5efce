import type { Logger } from '../logging/logger.ts';
import { slotIntervalMs, splitBySlot } from './delivery-pacing-fns.ts';
import type { DeliveryPacingStore } from './delivery-pacing-store.ts';
import type { Delivery } from './delivery-queue.ts';
import type { IntegrationRecord } from './integration-store.ts';

/**
 * A delivery claimed after its slot (a busy or stalled node) is sent at once, so the rate over
 * a window holds after a short stall; a slot missed by more than this is given up for a new
 * one, so catching up sends at most about this long's worth at once.
 */
const STALE_SLOT_MS = 10_000;

export interface DeliveryPacerDeps {
  readonly store: Pick<DeliveryPacingStore, 'reserve' | 'defer'>;
  readonly node: string;
  readonly now: () => Date;
  /** Called when a deferred delivery's slot comes (the worker claims it then). */
  readonly wake: () => void;
  readonly logger: Logger;
}

/**
 * The rate limit of integrations with `max_per_second`: a token bucket (GCRA) whose next
 * free slot lives in the database, so the limit holds across the cluster. Of a claimed
 * batch, each rate-limited delivery reserves one slot; those whose slot has come are sent,
 * the others go back to the queue until their slot, their attempt not counted, holding the
 * slot they reserved (so a deferred delivery is deferred once). Deliveries of other
 * integrations, and those holding a slot that is not stale, pass straight through.
 */
export function createDeliveryPacer(deps: DeliveryPacerDeps) {
  const wakes = new Set<number>();
  const wakeAt = (atMs: number, nowMs: number) => {
    if (wakes.has(atMs)) return;
    wakes.add(atMs);
    setTimeout(() => {
      wakes.delete(atMs);
      deps.wake();
    }, atMs - nowMs + 1).unref();
  };

  return {
    /**
     * The deliveries of `batch` to send now; `deferred` is told of each one handed back to
     * the queue (or left to its lease when the hand-back failed).
     */
    async admit(batch: readonly Delivery[], integrations: ReadonlyMap<string, IntegrationRecord>, deferred: (d: Delivery) => void): Promise<readonly Delivery[]> {
      let limited: Map<string, Delivery[]> | null = null;
      const nowMs = deps.now().getTime();
      for (const d of batch) {
        const rate = integrations.get(d.integrationId)?.config.maxPerSecond;
        if (rate === undefined || (d.slotMs != null && nowMs - d.slotMs <= Math.max(slotIntervalMs(rate), STALE_SLOT_MS))) continue;
        limited ??= new Map();
        const list = limited.get(d.integrationId);
        if (list) list.push(d);
        else limited.set(d.integrationId, [d]);
      }
      if (limited === null) return batch;
      const waiting = new Set<Delivery>();
      const later: Array<{ id: string; atMs: number; d: Delivery }> = [];
      for (const [id, list] of limited) {
        const interval = slotIntervalMs(integrations.get(id)?.config.maxPerSecond as number);
        try {
          const split = splitBySlot(list, await deps.store.reserve(id, list.length, interval, nowMs), interval, nowMs);
          for (const { item, atMs } of split.later) {
            waiting.add(item);
            later.push({ id: item.id, atMs, d: item });
          }
        } catch (err) {
          deps.logger.warn({ err: String(err), integration: id }, 'could not reserve send slots; sending without the rate limit');
        }
      }
      try {
        await deps.store.defer(later, deps.node);
        for (const l of later) wakeAt(l.atMs, nowMs);
      } catch (err) {
        // Still leased to this node: the deliveries are retried when their leases run out.
        deps.logger.warn({ err: String(err) }, 'could not defer rate-limited deliveries; they will be retried when their leases expire');
      }
      for (const l of later) deferred(l.d);
      return batch.filter((d) => !waiting.has(d));
    },
  };
}

export type DeliveryPacer = ReturnType<typeof createDeliveryPacer>;
