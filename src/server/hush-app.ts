import type { FastifyInstance } from 'fastify';
import type { HushServices, NodeServices } from '../app.ts';
import type { HushConfig } from '../config/config.ts';
import { registerApiRoutes } from '../http/api-routes.ts';
import { registerConsole } from '../http/console-static.ts';
import { createHttpApp } from '../http/http-app.ts';
import { registerHealthRoutes, type Readiness } from '../http/health-routes.ts';
import { installMetricsHttp } from '../http/metrics-http.ts';
import type { Logger } from '../logging/logger.ts';

/** Wires the services into one Fastify app: API routes, health and readiness checks, console. */
export async function createHushApp(services: HushServices, node: NodeServices, config: HushConfig, logger: Logger, readiness: Readiness): Promise<FastifyInstance> {
  const app = await createHttpApp({ logger, auth: services.auth, trustProxy: config.trustProxy, beforeChange: () => services.audit.assertWritable() });
  const metricsUrl = node.metrics && config.metrics ? await installMetricsHttp(app, node.metrics, config.metrics) : null;
  if (metricsUrl) logger.info({ url: `${metricsUrl}/metrics` }, 'metrics listening on loopback');
  app.decorate('metricsUrl', metricsUrl);
  const now = () => new Date();
  registerHealthRoutes(app, { ping: () => services.store.ping(), readiness });
  registerApiRoutes(
    app,
    {
      auth: services.auth, orgs: services.orgs, trail: services.trail, secrets: services.secrets, secretRotation: services.secretRotation,
      bus: node.bus, events: node.events, products: node.products, ...node.integrations.services, ...node.logic.services, ...node.ledger.services, ...node.env.services,
    },
    { now, secureCookies: config.publicUrl?.startsWith('https:') ?? false, publicUrl: (req) => config.publicUrl ?? `${req.protocol}://${req.host}`, sse: node.sse },
  );
  await registerConsole(app);
  return app;
}
