import type { AuditService } from '../audit/audit-service.ts';
import type { Broadcaster } from '../events/broadcaster.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Db, Dialect } from '../store/database-types.ts';
import type { MaskerProvider } from './delivery-log-fns.ts';
import { createDeadLetterStore } from './dead-letter-store.ts';
import { createDeliveryHistoryService } from './delivery-history-service.ts';
import { createDeliveryLogStore } from './delivery-log-store.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { createDeliveryWorker } from './delivery-worker.ts';
import { createHostHealth, type HostHealthConfig } from './host-health.ts';
import { createHostHealthService } from './host-health-service.ts';
import { createHostHealthStore } from './host-health-store.ts';
import { createIntegrationService } from './integration-service.ts';
import { createIntegrationStore } from './integration-store.ts';
import { createSigningKeys } from './signing-keys.ts';
import { retryPolicy } from './webhook/webhook-response-fns.ts';
import { createWebhookSender } from './webhook/webhook-sender.ts';
import type { WorkObserver } from '../metrics/work-metrics.ts';

export interface IntegrationsModuleDeps {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly secretStore: SecretStore;
  readonly audit: Pick<AuditService, 'record'>;
  readonly resolver: Pick<SecretResolver, 'values' | 'ownerVersion' | 'flush' | 'recentValues'> & Partial<Pick<SecretResolver, 'recordUse'>>;
  readonly maskers: MaskerProvider;
  readonly bus: EventBus;
  readonly broadcaster: Broadcaster;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
  readonly retryDelaysMs?: readonly number[];
  /** How long a replaced signing key keeps signing beside the new one (default 24 h). */
  readonly signingOverlapMs?: number;
  /** How long delivery attempts and dead letters are kept (default 7 days). */
  readonly deadLetterRetentionMs?: number;
  readonly maxQueued?: number;
  readonly maxQueuedPerOwner?: number;
  readonly leaseMs?: number;
  readonly concurrency?: number;
  /** Delivery metrics (none when off). */
  readonly observe?: WorkObserver;
  /** How long sends in flight may finish when the node stops (default 2 s). */
  readonly stopGraceMs?: number;
  /** Per-host health: window, threshold, probe backoff, how long deliveries wait (HUSH_HOST_HEALTH_*). */
  readonly hostHealth?: Partial<HostHealthConfig>;
}

/** Builds webhook integrations: service, durable queue and worker (routes are registered from `services`). */
export function buildIntegrationsModule(deps: IntegrationsModuleDeps) {
  const store = createIntegrationStore();
  const queue = createDeliveryQueue({ db: deps.db, dialect: deps.dialect, integrations: store, now: deps.now, maxQueued: deps.maxQueued, maxQueuedPerOwner: deps.maxQueuedPerOwner, leaseMs: deps.leaseMs });
  const logs = createDeliveryLogStore(deps.db);
  const deadLetters = createDeadLetterStore(deps.db);
  const sender = createWebhookSender({ allowPrivate: deps.allowPrivate, timeoutMs: deps.timeoutMs });
  const signing = createSigningKeys({ resolver: deps.resolver, overlapMs: deps.signingOverlapMs, nowMs: () => deps.now().getTime() });
  // A pause or resume on any node: every node re-reads the paused hosts (and claims what a resume released).
  const hostHealth = createHostHealth({
    db: deps.db, store: createHostHealthStore(deps.db), queue, bus: deps.bus, logger: deps.logger, now: deps.now, config: deps.hostHealth,
    changed: () => void deps.broadcaster.wake('hosts').catch(() => undefined),
  });
  const worker = createDeliveryWorker({
    db: deps.db, queue, integrations: store, logs, deadLetters, retentionMs: deps.deadLetterRetentionMs, resolver: deps.resolver, maskers: deps.maskers, sender, bus: deps.bus,
    logger: deps.logger, now: deps.now, retry: retryPolicy(deps.retryDelaysMs), signing, concurrency: deps.concurrency, stopGraceMs: deps.stopGraceMs, observe: deps.observe,
    hosts: hostHealth,
  });
  const service = createIntegrationService({ db: deps.db, store, secrets: deps.secretStore, audit: deps.audit, logs, tester: worker, now: deps.now });
  const deliveryHistory = createDeliveryHistoryService({ integrations: service, audit: deps.audit, logs, deadLetters, queue });
  const hostHealthService = createHostHealthService({ audit: deps.audit, health: hostHealth });
  // New deliveries go straight to this node's worker while it has room; queued ones wake
  // every node's worker: locally at once, elsewhere through NOTIFY (one per tick).
  queue.attachLocalWorker({ node: worker.node, reserve: worker.reserve, accept: worker.accept, unreserve: worker.unreserve });
  let wakeQueued = false;
  queue.onQueued(() => {
    if (wakeQueued) return;
    wakeQueued = true;
    setImmediate(() => {
      wakeQueued = false;
      void deps.broadcaster.wake('deliveries').catch(() => undefined);
    });
  });
  deps.broadcaster.onWake((channel) => {
    if (channel === 'deliveries' || channel === '*') worker.wake();
    if (channel === 'hosts') void hostHealth.refresh().then(worker.wake);
  });
  deps.bus.addSink(queue.sink);
  return {
    services: { integrations: service, deliveryHistory, hostHealth: hostHealthService },
    service,
    store,
    queue,
    logs,
    worker,
    start() {
      hostHealth.start();
      worker.start();
    },
    async close() {
      await worker.stop();
      hostHealth.stop();
      await sender.close().catch(() => undefined); // already destroyed when stop() had to abort sends
    },
  };
}

export type IntegrationsModule = ReturnType<typeof buildIntegrationsModule>;
