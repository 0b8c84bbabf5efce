import { createHash, randomBytes } from 'node:crypto';
import type { EventBus } from '../events/event-bus.ts';
import type { PublishInput } from '../events/event-types.ts';
import type { Logger } from '../logging/logger.ts';
import type { TextMasker } from '../masking/masking-types.ts';
import type { Db } from '../store/database-types.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import type { HostHealthStore, PausedHost } from './host-health-store.ts';
import { createHostWindows, HOST_WINDOW_DEFAULTS, hostAnswered, hostSignal, nextProbeIntervalMs, type HostWindowConfig, type WindowCounts } from './host-window-fns.ts';
import type { SendResult } from './webhook/webhook-types.ts';

export const HOST_PAUSED_EVENT = 'hush/host/paused';
export const HOST_RESUMED_EVENT = 'hush/host/resumed';

export interface HostHealthConfig extends HostWindowConfig {
  /** First wait before probing a paused host; doubled after each failed probe… */
  readonly probeMs: number;
  /** …up to this. */
  readonly probeMaxMs: number;
  /** A delivery held back longer than this (since it was queued) becomes a dead letter. */
  readonly maxAgeMs: number;
}

export const HOST_HEALTH_DEFAULTS: HostHealthConfig = { ...HOST_WINDOW_DEFAULTS, probeMs: 10_000, probeMaxMs: 300_000, maxAgeMs: 86_400_000 };

/**
 * What the attempt does about its host: `send` it (and report the outcome with `done`, which
 * answers true when that outcome paused the host: the attempt announces it); `hold` it back
 * without counting an attempt, to be looked at again after `delayMs`; or give it up as
 * `expired` (held for longer than the limit: a dead letter).
 */
export type HostPass =
  | { readonly kind: 'send'; done(result: SendResult): Promise<boolean> }
  | { readonly kind: 'hold'; readonly hostId: string; readonly delayMs: number }
  | { readonly kind: 'expired' };

export interface HostHealthDeps {
  readonly db: Db;
  readonly store: HostHealthStore;
  readonly queue: Pick<DeliveryQueue, 'releaseHeld'>;
  readonly bus: Pick<EventBus, 'publish'>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Names this node's probes (default: random). */
  readonly node?: string;
  readonly config?: Partial<HostHealthConfig>;
  /** After a pause or a resume: other nodes re-read the paused hosts (and, after a resume, claim the released deliveries). */
  readonly changed: (what: 'paused' | 'resumed') => void;
  /** How often this node re-reads the paused hosts anyway (default 1 s). */
  readonly refreshMs?: number;
  /** How long a probe may take before another node may probe (default 60 s). */
  readonly probeLeaseMs?: number;
}

/** Health is kept per owner and host name: one tenant's failing integrations never pause another tenant's sends. */
export const hostKey = (owner: string, hostname: string): string => createHash('sha256').update(`${owner}\0${hostname}`).digest('hex').slice(0, 32);

/** `hostKey` once per owner and host name (every delivery asks), forgotten wholesale past 10,000 entries. */
function memoHostKey(): (owner: string, hostname: string) => string {
  const keys = new Map<string, string>();
  return (owner, hostname) => {
    const k = `${owner}\0${hostname}`;
    let key = keys.get(k);
    if (key === undefined) {
      if (keys.size >= 10_000) keys.clear();
      keys.set(k, (key = hostKey(owner, hostname)));
    }
    return key;
  };
}

/** `hush/host/paused` and `hush/host/resumed`: the masked host name and counts, never a secret value. */
export function hostEvent(kind: 'paused' | 'resumed', h: PausedHost, extra: Readonly<Record<string, unknown>> = {}): PublishInput {
  const data = kind === 'paused'
    ? { host_id: h.id, host: h.host, errors: h.errors, successes: h.successes, last_error: h.lastError, next_probe_at: new Date(h.probeAtMs).toISOString(), ...extra }
    : { host_id: h.id, host: h.host, paused_at: new Date(h.pausedAtMs).toISOString(), ...extra };
  return { owner: h.owner, name: kind === 'paused' ? HOST_PAUSED_EVENT : HOST_RESUMED_EVENT, data: JSON.stringify(data), source: 'system', coreid: 'hush' };
}

const hostnameOf = (url: string): string | null => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
};

/** A held delivery is looked at again no sooner than this. */
const MIN_HOLD_MS = 50;
const UNCOUNTED: HostPass = { kind: 'send', done: async () => false };

/**
 * Per-host health, improving on Particle's sleep. Each node counts its attempts' outcomes per
 * host in memory (host-window-fns.ts); when errors outnumber successes over the window it
 * pauses the host in the shared `host_health` table, which every node re-reads (and is told
 * to re-read), so the cluster agrees. Deliveries for a paused host are held back in the queue
 * without counting an attempt; once a probe is due, one node claims it in the table and sends
 * one held delivery; an answer resumes the host (held deliveries become due at once), a failure
 * doubles the wait. Nothing is dropped: a delivery held longer than `maxAgeMs` is a dead letter.
 */
