import { createOwnerContextLoader, type OwnerContext } from '../secrets/owner-secrets-context.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { Db } from '../store/database-types.ts';
import type { MaskerProvider, TextMasker } from './delivery-log-fns.ts';
import type { IntegrationRecord, IntegrationStore } from './integration-store.ts';

export type { OwnerContext };

/** Everything a claimed batch needs, read once per batch instead of once per delivery. */
export interface BatchContext {
  /** Integrations as they are now; a deleted one is absent. */
  readonly integrations: ReadonlyMap<string, IntegrationRecord>;
  readonly owners: ReadonlyMap<string, OwnerContext>;
}

export interface DeliveryContextDeps {
  readonly db: Db;
  readonly integrations: Pick<IntegrationStore, 'byIds'>;
  readonly resolver: Pick<SecretResolver, 'values' | 'ownerVersion'> & Partial<Pick<SecretResolver, 'recordUse'>>;
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

/**
 * Reads what delivery batches need. Per-owner values and maskers come from the shared
 * owner context loader (reused while the owner's secrets version is unchanged, for at most
 * `reuseMs`), so a replace that has returned is used by the next batch on any node.
 */
export function createDeliveryContextLoader(deps: DeliveryContextDeps) {
  const ownerLoader = createOwnerContextLoader({
    resolver: deps.resolver,
    maskers: deps.maskers,
    buildMasker: deps.buildMasker,
    reuseMs: deps.reuseMs,
    nowMs: deps.nowMs,
  });
  const forOwner = ownerLoader.forOwner;

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
