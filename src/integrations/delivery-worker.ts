import { randomBytes } from 'node:crypto';
import type { EventBus } from '../events/event-bus.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { Db } from '../store/database-types.ts';
import { createAttempter } from './delivery-attempt.ts';
import { createDeliveryContextLoader, type BatchContext } from './delivery-context.ts';
import { createDeliveryFinisher } from './delivery-finisher.ts';
import type { MaskerProvider } from './delivery-log-fns.ts';
import type { DeliveryLogStore } from './delivery-log-store.ts';
import { deadLetterEvent, type DeadLetterStore } from './dead-letter-store.ts';
import { integrationMatches, type Delivery, type DeliveryQueue } from './delivery-queue.ts';
import type { IntegrationRecord, IntegrationStore } from './integration-store.ts';
import { heldBackByClaim } from './delivery-pacing-fns.ts';
import { createDeliveryPacer } from './delivery-pacing.ts';
import type { HostHealth } from './host-health.ts';
import type { SigningKeys } from './signing-keys.ts';
import { retryPolicy, type RetryPolicy } from './webhook/webhook-response-fns.ts';
import type { WebhookSender } from './webhook/webhook-sender.ts';
import type { WorkObserver } from '../metrics/work-metrics.ts';

export interface DeliveryWorkerDeps {
  readonly db: Db;
  readonly queue: DeliveryQueue;
  readonly integrations: IntegrationStore;
  readonly logs: DeliveryLogStore;
  readonly deadLetters: DeadLetterStore;
  /** How long attempts and dead letters are kept (default 7 days). */
  readonly retentionMs?: number;
  readonly resolver: Pick<SecretResolver, 'values' | 'ownerVersion' | 'flush'> & Partial<Pick<SecretResolver, 'recordUse'>>;
  readonly maskers: MaskerProvider;
  readonly sender: WebhookSender;
  readonly bus: Pick<EventBus, 'publish'>;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Sends in flight at once on this node (default 128). */
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  /** Keys of integrations that sign their requests (none: signing integrations fail their attempts). */
  readonly signing?: SigningKeys;
  /** Longest sleep between polls when nothing wakes the worker (default 1 s). */
  readonly pollMs?: number;
  /** How long `stop()` lets sends in flight finish before aborting them (default 2 s). */
  readonly stopGraceMs?: number;
  /** Counts each attempt's outcome and send time (metrics; absent when off). */
  readonly observe?: Pick<WorkObserver, 'delivery'>;
  /** Per-host health: holds deliveries for paused hosts (none: every delivery is sent). */
  readonly hosts?: Pick<HostHealth, 'admit' | 'isPaused'>;
}

