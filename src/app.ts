import type { AuditStream } from './audit/audit-stream.ts';
import type { PasswordParams } from './auth/password-fns.ts';
import type { HushConfig } from './config/config.ts';
import type { AuditService } from './audit/audit-service.ts';
import type { AuditTrailService } from './audit/audit-trail-service.ts';
import type { AuthService } from './auth/auth-service.ts';
import type { CryptoService } from './crypto/crypto-service.ts';
import type { OrgService } from './orgs/org-service.ts';
import type { SecretResolver } from './secrets/secret-resolver.ts';
import type { SecretService } from './secrets/secret-service.ts';
import type { SecretRotationService } from './secrets/secret-rotation-service.ts';
import type { SecretImportService } from './secrets/secret-import-service.ts';
import { buildAuditModule } from './audit/index.ts';
import { buildAuthModule } from './auth/index.ts';
import { buildOrgsModule } from './orgs/index.ts';
import { buildSecretsModule } from './secrets/index.ts';
import type { HushModule } from './shared/module-types.ts';
import type { KeySource } from './crypto/keyring.ts';
import type { Logger } from './logging/logger.ts';
import { buildEnvModule, type EnvModule } from './env/index.ts';
import { buildLedgerModule, type LedgerModule } from './ledger/index.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { secretChangeEvent, secretReminderEvent } from './secrets/secret-event-fns.ts';
import type { ExpiryReminder, ExpirySweep } from './secrets/secret-expiry-sweep.ts';
import type { SecretChange } from './secrets/secret-types.ts';
import type { StoreHandle } from './store/open-store.ts';
import type { Broadcaster } from './events/broadcaster.ts';
import type { EventBus } from './events/event-bus.ts';
import { buildEventsModule } from './events/index.ts';
import type { EventService } from './events/event-service.ts';
import type { ProductService } from './events/product-service.ts';
import type { SseOptions } from './events/sse-routes.ts';
import { buildIntegrationsModule, type IntegrationsModule } from './integrations/index.ts';
import { createMasker, createMaskerCache } from './masking/index.ts';
import { createMetricsService, type MetricsService } from './metrics/metrics-service.ts';
import { buildLogicModule, type LogicModule } from './logic/index.ts';
import type { MaskerProvider } from './integrations/delivery-log-fns.ts';

/** Every domain service, built once per process. */
export interface HushServices {
  readonly store: StoreHandle;
  readonly crypto: CryptoService;
  readonly auth: AuthService;
  readonly orgs: OrgService;
  readonly audit: AuditService;
  readonly trail: AuditTrailService;
  readonly secrets: SecretService;
  /** Staged rotation and expiry settings. */
  readonly secretRotation: SecretRotationService;
  /** `hush secrets import` (admin CLI). */
  readonly secretImport: SecretImportService;
  readonly resolver: SecretResolver;
  readonly secretStore: SecretStore;
  /** Registers a callback run after any secret change on this node commits. */
  onSecretsChange(fn: (owner: string, change: SecretChange) => void): void;
  /** Expiry reminders: the sweep (tests run one with `sweep()`) and its start on a node. */
  readonly expirySweep: ExpirySweep;
  startExpiryReminders(publish: (r: ExpiryReminder) => Promise<void>, onError?: (err: unknown) => void): void;
  /** The domain modules in build order (closed in reverse). */
  readonly modules: ReadonlyArray<HushModule<unknown>>;
}

export interface ServiceOptions {
  readonly store: StoreHandle;
  readonly keySource: KeySource;
  readonly now?: () => Date;
  /** scrypt cost of new password hashes (config `HUSH_PASSWORD_SCRYPT_N`; production default). */
  readonly passwordParams?: PasswordParams;
  /** Audit sinks besides the database (closed by `audit.close()`). */
  readonly auditStream?: AuditStream;
  /** How often a node sweeps for expiry reminders (default 60 s). */
  readonly expirySweepMs?: number;
}

/** Builds the domain services on an open store (used by the server and the admin CLI). */
export function createServices(opts: ServiceOptions): HushServices {
  const { db } = opts.store;
  const now = opts.now ?? (() => new Date());
  const authModule = buildAuthModule({ db, now, passwordParams: opts.passwordParams });
  const { auth } = authModule.services;
  const auditModule = buildAuditModule({ db, now, stream: opts.auditStream, auth });
  const { audit, trail } = auditModule.services;
  const orgsModule = buildOrgsModule({ db, auth, audit, now });
  const secretsModule = buildSecretsModule({ db, keySource: opts.keySource, audit, auth, now, expirySweepMs: opts.expirySweepMs });
  const { secrets, secretRotation, secretImport, resolver, crypto } = secretsModule.services;
  return {
    store: opts.store, crypto, auth, orgs: orgsModule.services.orgs, audit, trail, secrets, secretRotation, secretImport, resolver, secretStore: secretsModule.secretStore,
    onSecretsChange: secretsModule.onChange,
    expirySweep: secretsModule.expirySweep,
    startExpiryReminders: secretsModule.startExpiryReminders,
    modules: [authModule, auditModule, orgsModule, secretsModule],
  };
}

