import { describe, expect, it } from 'vitest';
import { createDeliveryPacer } from './delivery-pacing.ts';
import type { Delivery } from './delivery-queue.ts';
import type { IntegrationRecord } from './integration-store.ts';

const silent = { warn: () => undefined } as never;
const delivery = (id: string, integrationId: string, slotMs?: number): Delivery => ({ id, integrationId, owner: 'user:u', event: {} as never, attempts: 1, ...(slotMs === undefined ? {} : { slotMs }) });
const integrations = new Map([
  ['rated', { id: 'rated', config: { maxPerSecond: 4 } }],
  ['free', { id: 'free', config: {} }],
]) as unknown as ReadonlyMap<string, IntegrationRecord>;

/** The bucket as the database keeps it (one next-free-slot time per integration), on an injected clock. */
function harness() {
  let nowMs = 1_000_000;
  const tat = new Map<string, number>();
  const deferred: Array<{ id: string; atMs: number }> = [];
  const store = {
    async reserve(id: string, n: number, intervalMs: number, at: number) {
      const start = Math.max(tat.get(id) ?? 0, at);
      tat.set(id, start + n * intervalMs);
      return start;
    },
    async defer(rows: ReadonlyArray<{ id: string; atMs: number }>) {
      deferred.push(...rows.map(({ id, atMs }) => ({ id, atMs })));
    },
  };
  const pacer = createDeliveryPacer({ store, node: 'n1', now: () => new Date(nowMs), wake: () => undefined, logger: silent });
  return { pacer, deferred, advance: (ms: number) => (nowMs += ms), now: () => nowMs };
}

describe('delivery pacer', () => {
  it('passes a batch without rate-limited deliveries through untouched, reserving nothing', async () => {
    const h = harness();
    const batch = [delivery('a', 'free'), delivery('b', 'free')];
    expect(await h.pacer.admit(batch, integrations, () => undefined)).toBe(batch);
  });

  it('sends what the bucket allows now and defers the rest to their slots, each deferred once', async () => {
    const h = harness();
    const handedBack: string[] = [];
    const go = await h.pacer.admit([delivery('f', 'free'), ...['r1', 'r2', 'r3'].map((id) => delivery(id, 'rated'))], integrations, (d) => handedBack.push(d.id));
    expect(go.map((d) => d.id)).toEqual(['f', 'r1']);
    expect(handedBack).toEqual(['r2', 'r3']);
    expect(h.deferred).toEqual([{ id: 'r2', atMs: h.now() + 250 }, { id: 'r3', atMs: h.now() + 500 }]);
    // Claimed again at their slot, they hold it: sent without a second reservation.
    h.advance(250);
    expect((await h.pacer.admit([delivery('r2', 'rated', h.now())], integrations, () => undefined)).map((d) => d.id)).toEqual(['r2']);
    // One whose slot was missed by more than 10 s takes a new one rather than burst.
    const stale = await h.pacer.admit([delivery('r9', 'rated', h.now() - 10_001)], integrations, () => undefined);
    expect(stale).toEqual([]);
    expect(h.deferred.at(-1)).toEqual({ id: 'r9', atMs: h.now() - 250 + 750 });
    // A new one queues behind the reserved slots.
    await h.pacer.admit([delivery('r4', 'rated')], integrations, () => undefined);
    expect(h.deferred.at(-1)).toEqual({ id: 'r4', atMs: h.now() - 250 + 1000 });
  });

  it('keeps the rate over a long run: 4 per second on a simulated clock', async () => {
    const h = harness();
    const sentAt: number[] = [];
    const due: Array<{ id: string; atMs: number }> = [];
    const start = h.now();
    let n = 0;
    // Every 100 ms two new deliveries arrive (20/s offered) and the deferred ones that are due come back.
    for (let t = 0; t < 10_000; t += 100) {
      const back = due.filter((d) => d.atMs <= h.now());
      due.splice(0, due.length, ...due.filter((d) => d.atMs > h.now()));
      const batch = [...back.map((d) => delivery(d.id, 'rated', d.atMs)), delivery(`n${n++}`, 'rated'), delivery(`n${n++}`, 'rated')];
      const before = h.deferred.length;
      for (const d of await h.pacer.admit(batch, integrations, () => undefined)) sentAt.push(h.now());
      due.push(...h.deferred.slice(before));
      h.advance(100);
    }
    expect(sentAt.filter((t) => t < start + 10_000)).toHaveLength(40);
  });
});
