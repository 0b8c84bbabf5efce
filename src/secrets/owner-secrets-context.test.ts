import { describe, expect, it } from 'vitest';
import type { TextMasker } from '../masking/masking-types.ts';
import { createOwnerContextLoader } from './owner-secrets-context.ts';

/** An owner whose secrets change when the test says so; counts reads. */
function fakeOwner(initial: Record<string, string>) {
  let values = { ...initial };
  let version = 1;
  const reads = { values: 0 };
  const maskerFor = (vals: Record<string, string>): TextMasker => ({ mask: (t) => Object.values(vals).reduce((acc, v) => acc.split(v).join('[[SENSITIVE]]'), t) });
  let masker = maskerFor(values);
  let onValuesRead: (() => void) | null = null;
  return {
    reads,
    change(next: Record<string, string>) {
      values = { ...next };
      version++;
      masker = maskerFor(values);
    },
    onValuesRead(fn: () => void) {
      onValuesRead = fn;
    },
    loader: (nowMs: () => number) =>
      createOwnerContextLoader({
        resolver: {
          values: async (_owner, names) => {
            reads.values++;
            const out = Object.fromEntries(names.filter((n) => Object.hasOwn(values, n)).map((n) => [n, values[n] as string]));
            onValuesRead?.();
            return out;
          },
          ownerVersion: async () => version,
        },
        maskers: { forOwner: async () => masker },
        buildMasker: (vals) => maskerFor(Object.fromEntries(vals.map((v, i) => [String(i), v]))),
        nowMs,
      }),
  };
}

describe('owner secrets context loader', () => {
  it('reuses values while the owner version is unchanged, and reads again after a change, after reuseMs or for other names', async () => {
    const o = fakeOwner({ A: 'alpha-value-1', B: 'beta-value-1' });
    let now = 0;
    const loader = o.loader(() => now);
    expect((await loader.forOwner('user:1', ['A'])).values).toEqual({ A: 'alpha-value-1' });
    expect((await loader.forOwner('user:1', ['A'])).values).toEqual({ A: 'alpha-value-1' });
    expect(o.reads.values).toBe(1);
    o.change({ A: 'alpha-value-2', B: 'beta-value-1' });
    expect((await loader.forOwner('user:1', ['A'])).values).toEqual({ A: 'alpha-value-2' });
    expect(o.reads.values).toBe(2);
    expect((await loader.forOwner('user:1', ['A', 'B'])).values).toEqual({ A: 'alpha-value-2', B: 'beta-value-1' });
    expect(o.reads.values).toBe(3);
    now += 1_000;
    await loader.forOwner('user:1', ['A']);
    expect(o.reads.values).toBe(4); // stale after reuseMs: read again (records access)
    await loader.fresh('user:1', ['A']);
    expect(o.reads.values).toBe(5);
  });

  it('masks the values it read even when they change while being read', async () => {
    const o = fakeOwner({ A: 'old-secret-value' });
    const loader = o.loader(() => 0);
    o.onValuesRead(() => o.change({ A: 'new-secret-value' }));
    const ctx = await loader.forOwner('user:1', ['A']);
    expect(ctx.values).toEqual({ A: 'old-secret-value' });
    expect(ctx.masker.mask('logged old-secret-value')).toBe('logged [[SENSITIVE]]');
    expect(ctx.masker.mask('now new-secret-value')).toBe('now [[SENSITIVE]]');
    o.onValuesRead(() => undefined);
    expect(o.reads.values).toBe(1);
    await loader.forOwner('user:1', ['A']); // not cached: read again
    expect(o.reads.values).toBe(2);
  });
});
