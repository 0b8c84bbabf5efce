import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.ts';

describe('group commit', () => {
  it('writes items added in the same turn together, and those added during a write in the next one', async () => {
    const writes: number[][] = [];
    const after: number[][] = [];
    let release: (() => void) | null = null;
    const gc = createGroupCommit<number>({
      write: async (batch) => {
        writes.push([...batch]);
        if (writes.length === 1) await new Promise<void>((r) => (release = r));
        return true;
      },
      after: async (batch) => void after.push([...batch]),
    });
    const first = [1, 2, 3].map((n) => gc.add(n));
    while (release === null) await new Promise((r) => setImmediate(r));
    const second = [4, 5].map((n) => gc.add(n));
    (release as () => void)();
    expect(await Promise.all([...first, ...second])).toEqual([true, true, true, true, true]);
    await gc.idle();
    expect(writes).toEqual([[1, 2, 3], [4, 5]]);
    expect(after).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('resolves a failed batch with false, skips its follow-up, and goes on with the next', async () => {
    let calls = 0;
    const after: number[][] = [];
    const gc = createGroupCommit<number>({ write: async () => ++calls !== 1, after: async (b) => void after.push([...b]), maxBatch: 2 });
    expect(await Promise.all([1, 2, 3].map((n) => gc.add(n)))).toEqual([false, false, true]);
    expect(after).toEqual([[3]]);
  });
});
