/**
 * Per-owner masker cache. Building a masker costs far more than asking for the owner's
 * secrets version, so every call checks the version and rebuilds only when it moved: a
 * secret created, replaced, restored or deleted on any node is masked from the next call on.
 */
import { createMasker } from './masker-fns.ts';
import type { Masker } from './masking-types.ts';

/** Where the cache reads an owner's secrets. `version` changes whenever the owner's secrets change. */
export interface MaskerCacheDeps {
  load(owner: string): Promise<{ readonly version: number; readonly values: readonly string[] }>;
  getVersion(owner: string): Promise<number>;
}

export interface MaskerCacheOptions {
  /** Owners kept at most; the least recently used is dropped first. Default 1,000. */
  readonly maxOwners?: number;
  /** Masker factory (tests count builds with it). Default `createMasker`. */
  readonly build?: (values: readonly string[]) => Masker;
}

export interface MaskerCache {
  /** The owner's masker for its current secrets version. */
  forOwner(owner: string): Promise<Masker>;
  /** Forgets the owner's masker (e.g. on a change notification from another node). */
  invalidate(owner: string): void;
}

interface Built {
  readonly version: number;
  readonly masker: Masker;
}

/** Creates the cache; see {@link MaskerCacheDeps} for what it reads. */
export function createMaskerCache(deps: MaskerCacheDeps, options: MaskerCacheOptions = {}): MaskerCache {
  const maxOwners = options.maxOwners ?? 1000;
  const build = options.build ?? createMasker;
  const entries = new Map<string, Built>();
  const loading = new Map<string, Promise<Built>>();
  // Bumped by invalidate() so that a load already under way cannot store what it read before.
  const generations = new Map<string, number>();

  const remember = (owner: string, built: Built): void => {
    entries.delete(owner);
    entries.set(owner, built);
    if (entries.size > maxOwners) entries.delete(entries.keys().next().value as string);
  };

  const startLoad = (owner: string): Promise<Built> => {
    const generation = generations.get(owner) ?? 0;
    const promise = deps
      .load(owner)
      .then(({ version, values }): Built => {
        const built = { version, masker: build(values) };
        if ((generations.get(owner) ?? 0) === generation) remember(owner, built);
        return built;
      })
      .finally(() => {
        if (loading.get(owner) === promise) loading.delete(owner);
      });
    loading.set(owner, promise);
    return promise;
  };

  return {
    async forOwner(owner: string): Promise<Masker> {
      const version = await deps.getVersion(owner);
      const cached = entries.get(owner);
      if (cached !== undefined && cached.version === version) {
        remember(owner, cached);
        return cached.masker;
      }
      // A load already under way may have read the secrets before this call: use it only if
      // it saw the version this call saw.
      const pending = loading.get(owner);
      if (pending !== undefined) {
        const built = await pending;
        if (built.version === version) return built.masker;
      }
      return (await (loading.get(owner) ?? startLoad(owner))).masker;
    },
    invalidate(owner: string): void {
      entries.delete(owner);
      generations.set(owner, (generations.get(owner) ?? 0) + 1);
    },
  };
}
