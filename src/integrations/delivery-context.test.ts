import { describe, expect, it } from 'vitest';
import type { Db } from '../store/database-types.ts';
import { createDeliveryContextLoader, selectedSecrets } from './delivery-context.ts';
import type { TextMasker } from './delivery-log-fns.ts';

/** An owner whose secrets change when the test says so; counts reads. */
function fakeOwner(initial: Record<string, string>) {
  let values = { ...initial };
  let version = 1;
  const reads = { values: 0, versions: 0 };
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
      createDeliveryContextLoader({
        db: {} as Db,
        integrations: { byIds: async () => [] },
        resolver: {
          values: async (_owner, names) => {
            reads.values++;
            const out = selectedSecrets(values, names);
            onValuesRead?.();
            return out;
          },
          ownerVersion: async () => (reads.versions++, version),
        },
        maskers: { forOwner: async () => masker },
        buildMasker: (vals) => maskerFor(Object.fromEntries(vals.map((v, i) => [String(i), v]))),
        nowMs,
      }),
  };
}

describe('delivery context loader', () => {
  it('reuses values while the owner version is unchanged, and re-reads after a change or after reuseMs', async () => {
    const o = fakeOwner({ A: 'alpha-value-1' });
    let now = 0;
    const loader = o.loader(() => now);
    expect((await loader.forOwner('user:1', ['A'])).values).toEqual({ A: 'alpha-value-1' });
    expect((await loader.forOwner('user:1', ['A'])).values).toEqual({ A: 'alpha-value-1' });
    expect(o.reads.values).toBe(1);
    o.change({ A: 'alpha-value-2' });
    expect((await loader.forOwner('user:1', ['A'])).values).toEqual({ A: 'alpha-value-2' });
    expect(o.reads.values).toBe(2);
    now += 1_000;
    await loader.forOwner('user:1', ['A']);
    expect(o.reads.values).toBe(3); // stale after reuseMs: read again (records access)
  });

  it('masks the values it read even when they change while being read', async () => {
    const o = fakeOwner({ A: 'old-secret-value' });
    const loader = o.loader(() => 0);
    o.onValuesRead(() => o.change({ A: 'new-secret-value' }));
    const ctx = await loader.forOwner('user:1', ['A']);
    expect(ctx.values).toEqual({ A: 'old-secret-value' });
    expect(ctx.masker.mask('sent old-secret-value')).toBe('sent [[SENSITIVE]]');
    expect(ctx.masker.mask('now new-secret-value')).toBe('now [[SENSITIVE]]');
  });
});
