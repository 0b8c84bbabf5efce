import { describe, expect, it } from 'vitest';
import { createMasker, createMaskerCache, SENSITIVE, type Masker } from './index.ts';

/** An in-memory secrets source whose version moves on every change, counting calls. */
function fakeSource(initial: Record<string, string[]>) {
  const state = new Map(Object.entries(initial).map(([owner, values]) => [owner, { version: 1, values }]));
  const calls = { load: 0, getVersion: 0, build: 0 };
  return {
    calls,
    set(owner: string, values: string[]): void {
      const current = state.get(owner);
      state.set(owner, { version: (current?.version ?? 0) + 1, values });
    },
    deps: {
      async load(owner: string) {
        calls.load++;
        const s = state.get(owner) ?? { version: 0, values: [] };
        return { version: s.version, values: [...s.values] };
      },
      async getVersion(owner: string) {
        calls.getVersion++;
        return state.get(owner)?.version ?? 0;
      },
    },
    build(values: readonly string[]): Masker {
      calls.build++;
      return createMasker(values);
    },
  };
}

describe('createMaskerCache', () => {
  it('builds once per version and checks the version on every call', async () => {
    const src = fakeSource({ alice: ['alice-secret-1'] });
    const cache = createMaskerCache(src.deps, { build: (v) => src.build(v) });
    const first = await cache.forOwner('alice');
    const second = await cache.forOwner('alice');
    expect(second).toBe(first);
    expect(src.calls).toEqual({ load: 1, getVersion: 2, build: 1 });
    expect(first.mask('x alice-secret-1')).toBe(`x ${SENSITIVE}`);
  });

  it('rebuilds when the version changes (create, replace, restore, delete)', async () => {
    const src = fakeSource({ alice: ['alice-secret-1'] });
    const cache = createMaskerCache(src.deps, { build: (v) => src.build(v) });
    const before = await cache.forOwner('alice');
    src.set('alice', ['alice-secret-2']);
    const after = await cache.forOwner('alice');
    expect(after).not.toBe(before);
    expect(after.mask('alice-secret-1 alice-secret-2')).toBe(`alice-secret-1 ${SENSITIVE}`);
    expect(await cache.forOwner('alice')).toBe(after);
    expect(src.calls.build).toBe(2);
  });

  it('keeps owners apart', async () => {
    const src = fakeSource({ alice: ['alice-secret-1'], bob: ['bob-secret-1'] });
    const cache = createMaskerCache(src.deps);
    expect((await cache.forOwner('bob')).mask('alice-secret-1')).toBe('alice-secret-1');
    expect((await cache.forOwner('alice')).mask('alice-secret-1')).toBe(SENSITIVE);
  });

  it('invalidate() forces a rebuild even at the same version', async () => {
    const src = fakeSource({ alice: ['alice-secret-1'] });
    const cache = createMaskerCache(src.deps, { build: (v) => src.build(v) });
    await cache.forOwner('alice');
    cache.invalidate('alice');
    await cache.forOwner('alice');
    expect(src.calls.build).toBe(2);
  });

  it('shares one build between concurrent callers', async () => {
    const src = fakeSource({ alice: ['alice-secret-1'] });
    const cache = createMaskerCache(src.deps, { build: (v) => src.build(v) });
    const [a, b, c] = await Promise.all([cache.forOwner('alice'), cache.forOwner('alice'), cache.forOwner('alice')]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(src.calls.build).toBe(1);
  });

  it('drops the least recently used owner beyond maxOwners', async () => {
    const src = fakeSource({ a: ['secret-a-1'], b: ['secret-b-1'], c: ['secret-c-1'] });
    const cache = createMaskerCache(src.deps, { maxOwners: 2, build: (v) => src.build(v) });
    await cache.forOwner('a');
    await cache.forOwner('b');
    await cache.forOwner('a');
    await cache.forOwner('c'); // evicts b
    await cache.forOwner('a');
    expect(src.calls.build).toBe(3);
    await cache.forOwner('b');
    expect(src.calls.build).toBe(4);
  });
});
