import { describe, expect, it } from 'vitest';
import type { Db } from '../store/database-types.ts';
import { createDeliveryContextLoader, selectedSecrets } from './delivery-context.ts';
import type { IntegrationRecord } from './integration-store.ts';

const integration = (id: string, owner: string, secrets: string[]): IntegrationRecord =>
  ({ id, owner, config: { secrets } }) as unknown as IntegrationRecord;

// The per-owner reuse rules (version, reuseMs, concurrent change) are tested with the shared
// loader in src/secrets/owner-secrets-context.test.ts; this covers what a batch adds.
describe('delivery context loader', () => {
  it('reads missing integrations once, and for each owner only the secrets of its live deliveries', async () => {
    const stored = new Map([['i2', integration('i2', 'user:1', ['B'])], ['i3', integration('i3', 'user:2', ['C'])]]);
    const byIdsCalls: string[][] = [];
    const valueReads: Array<[string, string[]]> = [];
    const loader = createDeliveryContextLoader({
      db: {} as Db,
      integrations: { byIds: async (_db, ids) => (byIdsCalls.push([...ids]), ids.flatMap((id) => stored.get(id) ?? [])) },
      resolver: {
        values: async (owner, names) => (valueReads.push([owner, [...names].sort()]), selectedSecrets({ A: 'a-value-1', B: 'b-value-1', C: 'c-value-1' }, names)),
        ownerVersion: async () => 1,
      },
      maskers: { forOwner: async () => ({ mask: (t) => t }) },
    });
    const batch = [
      { integrationId: 'i1', owner: 'user:1', integration: integration('i1', 'user:1', ['A']) },
      { integrationId: 'i2', owner: 'user:1' },
      { integrationId: 'i2', owner: 'user:1' },
      { integrationId: 'i3', owner: 'user:2' },
      { integrationId: 'gone', owner: 'user:3' },
    ];
    const ctx = await loader.forBatch(batch, (i) => i.id !== 'i3');
    expect(byIdsCalls).toEqual([['i2', 'i3', 'gone']]);
    expect([...ctx.integrations.keys()].sort()).toEqual(['i1', 'i2', 'i3']);
    expect(valueReads).toEqual([['user:1', ['A', 'B']]]); // user:2's only delivery is not live; user:3's integration is gone
    expect(ctx.owners.get('user:1')?.values).toEqual({ A: 'a-value-1', B: 'b-value-1' });
    expect(ctx.owners.has('user:2')).toBe(false);
  });

  it('selectedSecrets keeps only the listed names that exist', () => {
    expect(selectedSecrets({ A: '1', B: '2' }, ['B', 'Z'])).toEqual({ B: '2' });
    expect(selectedSecrets({ constructor: 'x' }, ['toString'])).toEqual({});
  });
});
