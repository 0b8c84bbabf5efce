import type { FastifyContextConfig, FastifyInstance, RouteOptions } from 'fastify';

/** A registered route as the OpenAPI document sees it. */
export interface CatalogRoute {
  readonly method: string;
  /** The full Fastify URL, prefixes included (`/v1/orgs/:org/secrets`). */
  readonly url: string;
  /** The route's config, read when the document is built (later onRoute hooks may replace it). */
  readonly config: FastifyContextConfig;
}

export interface RouteCatalog {
  /** Every route registered so far, one entry per method. */
  routes(): readonly CatalogRoute[];
}

/**
 * Collects every route registered on `app` from now on, in any plugin context, through an
 * onRoute hook; exposed as `app.routeCatalog`. Install it before any route is registered.
 */
export function installRouteCatalog(app: FastifyInstance): RouteCatalog {
  const seen: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    seen.push(route);
  });
  const catalog: RouteCatalog = {
    routes: () =>
      seen.flatMap((r) => [r.method].flat().map((method) => ({ method: method.toUpperCase(), url: r.url, config: (r.config ?? {}) as FastifyContextConfig }))),
  };
  app.decorate('routeCatalog', catalog);
  return catalog;
}
