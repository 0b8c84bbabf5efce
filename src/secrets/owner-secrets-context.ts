import { createMasker } from '../masking/index.ts';
import type { MaskerProvider, TextMasker } from '../masking/masking-types.ts';
import type { ConsumerKind } from './secret-consumer-store.ts';
import type { SecretResolver } from './secret-resolver.ts';

/** What a consumer of one owner's secrets (deliveries, Logic runs) needs: the selected secrets' current values and a masker that covers them. */
export interface OwnerContext {
  readonly values: Readonly<Record<string, string>>;
  readonly masker: TextMasker;
  /** Counts one use of the named secrets by a consumer (in memory; see SecretResolver.recordUse). */
  readonly recordUse?: (consumer: { readonly kind: ConsumerKind; readonly id: string }, names: readonly string[]) => void;
}

export interface OwnerContextDeps {
  readonly resolver: Pick<SecretResolver, 'values' | 'ownerVersion'> & Partial<Pick<SecretResolver, 'recordUse'>>;
  readonly maskers: MaskerProvider;
  /** Builds a masker for given values (default: the masking module's). */
  readonly buildMasker?: (values: readonly string[]) => TextMasker;
  /** How long read values may be reused while the owner's version is unchanged (default 1 s). */
  readonly reuseMs?: number;
  readonly nowMs?: () => number;
}

interface Cached extends OwnerContext {
  readonly version: number;
  readonly names: ReadonlySet<string>;
  readonly at: number;
}

const MAX_OWNERS = 1000;

/** `pending`: use secrets' pending values where they have one (tests of a staged rotation). */
export interface ContextOptions {
  readonly pending?: boolean;
}

/**
 * Reads per-owner secret values and maskers for batches of webhook deliveries and Logic runs. Each call reads the
 * owner's secrets version (one query); every change to an owner's secrets bumps it in the
 * change's own transaction, so values read under the same version are still the current
 * values and are reused for up to `reuseMs`. After that they are read again, which also
 * records the access (`last_accessed_at`). A replace that has returned is therefore seen by
 * every batch that starts after it, on any node.
 */
export function createOwnerContextLoader(deps: OwnerContextDeps) {
  const reuseMs = deps.reuseMs ?? 1000;
  const nowMs = deps.nowMs ?? Date.now;
  const cache = new Map<string, Cached>();

  /**
   * Version, masker and values in one window: the same version before and after means the
   * masker (looked up inside the window) masks every value read. Otherwise (a concurrent
   * change) the values read are masked on top of the newest owner masker, and not cached.
   */
  const read = async (owner: string, names: readonly string[], opts: ContextOptions = {}): Promise<OwnerContext> => {
    const v1 = await deps.resolver.ownerVersion(owner);
    const masker = await deps.maskers.forOwner(owner);
    if (names.length === 0) return { values: {}, masker };
    const values = await deps.resolver.values(owner, names, opts);
    // Only secrets that exist are counted as used.
    const recordUse = (consumer: { readonly kind: ConsumerKind; readonly id: string }, used: readonly string[]) =>
      deps.resolver.recordUse?.(owner, used.filter((n) => Object.hasOwn(values, n)), consumer);
    const v2 = await deps.resolver.ownerVersion(owner);
    // Pending values serve one test: never cached for deliveries and runs.
    if (v1 === v2 && opts.pending === true) return { values, masker, recordUse };
    if (v1 === v2) {
      if (cache.size >= MAX_OWNERS) cache.clear();
      cache.set(owner, { values, masker, recordUse, version: v1, names: new Set(names), at: nowMs() });
      return { values, masker, recordUse };
    }
    const extra = (deps.buildMasker ?? createMasker)(Object.values(values));
    const newest = await deps.maskers.forOwner(owner);
    return { values, masker: { mask: (text) => extra.mask(newest.mask(text)) }, recordUse };
  };

  return {
    /** Values of `names` (missing secrets are absent) and a masker covering them. */
    async forOwner(owner: string, names: readonly string[], opts: ContextOptions = {}): Promise<OwnerContext> {
      if (opts.pending === true) return read(owner, names, opts);
      const hit = cache.get(owner);
      if (hit !== undefined && nowMs() - hit.at < reuseMs && names.every((n) => hit.names.has(n))) {
        if ((await deps.resolver.ownerVersion(owner)) === hit.version) return hit;
      }
      return read(owner, names);
    },
    /** Always reads the values now (single runs such as execute). */
    fresh: read,
  };
}

export type OwnerContextLoader = ReturnType<typeof createOwnerContextLoader>;
