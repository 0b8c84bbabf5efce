/**
 * The run worker's slots by owner. A node starts up to `concurrency` runs at once (they
 * wait in the sandbox pool's fair queue, which decides who runs next); were they taken in
 * arrival order, one owner's flood of runaway runs would fill every slot and another
 * owner's run would wait on this node for a slot before it even reached the pool. So no
 * owner holds more than `perOwner` started runs, and waiting runs are started one owner
 * after the other.
 */
export function createOwnerSlots(perOwner: number) {
  const cap = Math.max(1, Math.floor(perOwner));
  // Started runs per owner with at least one (owners with none are not kept).
  const started = new Map<string, number>();
  return {
    /** Removes up to `max` jobs from `pending` (owners in turn, each below its cap) and counts them as started. */
    take<J extends { readonly owner: string }>(pending: J[], max: number): J[] {
      const byOwner = new Map<string, J[]>();
      for (const j of pending) {
        const list = byOwner.get(j.owner);
        if (list === undefined) byOwner.set(j.owner, [j]);
        else list.push(j);
      }
      const taken = new Set<J>();
      for (let more = true; more && taken.size < max; ) {
        more = false;
        for (const [owner, list] of byOwner) {
          if (taken.size >= max) break;
          const n = started.get(owner) ?? 0;
          const next = list.shift();
          if (next === undefined || n >= cap) continue;
          started.set(owner, n + 1);
          taken.add(next);
          more = true;
        }
      }
      if (taken.size === 0) return [];
      const kept = pending.filter((j) => !taken.has(j));
      pending.splice(0, pending.length, ...kept);
      return [...taken];
    },
    /** Started runs per owner (a copy). */
    counts(): Map<string, number> {
      return new Map(started);
    },
    /** A started run is over. */
    done(owner: string): void {
      const n = started.get(owner) ?? 0;
      if (n <= 1) started.delete(owner);
      else started.set(owner, n - 1);
    },
  };
}

/**
 * Which of a transaction's new runs (their owners, in order) a node takes at once: at most
 * `free`, and no owner past `share` runs held on the node (`counts`, updated in place).
 */
export function pickWithinShare(owners: readonly string[], free: number, counts: Map<string, number>, share: number): Set<number> {
  const picked = new Set<number>();
  for (const [i, owner] of owners.entries()) {
    if (picked.size >= free) break;
    const n = counts.get(owner) ?? 0;
    if (n >= share) continue;
    counts.set(owner, n + 1);
    picked.add(i);
  }
  return picked;
}

/** Whether any owner has at least `n` of `rows` (a claim capped per owner may have left more behind). */
export function someOwnerReached(rows: ReadonlyArray<{ readonly owner: string }>, n: number): boolean {
  const per = new Map<string, number>();
  for (const r of rows) {
    const c = (per.get(r.owner) ?? 0) + 1;
    if (c >= n) return true;
    per.set(r.owner, c);
  }
  return false;
}
