/**
 * The console's one way to show a time: how long ago ("3 minutes ago") with the absolute
 * time, to the second and with its time zone, on hover (title) and on keyboard focus; or
 * the absolute time itself where neighbours may differ by seconds (version history, audit).
 */
import { useSyncExternalStore } from 'react';

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });
const millis = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, timeZoneName: 'short',
});
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const STEPS: readonly (readonly [Intl.RelativeTimeFormatUnit, number, number])[] = [
  // unit, seconds in it, used below this many seconds
  ['second', 1, 45],
  ['minute', 60, 45 * 60],
  ['hour', 3600, 22 * 3600],
  ['day', 86_400, 26 * 86_400],
  ['month', 30 * 86_400, 320 * 86_400],
  ['year', 365 * 86_400, Infinity],
];

/** "now", "3 minutes ago", "in 2 days", … for `date` seen at `now`. */
export function relativeTime(date: Date, now: Date): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(seconds) < 45) return relative.format(0, 'second');
  const [unit, size] = STEPS.find(([, , below]) => Math.abs(seconds) < below)!;
  return relative.format(Math.round(seconds / size), unit);
}

/** The absolute time to the second, with the reader's time zone ("Dec 4, 2026, 7:11:09 PM UTC"). */
export function absoluteTime(date: Date): string {
  return absolute.format(date);
}

// One clock for every relative time on the page: it ticks while any is shown.
const listeners = new Set<() => void>();
let ticks = 0;
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    ticks++;
    for (const l of listeners) l();
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
const useClockTick = () => useSyncExternalStore(subscribe, () => ticks, () => ticks);

export interface TimeProps {
  readonly iso: string | null | undefined;
  /** Shown when there is no time ("Never"). */
  readonly never?: string;
  /** The absolute time to the second instead of how long ago. */
  readonly precise?: boolean;
  /** The absolute time to the millisecond (runs started in the same second). */
  readonly millis?: boolean;
  /** A Tab stop of its own, so the keyboard can show the absolute time (outside tables, whose cells or rows take focus). */
  readonly focusable?: boolean;
}

/** A `<time>` with the ISO value as its machine-readable attribute. */
export function Time(props: TimeProps) {
  useClockTick();
  if (!props.iso) return <span className="muted">{props.never ?? '—'}</span>;
  const d = new Date(props.iso);
  if (Number.isNaN(d.getTime())) return <time dateTime={props.iso}>{props.iso}</time>;
  const full = absoluteTime(d);
  const text = props.millis ? millis.format(d) : props.precise ? full : relativeTime(d, new Date());
  // The exact instant in UTC for the tooltip of an absolute time; the local absolute time for a relative one.
  const tip = props.millis || props.precise ? d.toISOString() : full;
  return (
    <time dateTime={props.iso} title={tip} data-tip={tip} className="time" tabIndex={props.focusable ? 0 : undefined}>
      {text}
    </time>
  );
}
