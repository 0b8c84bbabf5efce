/**
 * Group commit for finished work (webhook attempts, Logic runs): items added while a write
 * runs share the next one, so a busy node pays one transaction for many items.
 *
 * `write` stores a batch and answers whether it was written; each item's `add` resolves
 * with that answer. `after` runs once a written batch's items are resolved (follow-up work
 * that need not delay them). Between batches, and before the first, `pause` lets network
 * I/O in (SQLite work is synchronous under its promises); by default one event-loop turn.
 */
export interface GroupCommitOptions<T> {
  readonly write: (batch: readonly T[]) => Promise<boolean>;
  readonly after?: (batch: readonly T[]) => Promise<void>;
  /** Most items in one write (default 256). */
  readonly maxBatch?: number;
  /** Waits before a write; gets how many items are waiting. */
  readonly pause?: (waiting: number) => Promise<void>;
}

export interface GroupCommit<T> {
  /** Queues an item for the next write; resolves with whether it was written. */
  add(item: T): Promise<boolean>;
  /** Resolves when everything added so far has been written (or failed). */
  idle(): Promise<void>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createGroupCommit<T>(opts: GroupCommitOptions<T>): GroupCommit<T> {
  const maxBatch = opts.maxBatch ?? 256;
  const pause = opts.pause ?? nextTurn;
  const waiting: Array<{ readonly item: T; readonly done: (written: boolean) => void }> = [];
  let draining = false;
  let drained: Promise<void> = Promise.resolve();

  const drain = async () => {
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, maxBatch);
        const items = batch.map((b) => b.item);
        const written = await opts.write(items);
        for (const b of batch) b.done(written);
        if (written) await opts.after?.(items);
        if (waiting.length > 0) await pause(waiting.length);
      }
    } finally {
      draining = false;
    }
  };

  return {
    add(item) {
      return new Promise<boolean>((resolve) => {
        waiting.push({ item, done: resolve });
        if (draining) return;
        // Start after a pause, so items that finish meanwhile share the write.
        draining = true;
        drained = pause(waiting.length).then(drain);
      });
    },
    idle: () => drained,
  };
}
