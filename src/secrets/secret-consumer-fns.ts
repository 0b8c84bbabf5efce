import type { ConsumerDayRow, ConsumerKind, ConsumerRow } from './secret-consumer-store.ts';
import type { SecretUsage, SecretView } from './secret-types.ts';

/** Days of per-consumer counts kept and shown (today included). */
export const CONSUMER_DAYS = 30;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a time (UTC). */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The oldest day shown on `now`'s day: counts before it are trimmed. */
export const firstShownDay = (now: Date): string => utcDay(new Date(now.getTime() - (CONSUMER_DAYS - 1) * DAY_MS));

/** One consumer of a secret in the details answer. */
export interface ConsumerView {
  readonly kind: ConsumerKind;
  readonly id: string;
  readonly name: string;
  readonly last_used_at: string | null;
  /** Uses per UTC day, oldest first, today last. */
  readonly daily: number[];
  readonly total: number;
}

/** Whole days since the last access; null when never accessed. */
export function unusedDays(lastAccessedAt: string | null, now: Date): number | null {
  if (lastAccessedAt === null) return null;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(lastAccessedAt)) / DAY_MS));
}

/**
 * The consumers of one secret: those that use it now (its usage rows) and those that used it
 * within the shown days, by name. A current user that never used it has zeros.
 */
export function consumerViews(usages: readonly SecretUsage[], rows: readonly ConsumerRow[], days: readonly ConsumerDayRow[], now: Date): ConsumerView[] {
  const first = firstShownDay(now);
  const firstMs = Date.parse(`${first}T00:00:00.000Z`);
  const key = (kind: string, id: string) => `${kind}\0${id}`;
  const byKey = new Map<string, { kind: ConsumerKind; id: string; name: string; last: string | null; daily: number[] }>();
  const entry = (kind: ConsumerKind, id: string, name: string) => {
    const k = key(kind, id);
    let e = byKey.get(k);
    if (e === undefined) byKey.set(k, (e = { kind, id, name, last: null, daily: new Array<number>(CONSUMER_DAYS).fill(0) }));
    return e;
  };
  for (const u of usages) entry(u.consumerType, u.consumerId, u.consumerName);
  for (const r of rows) {
    const current = byKey.get(key(r.kind, r.consumerId));
    if (current === undefined && r.lastUsedAt < first) continue;
    (current ?? entry(r.kind, r.consumerId, r.consumerName ?? r.consumerId)).last = r.lastUsedAt;
  }
  for (const d of days) {
    const e = byKey.get(key(d.kind, d.consumerId));
    const i = Math.round((Date.parse(`${d.day}T00:00:00.000Z`) - firstMs) / DAY_MS);
    if (e !== undefined && i >= 0 && i < CONSUMER_DAYS) e.daily[i] = (e.daily[i] ?? 0) + d.uses;
  }
  return [...byKey.values()]
    .map((e) => ({ kind: e.kind, id: e.id, name: e.name, last_used_at: e.last, daily: e.daily, total: e.daily.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

/** Optional list parameters (all absent: every secret by name, as Particle lists them). */
export interface SecretListQuery {
  readonly sort?: 'name' | 'last_accessed';
  readonly order?: 'asc' | 'desc';
  /** Only secrets not accessed for at least this many whole days (never accessed included). */
  readonly unusedDays?: number;
  /** Only secrets never accessed. */
  readonly neverUsed?: boolean;
}

/** Filters and orders list views; by last access, never-accessed secrets count as the oldest. */
export function applyListQuery<T extends Pick<SecretView, 'name' | 'last_accessed_at'>>(views: readonly T[], q: SecretListQuery, now: Date): T[] {
  let out = views.filter((v) => {
    if (q.neverUsed === true && v.last_accessed_at !== null) return false;
    if (q.unusedDays !== undefined) {
      const days = unusedDays(v.last_accessed_at, now);
      if (days !== null && days < q.unusedDays) return false;
    }
    return true;
  });
  const byName = (a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const byAccess = (a: T, b: T) => (a.last_accessed_at ?? '').localeCompare(b.last_accessed_at ?? '') || byName(a, b);
  out = [...out].sort(q.sort === 'last_accessed' ? byAccess : byName);
  return q.order === 'desc' ? out.reverse() : out;
}
