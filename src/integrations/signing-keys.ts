/**
 * Which keys sign an integration's requests: the signing secret's current value and, for
 * the overlap after a replace (default 24 h), the value it replaced, so receivers can
 * rotate without dropping requests.
 */
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import { signingKeyBytes } from './webhook/webhook-signing-fns.ts';

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
  readonly keys: readonly Buffer[];
  readonly previousKey: Buffer | null;
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
    const key = signingKeyBytes(current);
    const only: Entry = { current, keys: [key], previousKey: null, overlapEndsMs: 0 };
    if (overlapMs <= 0) return only;
    const recent = await deps.resolver.recentValues(owner, name);
    // A change raced the batch's read: sign with what the request was rendered with, uncached.
    if (recent === null || recent.current !== current) return only;
    const entry: Entry = recent.previous === null
      ? only
      : { current, keys: [key], previousKey: signingKeyBytes(recent.previous), overlapEndsMs: Date.parse(recent.currentSince) + overlapMs };
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(`${owner}\0${name}`, entry);
    return entry;
  };

  return {
    async keysFor(owner: string, name: string, current: string): Promise<readonly Buffer[]> {
      const hit = cache.get(`${owner}\0${name}`);
      const e = hit !== undefined && hit.current === current ? hit : await load(owner, name, current);
      return e.previousKey !== null && nowMs() < e.overlapEndsMs ? [...e.keys, e.previousKey] : e.keys;
    },
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
