import type { Secret } from '../api/types.ts';

/** "5 minutes", "3 hours", "2 days": how long ago `iso` was, for a pending value's age. */
export function ageOf(iso: string, nowMs: number = Date.now()): string {
  const minutes = Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** The expiry badge text: "expired", "expires today", "expires in N days" (null without an expiry). */
export function expiryText(secret: Pick<Secret, 'expires_at' | 'expired' | 'expires_in_days'>): string | null {
  if (!secret.expires_at) return null;
  if (secret.expired) return 'expired';
  const days = secret.expires_in_days ?? 0;
  return days <= 1 ? 'expires within a day' : `expires in ${days} days`;
}

/**
 * A secret's staged-rotation and expiry badges: "pending (2 hours)", and "expires in N days"
 * (a warning within 30 days) or "expired" (an error: the value keeps working, which is the
 * owner's call, but it says so loudly).
 */
export function SecretBadges(props: { readonly secret: Secret }) {
  const { secret } = props;
  const expiry = expiryText(secret);
  const soon = (secret.expires_in_days ?? Infinity) <= 30;
  return (
    <>
      {secret.pending ? ' ' : null}
      {secret.pending ? (
        <span className="badge badge-warning" data-testid={`pending-badge-${secret.name}`} title={`A pending value was saved ${ageOf(secret.pending.since)} ago`}>
          pending ({ageOf(secret.pending.since)})
        </span>
      ) : null}
      {expiry ? ' ' : null}
      {expiry ? (
        <span
          className={`badge ${secret.expired ? 'badge-error' : soon ? 'badge-warning' : ''}`}
          data-testid={`expiry-badge-${secret.name}`}
          title={`Expiry: ${secret.expires_at}`}
        >
          {expiry}
        </span>
      ) : null}
    </>
  );
}

/** "never used" or "unused for N days" (details answer only; nothing when used today or unknown). */
export function UnusedBadge(props: { readonly secret: Pick<Secret, 'name' | 'unused_days' | 'last_accessed_at'> }) {
  const { unused_days: days, last_accessed_at: last } = props.secret;
  if (days === undefined) return null;
  const text = last === null || days === null ? 'never used' : days >= 1 ? `unused for ${days} day${days === 1 ? '' : 's'}` : null;
  if (text === null) return null;
  return (
    <>
      {' '}
      <span className={`badge ${days === null || days >= 30 ? 'badge-warning' : ''}`} data-testid={`unused-badge-${props.secret.name}`}>
        {text}
      </span>
    </>
  );
}
