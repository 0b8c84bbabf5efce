import type { PublishInput } from '../events/event-types.ts';
import type { ExpiryReminder } from './secret-expiry-sweep.ts';
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

/**
 * An expiry reminder on the owner's stream: `hush/secret/expiring` (30, 7 or 1 day(s) before)
 * or `hush/secret/expired`, with `{"name":"API_KEY","expires_at":"…","days_left":7,"reminder":"7d"}`.
 */
export function secretReminderEvent(r: ExpiryReminder): PublishInput {
  const data = { name: r.name, expires_at: r.expiresAt, days_left: r.daysLeft, reminder: r.reminder };
  const kind = r.reminder === 'expired' ? 'expired' : 'expiring';
  return { owner: r.owner, name: SECRET_EVENT_PREFIX + kind, data: JSON.stringify(data), source: 'system', coreid: 'hush' };
}
