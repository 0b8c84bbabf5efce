import { describe, expect, it } from 'vitest';
import { createFairQueue, type OwnedJob } from './fair-queue.ts';

interface Job extends OwnedJob {
  readonly name: string;
}
const job = (owner: string, name: string, batchable = true): Job => ({ owner, name, batchable });
const names = (jobs: readonly Job[] | undefined) => jobs?.map((j) => j.name);

describe('fair queue', () => {
  it('gives owners turns in round-robin order, whatever order their jobs came in', () => {
    const q = createFairQueue<Job>({ maxPerOwner: 10, maxBatch: 8 });
    for (const n of ['a1', 'a2', 'a3', 'a4']) q.push(job('A', n));
    q.push(job('B', 'b1'));
    q.push(job('B', 'b2'));
    q.push(job('C', 'c1'));
    expect(q.size).toBe(7);
    const order: string[] = [];
    for (let turn = q.take(1); turn !== undefined; turn = q.take(1)) {
      order.push(...(names(turn.jobs) ?? []));
      q.finish(turn.owner, 5_000); // slow runs: one per turn
    }
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(q.size).toBe(0);
  });

  it('never gives an owner more than maxPerOwner workers; a finished turn frees one', () => {
    const q = createFairQueue<Job>({ maxPerOwner: 1, maxBatch: 8 });
    q.push(job('A', 'a1'));
    q.push(job('A', 'a2'));
    q.push(job('B', 'b1'));
    expect(q.take(3)).toMatchObject({ owner: 'A', jobs: [{ name: 'a1' }] });
    expect(q.take(2)).toMatchObject({ owner: 'B', jobs: [{ name: 'b1' }] });
    // A is at its cap: its next job waits although a worker is idle.
    expect(q.take(1)).toBeUndefined();
    expect(q.running('A')).toBe(1);
    q.finish('A', undefined); // killed or crashed: the slot is free all the same
    expect(q.running('A')).toBe(0);
    expect(q.take(1)).toMatchObject({ owner: 'A', jobs: [{ name: 'a2' }] });
    // A turn finished twice (or never taken) frees nothing more.
    q.finish('A', 1);
    q.finish('A', 1);
    q.finish('Z', 1);
    expect(q.running('A')).toBe(0);
    expect(q.running('B')).toBe(1);
  });

  it("batches an owner's runs only once its runs are known to be fast, spread over the idle workers", () => {
    const q = createFairQueue<Job>({ maxPerOwner: 4, maxBatch: 8 });
    for (let i = 0; i < 20; i++) q.push(job('A', `a${i}`));
    // Not seen yet: one run.
    expect(q.take(2)?.jobs).toHaveLength(1);
    q.finish('A', 2);
    // Fast: 19 waiting over 2 idle workers, at most maxBatch each.
    expect(q.take(2)?.jobs).toHaveLength(8);
    expect(q.take(1)?.jobs).toHaveLength(8);
    // Runs that go on for seconds (a runaway loop) bring it back to one run per turn.
    for (let i = 0; i < 3; i++) q.finish('A', 30_000);
    expect(q.take(4)?.jobs).toHaveLength(1);
  });

  it('keeps jobs that may not share a message (validations, retried runs) alone', () => {
    const q = createFairQueue<Job>({ maxPerOwner: 10, maxBatch: 8 });
    q.push(job('A', 'warm'));
    q.finish(q.take(1)?.owner ?? '', 1);
    q.push(job('A', 'r1'));
    q.push(job('A', 'r2'));
    q.push(job('A', 'validate', false));
    q.push(job('A', 'r3'));
    expect(names(q.take(1)?.jobs)).toEqual(['r1', 'r2']);
    expect(names(q.take(1)?.jobs)).toEqual(['validate']);
    // Runs of a lost batch go back to the front of their owner's queue, each alone.
    q.requeue([job('A', 'x1', false), job('A', 'x2', false)]);
    expect(names(q.take(1)?.jobs)).toEqual(['x1']);
    expect(names(q.take(1)?.jobs)).toEqual(['x2']);
    expect(names(q.take(1)?.jobs)).toEqual(['r3']);
  });

  it('drains every waiting job of every owner', () => {
    const q = createFairQueue<Job>({ maxPerOwner: 1, maxBatch: 8 });
    for (const [o, n] of [['A', 'a1'], ['B', 'b1'], ['A', 'a2']] as const) q.push(job(o, n));
    q.take(1);
    expect(q.drain().map((j) => j.name).sort()).toEqual(['a2', 'b1']);
    expect(q.size).toBe(0);
    expect(q.take(1)).toBeUndefined();
  });
});
