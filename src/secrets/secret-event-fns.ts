import type { PublishInput } from '../events/event-types.ts';
import type { SecretChange } from './secret-types.ts';

/** Prefix of every event Hush publishes about an owner's secrets. */
export const SECRET_EVENT_PREFIX = 'hush/secret/';

/**
 * The event announcing a committed secret change on the owner's stream, e.g.
 * `hush/secret/replaced` with `{"name":"API_KEY","version":3,"actor":"<user id>","at":"…"}`.
 * Built from metadata only: the value is not in scope here, so it cannot leak into the event.
 */
export function secretChangeEvent(change: SecretChange): PublishInput {
  const data = {
    name: change.name,
    version: change.version,
    actor: change.actorId,
    at: change.at,
    ...(change.restoredFrom !== undefined ? { restored_from: change.restoredFrom } : {}),
  };
  return { owner: change.owner, name: SECRET_EVENT_PREFIX + change.kind, data: JSON.stringify(data), source: 'system', coreid: 'hush' };
}
