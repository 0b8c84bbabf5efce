import { describe, expect, it } from 'vitest';
import type { RecentValues } from '../secrets/secret-resolver.ts';
import { createSigningKeys } from './signing-keys.ts';
import { signatureHeader, signingKey } from './webhook/webhook-signing-fns.ts';

const sig = (keys: Parameters<typeof signatureHeader>[0]) => signatureHeader(keys, 'msg_1', 1, 'body');

describe('signing keys', () => {
  it('signs with the new and the previous value until the overlap ends, reading the history once per value', async () => {
    let clock = Date.parse('2026-01-02T00:00:00Z');
    let recent: RecentValues = { current: 'v1', currentSince: '2026-01-01T00:00:00Z', previous: null };
    let reads = 0;
    const keys = createSigningKeys({ resolver: { recentValues: async () => (reads++, recent) }, overlapMs: 3_600_000, nowMs: () => clock });
    expect(sig(await keys.keysFor('o', 'K', 'v1'))).toBe(sig([signingKey('v1')]));
    await keys.keysFor('o', 'K', 'v1');
    expect(reads).toBe(1);
    recent = { current: 'v2', currentSince: new Date(clock).toISOString(), previous: 'v1' };
    expect(sig(await keys.keysFor('o', 'K', 'v2'))).toBe(sig([signingKey('v2'), signingKey('v1')]));
    clock += 3_600_000;
    expect(sig(await keys.keysFor('o', 'K', 'v2'))).toBe(sig([signingKey('v2')]));
    expect(reads).toBe(2);
  });

  it('signs with the rendered value alone when the history moved on meanwhile, and never reads it with no overlap', async () => {
    let reads = 0;
    const raced = createSigningKeys({ resolver: { recentValues: async () => (reads++, { current: 'v3', currentSince: new Date().toISOString(), previous: 'v2' }) } });
    expect(sig(await raced.keysFor('o', 'K', 'v2'))).toBe(sig([signingKey('v2')]));
    const none = createSigningKeys({ resolver: { recentValues: async () => (reads++, null) }, overlapMs: 0 });
    await none.keysFor('o', 'K', 'v1');
    expect(reads).toBe(1);
  });
});
