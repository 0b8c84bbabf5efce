/**
 * Which keys sign an integration's requests: the signing secret's current value and, for
 * the overlap after a replace (default 24 h), the value it replaced, so receivers can
 * rotate without dropping requests.
 */
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { KeyObject } from 'node:crypto';
import { signingKey } from './webhook/webhook-signing-fns.ts';

export const DEFAULT_SIGNING_OVERLAP_MS = 24 * 3600 * 1000;
const MAX_ENTRIES = 10_000;

export interface SigningKeysDeps {
  readonly resolver: Pick<SecretResolver, 'recentValues'>;
  /** How long the previous value keeps signing after a replace (0: never). */
  readonly overlapMs?: number;
  readonly nowMs?: () => number;
}

interface Entry {
  readonly current: string;
  readonly keys: readonly KeyObject[];
  /** The new and the previous key, during the overlap. */
  readonly both: readonly KeyObject[] | null;
  readonly overlapEndsMs: number;
}

/**
 * `keysFor(owner, name, current)` gives the HMAC keys, newest first. `current` is the value
 * the delivery rendered with (read for its batch), so a replace takes effect at once; the
 * version history is read once per current value and kept while that value is current.
 */
export function createSigningKeys(deps: SigningKeysDeps) {
  const overlapMs = deps.overlapMs ?? DEFAULT_SIGNING_OVERLAP_MS;
  const nowMs = deps.nowMs ?? Date.now;
  const cache = new Map<string, Entry>();

  const load = async (owner: string, name: string, current: string): Promise<Entry> => {
    const key = signingKey(current);
    const only: Entry = { current, keys: [key], both: null, overlapEndsMs: 0 };
    const recent = overlapMs <= 0 ? null : await deps.resolver.recentValues(owner, name);
    // A change raced the batch's read: sign with what the request was rendered with, uncached.
    if (overlapMs > 0 && (recent === null || recent.current !== current)) return only;
    const entry: Entry = recent === null || recent.previous === null
      ? only
      : { current, keys: [key], both: [key, signingKey(recent.previous)], overlapEndsMs: Date.parse(recent.currentSince) + overlapMs };
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(`${owner}\0${name}`, entry);
    return entry;
  };

  return {
    async keysFor(owner: string, name: string, current: string): Promise<readonly KeyObject[]> {
      const hit = cache.get(`${owner}\0${name}`);
      const e = hit !== undefined && hit.current === current ? hit : await load(owner, name, current);
      return e.both !== null && nowMs() < e.overlapEndsMs ? e.both : e.keys;
    },
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
