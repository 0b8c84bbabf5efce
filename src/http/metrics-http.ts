import { timingSafeEqual, createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { HushError } from '../errors/errors.ts';
import type { MetricsService } from '../metrics/metrics-service.ts';

export interface MetricsHttpOptions {
  /** Bearer token that `GET /metrics` on the API port requires; null: not served there. */
  readonly token: string | null;
  /** Separate listener on 127.0.0.1 (0 picks a port); null: none. */
  readonly port: number | null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Counts every answered request by its route pattern, and serves the metrics either on the
 * API port behind their own bearer token or on a loopback-only port of their own. Returns
 * the loopback listener's URL (null without one); it closes with the app.
 */
export async function installMetricsHttp(app: FastifyInstance, metrics: MetricsService, opts: MetricsHttpOptions): Promise<string | null> {
  app.addHook('onResponse', async (req, reply) => {
    // The pattern a route was registered with, never the URL sent: bounded label values.
    metrics.observeHttp(req.method, req.routeOptions.url ?? '(unmatched)', reply.statusCode, reply.elapsedTime / 1000);
  });
  if (opts.token !== null) {
    const want = digest(opts.token);
    app.get('/metrics', { config: { public: true } }, async (req, reply) => {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      // Compared as digests: equal length, constant time, whatever was sent.
      if (!m || !timingSafeEqual(digest(m[1]!), want)) {
        throw new HushError('unauthorized', 'metrics need the bearer token set in HUSH_METRICS_TOKEN');
      }
      return reply.type(metrics.contentType).send(await metrics.render());
    });
  }
  if (opts.port === null) return null;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'only GET /metrics is served here' }));
      return;
    }
    metrics.render().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'metrics could not be collected' })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port!, '127.0.0.1', () => resolve());
  });
  app.addHook('onClose', async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
