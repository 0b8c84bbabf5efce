import { createMasker } from '../masking/index.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { Db } from '../store/database-types.ts';
import type { MaskerProvider, TextMasker } from './delivery-log-fns.ts';
import type { IntegrationRecord, IntegrationStore } from './integration-store.ts';

/** What deliveries of one owner need: the selected secrets' current values and a masker for them. */
export interface OwnerContext {
  readonly values: Readonly<Record<string, string>>;
  readonly masker: TextMasker;
}

/** Everything a claimed batch needs, read once per batch instead of once per delivery. */
export interface BatchContext {
  /** Integrations as they are now; a deleted one is absent. */
  readonly integrations: ReadonlyMap<string, IntegrationRecord>;
  readonly owners: ReadonlyMap<string, OwnerContext>;
}

export interface DeliveryContextDeps {
  readonly db: Db;
  readonly integrations: Pick<IntegrationStore, 'byIds'>;
  readonly resolver: Pick<SecretResolver, 'values' | 'ownerVersion'>;
  readonly maskers: MaskerProvider;
  /** Builds a masker for given values (default: the masking module's). */
  readonly buildMasker?: (values: readonly string[]) => TextMasker;
  /** How long read values may be reused while the owner's version is unchanged (default 1 s). */
  readonly reuseMs?: number;
  readonly nowMs?: () => number;
}

/** What a batch item needs: its integration (already known when it came from the publishing transaction) and owner. */
export interface BatchItem {
  readonly integrationId: string;
  readonly owner: string;
  readonly integration?: IntegrationRecord;
}

/** The values a delivery may use: only its integration's selected secrets. */
export function selectedSecrets(values: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (Object.hasOwn(values, n)) out[n] = values[n] as string;
  return out;
}

interface Cached extends OwnerContext {
  readonly version: number;
  readonly names: ReadonlySet<string>;
  readonly at: number;
}

const MAX_OWNERS = 1000;

/**
 * Reads per-owner secret values and maskers for delivery batches. Every batch reads the
 * owner's secrets version (one query): values read under the same version are the
 * current values (every change bumps the version in its own transaction), so they are
 * reused for up to `reuseMs`; after that they are read again, which also records access.
 */
export function createDeliveryContextLoader(deps: DeliveryContextDeps) {
  const reuseMs = deps.reuseMs ?? 1000;
  const nowMs = deps.nowMs ?? Date.now;
  const cache = new Map<string, Cached>();

  /**
   * Version, masker and values in one window: the same version before and after means the
   * masker (looked up inside the window) masks every value read. Otherwise (a concurrent
   * change) the values read are masked on top of the newest owner masker, and not cached.
   */
  const read = async (owner: string, names: readonly string[]): Promise<OwnerContext> => {
    const v1 = await deps.resolver.ownerVersion(owner);
    const masker = await deps.maskers.forOwner(owner);
    if (names.length === 0) return { values: {}, masker };
    const values = await deps.resolver.values(owner, names);
    const v2 = await deps.resolver.ownerVersion(owner);
    if (v1 === v2) {
      if (cache.size >= MAX_OWNERS) cache.clear();
      cache.set(owner, { values, masker, version: v1, names: new Set(names), at: nowMs() });
      return { values, masker };
    }
    const extra = (deps.buildMasker ?? createMasker)(Object.values(values));
    const newest = await deps.maskers.forOwner(owner);
    return { values, masker: { mask: (text) => extra.mask(newest.mask(text)) } };
  };

  const forOwner = async (owner: string, names: readonly string[]): Promise<OwnerContext> => {
    const hit = cache.get(owner);
    if (hit !== undefined && nowMs() - hit.at < reuseMs && names.every((n) => hit.names.has(n))) {
      if ((await deps.resolver.ownerVersion(owner)) === hit.version) return hit;
    }
    return read(owner, names);
  };

  return {
    forOwner,
    /** Loads what a batch needs; `isLive` says which items will actually be sent. */
    async forBatch(batch: readonly BatchItem[], isLive: (i: IntegrationRecord, index: number) => boolean): Promise<BatchContext> {
      const integrations = new Map<string, IntegrationRecord>();
      for (const d of batch) if (d.integration !== undefined) integrations.set(d.integrationId, d.integration);
      const missing = [...new Set(batch.filter((d) => d.integration === undefined).map((d) => d.integrationId))];
      for (const i of await deps.integrations.byIds(deps.db, missing)) integrations.set(i.id, i);
      const names = new Map<string, Set<string>>();
      batch.forEach((d, index) => {
        const i = integrations.get(d.integrationId);
        if (i === undefined || !isLive(i, index)) return;
        let set = names.get(d.owner);
        if (set === undefined) names.set(d.owner, (set = new Set()));
        for (const n of i.config.secrets) set.add(n);
      });
      const owners = new Map<string, OwnerContext>();
      for (const [owner, set] of names) owners.set(owner, await forOwner(owner, [...set]));
      return { integrations, owners };
    },
  };
}

export type DeliveryContextLoader = ReturnType<typeof createDeliveryContextLoader>;
