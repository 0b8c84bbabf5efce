import { sortableId } from '../shared/ids.ts';
import type { HushEvent, PublishInput } from './event-types.ts';

/** The one place a HushEvent is made: id and publish time from `now`, defaults filled in. */
export function newEvent(input: PublishInput, now: Date): HushEvent {
  return {
    id: sortableId(now),
    owner: input.owner,
    name: input.name,
    data: input.data ?? null,
    ttl: input.ttl ?? 60,
    isPublic: input.isPublic ?? false,
    publishedAt: now.toISOString(),
    coreid: input.coreid ?? 'api',
    productId: input.productId ?? null,
    deviceId: input.deviceId ?? null,
    userId: input.userId ?? null,
    source: input.source,
    ...(input.logicDepth ? { logicDepth: input.logicDepth } : {}),
  };
}