export function createHostHealth(deps: HostHealthDeps) {
  const cfg: HostHealthConfig = { ...HOST_HEALTH_DEFAULTS, ...deps.config };
  const probeLeaseMs = deps.probeLeaseMs ?? 60_000;
  const node = deps.node ?? randomBytes(8).toString('hex');
  const windows = createHostWindows(cfg);
  const keyOf = memoHostKey();
  let paused = new Map<string, PausedHost>();
  /** Probe claims this node is asking the table about (the other held deliveries wait). */
  const claiming = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const nowMs = () => deps.now().getTime();
  const warn = (what: string) => (err: unknown) => deps.logger.warn({ err: String(err) }, what);
  const publish = (e: PublishInput) => void deps.bus.publish(e).catch(warn('could not publish a host health event'));

  const refresh = async (): Promise<void> => {
    const next = new Map((await deps.store.all()).map((h) => [h.id, h]));
    // Resumed elsewhere: this node's old errors must not pause the host again at once.
    for (const id of paused.keys()) if (!next.has(id)) windows.reset(id);
    paused = next;
    windows.sweep(nowMs());
  };

  const trip = async (owner: string, id: string, hostname: string, masker: TextMasker, counts: WindowCounts, result: SendResult): Promise<boolean> => {
    const now = nowMs();
    const h = {
      id, owner, host: masker.mask(hostname), pausedAtMs: now, errors: counts.errors, successes: counts.oks,
      lastError: masker.mask(result.error ?? `HTTP ${result.status}`), probeAtMs: now + cfg.probeMs, probeIntervalMs: cfg.probeMs,
    };
    if (!paused.has(id)) paused.set(id, { ...h, probes: 0, probeUntilMs: null });
    const first = await deps.store.pause(h);
    if (first) {
      deps.logger.warn({ host: h.host, errors: h.errors, successes: h.successes }, 'webhook target host paused: too many errors');
      publish(hostEvent('paused', { ...h, probes: 0, probeUntilMs: null }));
      deps.changed('paused');
    }
    return first;
  };

  /** Ends a pause (a probe answered, or an administrator said so); null when it was not paused. */
  const resume = async (id: string, by: 'probe' | 'administrator'): Promise<PausedHost | null> => {
    const row = await deps.db.transaction().execute(async (trx) => {
      const r = await deps.store.resume(trx, id);
      if (r) await deps.queue.releaseHeld(trx, id);
      return r;
    });
    paused.delete(id);
    windows.reset(id);
    if (row) {
      deps.logger.info({ host: row.host, by }, 'webhook target host resumed');
      publish(hostEvent('resumed', row, { by }));
      deps.changed('resumed');
    }
    return row;
  };

  const probed = async (h: PausedHost, result: SendResult, masker: TextMasker): Promise<void> => {
    if (hostAnswered(result)) {
      await resume(h.id, 'probe');
      return;
    }
    const now = nowMs();
    const interval = nextProbeIntervalMs(h.probeIntervalMs, cfg.probeMaxMs);
    await deps.store.probeFailed(h.id, node, now, interval, masker.mask(result.error ?? `HTTP ${result.status}`));
    if (paused.has(h.id)) paused.set(h.id, { ...h, probeAtMs: now + interval, probeIntervalMs: interval, probeUntilMs: null });
  };

  /** The probe, when it is due and this node gets it. */
  const claimProbe = async (h: PausedHost, now: number): Promise<boolean> => {
    if (h.probeAtMs > now || (h.probeUntilMs !== null && h.probeUntilMs >= now) || claiming.has(h.id)) return false;
    claiming.add(h.id);
    try {
      const mine = await deps.store.claimProbe(h.id, node, now, probeLeaseMs);
      // Lost: another node probes; look again once its probe should be over.
      if (paused.has(h.id)) paused.set(h.id, { ...h, probeUntilMs: mine ? now + probeLeaseMs : now + h.probeIntervalMs });
      return mine;
    } finally {
      claiming.delete(h.id);
    }
  };

  return {
    config: cfg,
    /** What to do with a delivery about to be sent to `url` for `owner`, queued at `queuedAtMs`. */
    async admit(input: { readonly owner: string; readonly url: string; readonly masker: TextMasker; readonly queuedAtMs: number }): Promise<HostPass> {
      const hostname = cfg.minSamples > 0 ? hostnameOf(input.url) : null;
      if (hostname === null) return UNCOUNTED;
      const id = keyOf(input.owner, hostname);
      const h = paused.get(id);
      if (h === undefined) {
        return {
          kind: 'send',
          async done(result) {
            const signal = hostSignal(result);
            if (signal === 'none' || paused.has(id)) return false;
            const counts = windows.record(id, signal === 'ok', nowMs());
            return counts === null ? false : trip(input.owner, id, hostname, input.masker, counts, result).catch((err: unknown) => (warn('could not pause a webhook target host')(err), false));
          },
        };
      }
      const now = nowMs();
      if (now - input.queuedAtMs >= cfg.maxAgeMs) return { kind: 'expired' };
      if (await claimProbe(h, now).catch((err: unknown) => (warn('could not claim a host probe')(err), false))) {
        return { kind: 'send', done: async (result) => (await probed(h, result, input.masker).catch(warn('could not record a host probe')), false) };
      }
      const untilProbe = h.probeAtMs > now ? h.probeAtMs - now : h.probeIntervalMs;
      return { kind: 'hold', hostId: id, delayMs: Math.max(MIN_HOLD_MS, Math.min(untilProbe, input.queuedAtMs + cfg.maxAgeMs - now)) };
    },
    /** The paused hosts of an owner, read from the table (what every node agrees on). */
    list: (owner: string): Promise<PausedHost[]> => deps.store.ofOwner(owner),
    /** Whether this node still holds `id` paused (a resume here or a refresh after one elsewhere ends it). */
    isPaused: (id: string): boolean => paused.has(id),
    resume,
    /** Re-reads the paused hosts now (another node paused or resumed one). */
    refresh: (): Promise<void> => refresh().catch(warn('could not read the paused hosts')),
    start(): void {
      if (timer) return;
      void refresh().catch(warn('could not read the paused hosts'));
      timer = setInterval(() => void refresh().catch(warn('could not read the paused hosts')), deps.refreshMs ?? 1000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type HostHealth = ReturnType<typeof createHostHealth>;
