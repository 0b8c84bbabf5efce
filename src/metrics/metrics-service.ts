import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type pg from 'pg';
import type { Db } from '../store/database-types.ts';
import { registerWorkMetrics, type WorkObserver } from './work-metrics.ts';

/** Seconds; HTTP answers and masker builds are mostly well under a second. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Hush's Prometheus metrics (prom-client). Labels are bounded by construction: `route` is
 * the registered route pattern (`/v1/secrets/:name`, never the URL a client sent), or
 * `(unmatched)`; `method` one of the HTTP methods Fastify routes; `status` the status code.
 * No label ever holds a value, a token, an owner or anything else a user types.
 */
export interface MetricsService {
  readonly registry: Registry;
  /** One answered HTTP request. */
  observeHttp(method: string, route: string, status: number, seconds: number): void;
  /** Deliveries and Logic runs (see work-metrics.ts). */
  readonly work: WorkObserver;
  /** Wraps a masker build, counting it and its time. */
  timeMaskerBuild<T>(build: () => T): T;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export function createMetricsService(deps: { readonly pgPool: pg.Pool | null; readonly db?: Db; readonly now?: () => number }): MetricsService {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hush_' });
  const requests = new Counter({ name: 'hush_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'hush_http_request_duration_seconds', help: 'HTTP request time until the answer was sent', labelNames: ['route', 'method'], buckets: LATENCY_BUCKETS, registers: [registry] });
  const maskerBuilds = new Counter({ name: 'hush_masker_rebuilds_total', help: 'Owner maskers built (after a secret change or on first use)', registers: [registry] });
  const maskerSeconds = new Histogram({ name: 'hush_masker_rebuild_duration_seconds', help: 'Time to build one owner masker', buckets: LATENCY_BUCKETS, registers: [registry] });
  const pool = deps.pgPool;
  // SQLite has one connection inside the process: nothing to wait for, so no pool gauges.
  if (pool) {
    new Gauge({ name: 'hush_db_pool_in_use', help: 'PostgreSQL connections checked out', registers: [registry], collect() { this.set(pool.totalCount - pool.idleCount); } });
    new Gauge({ name: 'hush_db_pool_waiting', help: 'Queries waiting for a PostgreSQL connection', registers: [registry], collect() { this.set(pool.waitingCount); } });
    new Gauge({ name: 'hush_db_pool_size', help: 'PostgreSQL connections open', registers: [registry], collect() { this.set(pool.totalCount); } });
  }
  const work = registerWorkMetrics(registry, { db: deps.db ?? null, now: deps.now ?? Date.now });
  return {
    registry,
    work,
    contentType: registry.contentType,
    observeHttp(method, route, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      duration.observe({ route, method }, seconds);
    },
    timeMaskerBuild(build) {
      const end = maskerSeconds.startTimer();
      try {
        return build();
      } finally {
        end();
        maskerBuilds.inc();
      }
    },
    render: () => registry.metrics(),
  };
}
