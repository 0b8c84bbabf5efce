import type { AuditService } from '../audit/audit-service.ts';
import type { Broadcaster } from '../events/broadcaster.ts';
import type { EnvReader } from '../env/env-service.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { ProductService } from '../events/product-service.ts';
import type { MaskerProvider } from '../integrations/delivery-log-fns.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Db, Dialect } from '../store/database-types.ts';
import type { ApiCallDeps } from './logic-api-calls.ts';
import type { LedgerCallDeps } from './logic-ledger-calls.ts';
import { createLogicHost } from './logic-host.ts';
import { createLogicJobs } from './logic-jobs.ts';
import { createLedgerTriggerHook } from './logic-ledger-triggers.ts';
import type { LedgerChangeHook } from '../ledger/ledger-types.ts';
import { createLogicRunner } from './logic-runner.ts';
import { createLogicScheduler } from './logic-scheduler.ts';
import { createLogicService, type LogicLimits } from './logic-service.ts';
import { createLogicStore } from './logic-store.ts';
import { createLogicRuntime, type RunLimits } from './runtime/index.ts';
import type { WorkObserver } from '../metrics/work-metrics.ts';

export interface LogicModuleDeps {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly secretStore: SecretStore;
  readonly audit: Pick<AuditService, 'record'>;
  readonly resolver: Pick<SecretResolver, 'values' | 'ownerVersion'> & Partial<Pick<SecretResolver, 'recordUse'>>;
  readonly maskers: MaskerProvider;
  /** The owner's products, which triggers may name. */
  readonly products: Pick<ProductService, 'list'>;
  readonly bus: EventBus;
  readonly broadcaster: Broadcaster;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly limits?: Partial<LogicLimits>;
  readonly runLimits?: Partial<RunLimits>;
  readonly workers?: number;
  /** Most sandbox workers one owner may occupy at once (HUSH_LOGIC_MAX_PER_OWNER; default workers − 1, at least 1). */
  readonly maxPerOwner?: number;
  readonly schedulerIntervalMs?: number;
  /** How long a claimed run stays leased before another node may run it (default 120 s). */
  readonly leaseMs?: number;
  /** Most runs waiting in all / for one owner before publishing answers 429. */
  readonly maxQueued?: number;
  readonly maxQueuedPerOwner?: number;
  /** Run metrics (none when off). */
  readonly observe?: WorkObserver;
  /** The rolled-out environment variables given to functions with `use_env` (none without). */
  readonly env?: EnvReader;
  /** The Ledger services `Particle.ledger` calls (absent: it throws inside runs). */
  readonly ledger?: LedgerCallDeps;
  /** Where LedgerChange triggers register their port (absent: they never fire). */
  readonly ledgerChanges?: { onInstanceChange(hook: LedgerChangeHook): void };
  /** What the `particle:core` cloud API helpers read (absent: they throw inside runs). */
  readonly api?: ApiCallDeps;
}

/** Builds Logic: sandbox runtime, service, durable run queue and cron scheduler (routes are registered from `services`). */
export function buildLogicModule(deps: LogicModuleDeps) {
  const runtime = createLogicRuntime({ workers: deps.workers, maxPerOwner: deps.maxPerOwner });
  deps.observe?.sandboxes(() => runtime.occupancy());
  const store = createLogicStore();
  const host = createLogicHost({ ledger: deps.ledger, api: deps.api, logger: deps.logger });
  const runner = createLogicRunner({ runtime, resolver: deps.resolver, maskers: deps.maskers, bus: deps.bus, logger: deps.logger, limits: deps.runLimits, observe: deps.observe, env: deps.env, host });
  const service = createLogicService({
    db: deps.db, store, secrets: deps.secretStore, audit: deps.audit, runtime, runner, maskers: deps.maskers, products: deps.products, now: deps.now,
    ledgers: deps.ledger?.definitions,
    limits: { maxFunctions: deps.limits?.maxFunctions ?? 20, maxTriggers: deps.limits?.maxTriggers ?? 5 },
  });
  const wakeAll = () => void deps.broadcaster.wake('logic').catch(() => undefined);
  const jobs = createLogicJobs({ db: deps.db, dialect: deps.dialect, store, runner, logger: deps.logger, now: deps.now, onQueued: wakeAll, leaseMs: deps.leaseMs,
    maxQueued: deps.maxQueued, maxQueuedPerOwner: deps.maxQueuedPerOwner,
  });
  const scheduler = createLogicScheduler({ db: deps.db, logger: deps.logger, now: deps.now, onQueued: wakeAll, intervalMs: deps.schedulerIntervalMs });
  deps.broadcaster.onWake((c) => {
    if (c === 'logic' || c === '*') jobs.wake();
  });
  deps.bus.addSink(jobs.sink);
  deps.ledgerChanges?.onInstanceChange(createLedgerTriggerHook({ store, gate: jobs.gate, now: deps.now, onQueued: () => {
    jobs.wake();
    wakeAll();
  } }));
  return {
    services: { logic: service },
    service,
    store,
    runtime,
    scheduler,
    jobs,
    start() {
      jobs.start();
      scheduler.start();
    },
    async close() {
      scheduler.stop();
      await jobs.stop();
      await runtime.close();
    },
  };
}

export type LogicModule = ReturnType<typeof buildLogicModule>;