/** The services that move events: the bus, products and the node's broadcaster. */
export interface NodeServices {
  readonly broadcaster: Broadcaster;
  readonly bus: EventBus;
  readonly products: ProductService;
  readonly events: EventService;
  readonly maskers: MaskerProvider;
  /** Prometheus metrics; null unless HUSH_METRICS=1. */
  readonly metrics: MetricsService | null;
  readonly integrations: IntegrationsModule;
  readonly logic: LogicModule;
  readonly ledger: LedgerModule;
  readonly env: EnvModule;
  /** Event-stream limits (tests shorten the re-check interval). */
  readonly sse: SseOptions;
  /** The node's modules in build order: started once it listens, closed in reverse. */
  readonly modules: ReadonlyArray<HushModule<unknown>>;
}

/** Tunables of a node that tests and benchmarks change (all have production defaults). */
export interface NodeOptions {
  readonly now?: () => Date;
  readonly retryDelaysMs?: readonly number[];
  /** How long a replaced webhook signing key keeps signing beside the new one (default 24 h). */
  readonly signingOverlapMs?: number;
  readonly webhookTimeoutMs?: number;
  /** Most deliveries, and separately Logic runs, waiting at once (default 100,000)… */
  readonly maxQueued?: number;
  /** …and for one owner (default half of that). */
  readonly maxQueuedPerOwner?: number;
  readonly leaseMs?: number;
  /** Lease of a claimed Logic run (default 120 s). */
  readonly logicLeaseMs?: number;
  readonly logicTimeoutMs?: number;
  /** Sandbox worker threads (default min(2, cores)). */
  readonly logicWorkers?: number;
  readonly schedulerIntervalMs?: number;
  /** How often open event streams re-check their token (default 30 s). */
  readonly sseRecheckMs?: number;
  /** Most event streams per user on this node (default 100). */
  readonly sseMaxPerUser?: number;
  /** How long webhook sends in flight may finish when the node stops (default 2 s). */
  readonly stopGraceMs?: number;
}

export function createNodeServices(services: HushServices, broadcaster: Broadcaster, config: HushConfig, logger: Logger, opts: NodeOptions = {}): NodeServices {
  const now = opts.now ?? (() => new Date());
  const { db, dialect } = services.store;
  const eventsModule = buildEventsModule({ db, broadcaster, logger, now, orgs: services.orgs, audit: services.audit });
  const { bus, products, events } = eventsModule.services;
  // Change events follow the commit (the change itself is already durable); a refused
  // publish (full queue) is logged, never turned into a failed secret write.
  services.onSecretsChange((_owner, change) =>
    void bus.publish(secretChangeEvent(change)).catch((err: unknown) => logger.warn({ err: String(err), event: change.kind }, 'secret change event not published')));
  // Keyed by the owner's change counter, read from the database on each use: a secret
  // changed through any node is known to every node's masker before it logs again.
  const metrics = config.metrics ? createMetricsService({ pgPool: services.store.pgPool, db, now: () => now().getTime() }) : null;
  const maskers = createMaskerCache(
    { load: (owner) => services.resolver.allValues(owner), getVersion: (owner) => services.resolver.ownerVersion(owner) },
    metrics ? { build: (values) => metrics.timeMaskerBuild(() => createMasker(values)) } : {},
  );
  const integrations = buildIntegrationsModule({
    db, dialect, secretStore: services.secretStore, audit: services.audit, resolver: services.resolver, maskers, bus, broadcaster, logger, now,
    allowPrivate: config.allowPrivateWebhooks, timeoutMs: opts.webhookTimeoutMs, retryDelaysMs: opts.retryDelaysMs, signingOverlapMs: opts.signingOverlapMs, deadLetterRetentionMs: config.deadLetterRetentionDays === undefined ? undefined : config.deadLetterRetentionDays * 86_400_000, maxQueued: opts.maxQueued, leaseMs: opts.leaseMs,
    maxQueuedPerOwner: opts.maxQueuedPerOwner, stopGraceMs: opts.stopGraceMs, observe: metrics?.work, hostHealth: config.hostHealth,
  });
  const env = buildEnvModule({ db, audit: services.audit, orgs: services.orgs, now });
  const ledger = buildLedgerModule({ db, audit: services.audit, products, now, keepVersions: config.ledgerVersionsKept ?? undefined });
  const logic = buildLogicModule({
    ledger: { definitions: ledger.services.ledgerDefinitions, instances: ledger.services.ledgerInstances }, ledgerChanges: ledger,
    api: { products, integrations: integrations.service, orgs: services.orgs },
    env: env.reader, db, dialect, secretStore: services.secretStore, audit: services.audit, resolver: services.resolver, maskers, products, bus, broadcaster, logger, now,
    runLimits: opts.logicTimeoutMs ? { timeoutMs: opts.logicTimeoutMs } : undefined, schedulerIntervalMs: opts.schedulerIntervalMs,
    leaseMs: opts.logicLeaseMs, maxQueued: opts.maxQueued, maxQueuedPerOwner: opts.maxQueuedPerOwner, observe: metrics?.work,
    workers: opts.logicWorkers, maxPerOwner: config.logicMaxPerOwner ?? undefined,
  });
  // Started once the node listens, stopped before the bus closes.
  const expiryReminders = {
    services: {},
    start: () => services.startExpiryReminders(
      async (r) => void (await bus.publish(secretReminderEvent(r))),
      (err) => logger.warn({ err: String(err) }, 'secret expiry reminders: sweep failed'),
    ),
    close: () => services.expirySweep.stop(),
  };
  return {
    broadcaster, bus, products, events, maskers, metrics, integrations, logic, ledger, env, sse: { recheckMs: opts.sseRecheckMs, maxPerUser: opts.sseMaxPerUser },
    modules: [eventsModule, integrations, env, ledger, logic, expiryReminders],
  };
}
