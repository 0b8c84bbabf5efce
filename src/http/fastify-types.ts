import type { Principal } from '../auth/auth-service.ts';
import type { RouteDoc } from './route-input.ts';
import type { RouteCatalog } from './openapi/route-catalog.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The loopback metrics listener (`http://127.0.0.1:<port>`), null without HUSH_METRICS_PORT. */
    metricsUrl: string | null;
    /** Every route registered on this app (collected by an onRoute hook), for the OpenAPI document. */
    routeCatalog: RouteCatalog;
  }
  interface FastifyRequest {
    /** The authenticated caller, set by the auth hook; null on public routes. */
    principal: Principal | null;
    /** How the caller authenticated: console cookie writes need a CSRF token. */
    authVia: 'bearer' | 'query' | 'body' | 'cookie' | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without an access token. */
    public?: boolean;
    /** Body fields may hold U+0000 (secret values: stored encrypted, never as text). */
    allowNulInBody?: boolean;
    /** What the route reads (zod schemas it parses with) and its summary: the OpenAPI document's source. */
    doc?: RouteDoc;
  }
}

export {};
