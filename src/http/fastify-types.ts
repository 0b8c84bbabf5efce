import type { Principal } from '../auth/auth-service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The loopback metrics listener (`http://127.0.0.1:<port>`), null without HUSH_METRICS_PORT. */
    metricsUrl: string | null;
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
  }
}

export {};
