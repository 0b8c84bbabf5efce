import type { HostHealthStore, PausedHost } from './host-health-store.ts';

/** An in-memory `HostHealthStore` (one node's view of the shared table) for fast tests of host health. */
export function createFakeHostHealthStore(): HostHealthStore & { readonly rows: Map<string, PausedHost & { probeBy: string | null }> } {
  const rows = new Map<string, PausedHost & { probeBy: string | null }>();
  return {
    rows,
    all: async () => [...rows.values()],
    ofOwner: async (owner) => [...rows.values()].filter((h) => h.owner === owner),
    async pause(h) {
      if (rows.has(h.id)) return false;
      rows.set(h.id, { ...h, probes: 0, probeUntilMs: null, probeBy: null });
      return true;
    },
    async claimProbe(id, node, nowMs, leaseMs) {
      const h = rows.get(id);
      if (!h || h.probeAtMs > nowMs || (h.probeUntilMs !== null && h.probeUntilMs >= nowMs)) return false;
      rows.set(id, { ...h, probeBy: node, probeUntilMs: nowMs + leaseMs, probes: h.probes + 1 });
      return true;
    },
    async probeFailed(id, node, nowMs, intervalMs, lastError) {
      const h = rows.get(id);
      if (h?.probeBy === node) rows.set(id, { ...h, probeBy: null, probeUntilMs: null, probeAtMs: nowMs + intervalMs, probeIntervalMs: intervalMs, lastError });
    },
    async resume(_trx, id) {
      const h = rows.get(id);
      rows.delete(id);
      return h ?? null;
    },
  };
}