/**
 * Claims queued deliveries in batches and sends them outside any transaction. Per batch it
 * reads the integrations, secrets and maskers once; finished attempts are written by the
 * finisher with group commit. Leases of deliveries in flight are renewed while they run,
 * so a slow target is never sent twice; a dead node's leases run out and are claimed here.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const node = randomBytes(8).toString('hex');
  const concurrency = deps.concurrency ?? 128;
  const retry = deps.retry ?? retryPolicy();
  const pollMs = deps.pollMs ?? 1000;
  const leaseMs = deps.queue.leaseMs;
  const expiredEveryMs = Math.max(50, Math.min(leaseMs / 2, 30_000));
  const finisher = createDeliveryFinisher({
    db: deps.db, node, queue: deps.queue, logs: deps.logs, deadLetters: deps.deadLetters, integrations: deps.integrations, bus: deps.bus, logger: deps.logger,
    now: deps.now, retentionMs: deps.retentionMs, beforeWrite: () => deps.resolver.flush(),
  });
  const contexts = createDeliveryContextLoader({ db: deps.db, integrations: deps.integrations, resolver: deps.resolver, maskers: deps.maskers });
  const attempt = createAttempter({ sender: deps.sender, retry, now: deps.now, signing: deps.signing, hosts: deps.hosts });
  const pacer = createDeliveryPacer({ store: deps.queue.pacing, node, now: deps.now, wake: () => wake(), logger: deps.logger });
  /** Claimed and not yet written: the rows whose leases the heartbeat renews. */
  const held = new Set<string>();
  const active = new Set<Promise<void>>();
  let inflight = 0;
  /** Room promised to a publishing transaction that has not committed yet. */
  let reserved = 0;
  let running = false;
  let stopping = false;
  let wakePending = false;
  let wakeUp: (() => void) | null = null;
  let loopDone: Promise<void> = Promise.resolve();
  let heartbeat: NodeJS.Timeout | null = null;

  /** Queued rows may be ready (new work, a retry due, a poll): the next turn claims. */
  let mayHaveWork = true;
  /** Room freed up: the next turn claims only if queued work is known or likely. */
  const nudge = () => {
    wakePending = true;
    wakeUp?.();
  };
  const wake = () => {
    mayHaveWork = true;
    nudge();
  };

  /** Sends one delivery; `sent` frees its slot as soon as the target answered (bookkeeping follows). */
  const deliver = async (d: Delivery, ctx: BatchContext, sent: () => void) => {
    const integration = ctx.integrations.get(d.integrationId);
    const owner = ctx.owners.get(d.owner);
    // Deleted or disabled since the event was accepted: the delivery is dropped.
    if (!integration || !owner || !integrationMatches(integration, d.event)) {
      deps.observe?.delivery('dropped', null);
      await finisher.add({ deliveryId: d.id, integrationId: d.integrationId, owner: d.owner, action: 'drop', log: null, final: null, hookEvents: [] });
      return;
    }
    const a = await attempt(integration, d.event, d.attempts, true, owner, d.createdMs ?? deps.now().getTime());
    sent();
    if (a.outcome === 'held') {
      // Host health: its host is paused; back in the queue, the attempt not counted.
      if (!(await finisher.add({ ...a.finished, deliveryId: d.id, action: 'hold' }))) return;
      // Resumed while this was written: the hold left it due now (see holdLater), so claim it now.
      const heldHost = a.finished.heldHost;
      if (heldHost !== undefined && deps.hosts?.isPaused(heldHost) === false) wake();
      else setTimeout(wake, (a.delay ?? 0) + 1).unref();
      return;
    }
    if (stopping && !a.result.ok) {
      // Aborted by shutdown: hand it back untouched rather than count a failure.
      await deps.queue.release([d.id], node);
      return;
    }
    deps.observe?.delivery(a.outcome === 'success' ? 'sent' : a.outcome === 'retry' ? 'retried' : 'dead', a.result.errorKind === 'invalid' ? null : a.result.durationMs / 1000);
    const links = { eventName: d.event.name, replayOf: d.replayOf ?? null };
    if (a.outcome === 'error') {
      // Retries exhausted or refused (a 4xx that is not retried, the outbound guard): a dead letter.
      const dead = { id: d.id, integrationId: d.integrationId, owner: d.owner, event: d.event, attempts: d.attempts, lastStatus: a.result.status ?? null, lastError: a.finished.log?.error ?? null, deadAt: deps.now().toISOString(), replayOf: links.replayOf };
      const announce = deadLetterEvent(dead, owner.masker);
      const gone = await finisher.add({ ...a.finished, ...links, hookEvents: announce ? [...a.finished.hookEvents, announce] : a.finished.hookEvents, deliveryId: d.id, action: 'dead', dead });
      if (gone && heldBackByClaim(integration.config)) wake(); // the device's next delivery, or a freed in-flight place
      return;
    }
    const written = await finisher.add({ ...a.finished, ...links, deliveryId: d.id, action: a.outcome === 'retry' ? 'retry' : 'complete' });
    if (written && heldBackByClaim(integration.config)) wake();
    // The requeued row is written now: look for it when it comes due.
    if (written && a.outcome === 'retry') setTimeout(wake, (a.delay ?? 0) + 1).unref();
  };

  const runBatch = async (batch: readonly Delivery[]) => {
    // A slot is freed once the send is over; the lease is kept (held) until the outcome is written.
    const freeSlot = (d: Delivery, state: { freed: boolean }) => {
      if (state.freed) return;
      state.freed = true;
      inflight--;
      nudge();
    };
    const settle = (d: Delivery, state: { freed: boolean }) => {
      freeSlot(d, state);
      held.delete(d.id);
    };
    let ctx: BatchContext;
    try {
      ctx = await contexts.forBatch(batch, (i, index) => integrationMatches(i, (batch[index] as Delivery).event));
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'could not prepare webhook deliveries; they will be retried when their leases expire');
      batch.forEach((d) => settle(d, { freed: false }));
      return;
    }
    // Rate-limited deliveries whose slot has not come go back to the queue until it does.
    const go = await pacer.admit(batch, ctx.integrations, (d) => settle(d, { freed: false }));
    await Promise.all(
      go.map((d) => {
        const state = { freed: false };
        return deliver(d, ctx, () => freeSlot(d, state))
          .catch((err: unknown) => deps.logger.error({ err: String(err), delivery: d.id }, 'delivery failed unexpectedly; it will be retried when its lease expires'))
          .finally(() => settle(d, state));
      }),
    );
  };

  const start = (batch: readonly Delivery[]) => {
    inflight += batch.length;
    for (const d of batch) held.add(d.id);
    const p = runBatch(batch).finally(() => active.delete(p));
    active.add(p);
  };

  const loop = async () => {
    let lastExpiredCheck = 0;
    let lastClaimFull = false;
    while (running) {
      wakePending = false;
      let claimed = 0;
      try {
        if (Date.now() - lastExpiredCheck >= expiredEveryMs && inflight + reserved < concurrency) {
          lastExpiredCheck = Date.now();
          const expired = await deps.queue.claimExpired(node, concurrency - inflight - reserved);
          if (expired.length > 0) start(expired);
          claimed += expired.length;
        }
        // Under load, claim in chunks rather than one row per finished send; when the last
        // claim emptied the queue, wait for news of work instead of asking again.
        const room = concurrency - inflight - reserved;
        if (mayHaveWork && room >= (lastClaimFull ? Math.max(1, Math.floor(concurrency / 4)) : 1)) {
          mayHaveWork = false;
          const ready = await deps.queue.claim(node, room);
          lastClaimFull = ready.length === room;
          if (lastClaimFull) mayHaveWork = true;
          if (ready.length > 0) start(ready);
          claimed += ready.length;
        }
      } catch (err) {
        deps.logger.warn({ err: String(err) }, 'claiming deliveries failed');
      }
      if (!running) break;
      if (wakePending || (lastClaimFull && claimed > 0 && inflight < concurrency)) continue;
      // Wake-ups come from new work, finished sends and retry timers; the poll covers other nodes' retries.
      const untilExpiredCheck = inflight < concurrency ? lastExpiredCheck + expiredEveryMs - Date.now() : pollMs;
      const sleepMs = Math.max(2, Math.min(pollMs, untilExpiredCheck));
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          mayHaveWork = true; // other nodes' retries come due without a wake-up
          resolve();
        }, sleepMs);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = null;
    }
  };

  const renewLeases = () => {
    if (held.size === 0) return;
    void deps.queue.extend([...held], node).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'could not renew delivery leases'));
  };

  return {
    node,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      heartbeat = setInterval(renewLeases, Math.max(50, Math.floor(leaseMs / 3)));
      heartbeat.unref();
      loopDone = loop();
    },
    wake,
    /** Room for `n` deliveries of a publishing transaction (see `LocalWorker`). */
    reserve(n: number): number {
      if (!running) return 0;
      const k = Math.max(0, Math.min(n, concurrency - inflight - reserved));
      reserved += k;
      return k;
    },
    /** Deliveries committed already leased to this node. */
    accept(batch: readonly Delivery[]): void {
      reserved = Math.max(0, reserved - batch.length);
      if (running) {
        start(batch);
        return;
      }
      void deps.queue.release(batch.map((d) => d.id), node).catch(() => undefined); // stopping: the lease would expire anyway
    },
    unreserve(n: number): void {
      reserved = Math.max(0, reserved - n);
    },
    /** Stops claiming, lets sends finish for a grace period, aborts the rest and hands them back. */
    async stop() {
      running = false;
      wakeUp?.();
      await loopDone;
      const all = Promise.allSettled([...active]);
      const grace = new Promise<'late'>((r) => setTimeout(() => r('late'), deps.stopGraceMs ?? 2000).unref());
      if ((await Promise.race([all, grace])) === 'late') {
        stopping = true;
        await deps.sender.destroy();
      }
      await all;
      await finisher.idle();
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
    },
    inflight: () => inflight,
    /** `POST …/integrations/:id/test`: one immediate attempt, logged, without retries. */
    async test(integration: IntegrationRecord, hush: HushEvent, opts: { readonly pending?: boolean } = {}) {
      const owner = await contexts.forOwner(hush.owner, integration.config.secrets, opts);
      const a = await attempt(integration, hush, 1, false, owner);
      await finisher.add({ ...a.finished, deliveryId: null, action: 'none', eventName: hush.name });
      await finisher.idle();
      return {
        pass: a.result.ok,
        status: a.result.status ?? null,
        data: (a.result.body ?? '').slice(0, 2048), // masked by the attempt
        error: a.result.ok ? null : owner.masker.mask(a.result.error ?? `HTTP ${a.result.status}`),
      };
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
