import type { FastifyInstance } from 'fastify';
import { createHushApp, type HushServices } from '../app.ts';
import type { HushConfig } from '../config/config.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { openRuntime } from './runtime.ts';

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly services: HushServices;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  readonly pgSchema?: string;
  readonly now?: () => Date;
}

/** Starts Hush: store, services, HTTP. Resolves once it listens. */
export async function startServer(config: HushConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const services = await openRuntime(config, { pgSchema: opts.pgSchema, now: opts.now });
  let app: FastifyInstance;
  try {
    app = await createHushApp(services, config, logger);
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
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
      await app.close();
      await services.resolver.close();
      await services.store.close();
    })());
  return { url, app, services, logger, close };
}
