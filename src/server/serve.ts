import type { FastifyInstance } from 'fastify';
import { createNodeServices, type HushServices, type NodeOptions, type NodeServices } from '../app.ts';
import { createHushApp } from './hush-app.ts';
import { createReadiness } from '../http/health-routes.ts';
import { createLocalBroadcaster, type Broadcaster } from '../events/broadcaster.ts';
import { eventById, insertEvent } from '../events/event-log-store.ts';
import { createPgBroadcaster } from '../events/pg-broadcaster.ts';
import type { HushConfig } from '../config/config.ts';
import type { DestinationStream } from 'pino';
import { createServerLogMasker, type ServerLogMasker } from '../logging/log-masker.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { closeServices, openRuntime } from './runtime.ts';

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly services: HushServices;
  readonly node: NodeServices;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions extends NodeOptions {
  readonly logger?: Logger;
  /** Where the (masked) server log goes; default stdout. Ignored when `logger` is given. */
  readonly logDestination?: DestinationStream;
  readonly pgSchema?: string;
}

/** Starts Hush: store, services, HTTP. Resolves once it listens. */
export async function startServer(config: HushConfig, opts: StartOptions = {}): Promise<RunningServer> {
  let logMasker: ServerLogMasker | null = null;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, destination: opts.logDestination, filter: () => logMasker?.filter ?? null });
  const services = await openRuntime(config, { pgSchema: opts.pgSchema, now: opts.now, onAuditError: (m) => logger.warn(m) });
  logMasker = createServerLogMasker({ loadAll: () => services.resolver.everyValue(), version: () => services.resolver.globalVersion() });
  await logMasker.start(logger);
  services.onSecretsChange(() => logMasker?.refreshSoon());
  let app: FastifyInstance;
  let broadcaster: Broadcaster | null = null;
  let node: NodeServices;
  const readiness = createReadiness();
  try {
    broadcaster = await createBroadcaster(services, logger, opts.pgSchema);
    node = createNodeServices(services, broadcaster, config, logger, opts);
    app = await createHushApp(services, node, config, logger, readiness);
    await app.listen({ host: config.host, port: config.port });
    for (const m of node.modules) m.start?.();
    readiness.ready();
  } catch (e) {
    await broadcaster?.close();
    await services.store.close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // Drain: new requests and /readyz answer 503; the workers stop claiming, finish what
      // runs within the grace and hand the rest back (leases released, not left to expire);
      // then the listener closes, ending event streams with a reconnect hint.
      readiness.drain();
      for (const m of [...node.modules].reverse()) await m.close();
      await app.close();
      logMasker?.stop();
      await node.broadcaster.close();
      await closeServices(services);
    })());
  return { url, app, services, node, logger, close };
}

async function createBroadcaster(services: HushServices, logger: Logger, pgSchema?: string): Promise<Broadcaster> {
  const { store } = services;
  if (!store.pgPool || !store.pgUrl) return createLocalBroadcaster();
  return createPgBroadcaster({
    pool: store.pgPool,
    connectionString: store.pgUrl,
    schemaOptions: pgSchema ? `-c search_path=${pgSchema}` : undefined,
    channelSuffix: pgSchema,
    storeEvent: (e) => insertEvent(store.db, e, Date.parse(e.publishedAt)),
    loadEvent: (id) => eventById(store.db, id),
    logger,
  });
}
