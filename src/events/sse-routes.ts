import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { AuthService } from '../auth/auth-service.ts';
import { HushError, isHushError } from '../errors/errors.ts';
import { principalOf } from '../http/auth-hook.ts';
import type { ScopeResolver } from '../http/scope-fns.ts';
import type { EventBus } from './event-bus.ts';
import { sseData, type EventFilter } from './event-types.ts';
import type { ProductService } from './product-service.ts';

export interface SseOptions {
  /** Keep-alive interval; the SDK reconnects after 15 s of silence. */
  readonly keepAliveMs?: number;
  /**
   * How often an open stream re-checks its token and its access to the scope (default
   * 30 s): a revoked or expired token, or a member removed from the org, loses the stream.
   */
  readonly recheckMs?: number;
  /** Most streams one user may hold open on this node (Particle: 100 per client). */
  readonly maxPerUser?: number;
}

/** Reconnect delay a draining node asks event-stream clients for (SSE `retry:` field). */
export const SHUTDOWN_RETRY_MS = 1000;

/** `%2F` in a prefix segment (the SDK encodes `a/b`) must become `/`. */
const decodePrefix = (raw: string | undefined): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HushError('validation_failed', `event prefix '${raw}' is not valid URL encoding`);
  }
};

/** Server-sent event streams on every path of spec §6.2. */
export function registerSseRoutes(
  app: FastifyInstance,
  deps: { bus: EventBus; products: ProductService; scopeOf: ScopeResolver; auth: Pick<AuthService, 'authenticateHash'>; options?: SseOptions },
): void {
  const keepAliveMs = deps.options?.keepAliveMs ?? 9_000;
  const recheckMs = deps.options?.recheckMs ?? 30_000;
  const maxPerUser = deps.options?.maxPerUser ?? 100;
  const open = new Map<() => void, ServerResponse>();
  const perUser = new Map<string, number>();
  // Streams never end by themselves: close them so shutdown does not wait on them. The
  // `retry` field tells EventSource clients to reconnect soon (to another node, behind a
  // load balancer) instead of backing off.
  app.addHook('preClose', async () => {
    for (const [end, res] of [...open]) {
      if (!res.writableEnded) res.write(`: this node is shutting down, reconnect\nretry: ${SHUTDOWN_RETRY_MS}\n\n`);
      end();
    }
  });

  /** Whether the stream's token is still valid and still reaches the same events. */
  const stillAllowed = async (req: FastifyRequest, filter: EventFilter, build: (req: FastifyRequest) => Promise<EventFilter>): Promise<boolean> => {
    try {
      const principal = await deps.auth.authenticateHash(principalOf(req).tokenHash);
      if (!principal) return false;
      req.principal = principal;
      const again = await build(req);
      return again.owner === filter.owner && again.productId === filter.productId;
    } catch (e) {
      // Refused (not found, forbidden): end it. A database hiccup keeps the stream for now.
      return !(isHushError(e) && e.status < 500);
    }
  };

  const stream = (req: FastifyRequest, reply: FastifyReply, filter: EventFilter, build: (req: FastifyRequest) => Promise<EventFilter>) => {
    const userId = principalOf(req).userId;
    const held = perUser.get(userId) ?? 0;
    if (held >= maxPerUser) {
      throw new HushError('too_many_requests', `at most ${maxPerUser} event streams may be open at once; close one first`, { details: { retry_after: 10 } });
    }
    perUser.set(userId, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (perUser.get(userId) ?? 1) - 1;
      if (n > 0) perUser.set(userId, n);
      else perUser.delete(userId);
    };
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // A HEAD response has no body: Node would hold its headers back until end(), so a HEAD
    // that opened a stream would never be answered.
    if (req.method === 'HEAD') {
      release();
      res.end();
      return;
    }
    res.write(':ok\n\n');
    const unsubscribe = deps.bus.subscribe(filter, (e) => {
      res.write(`event: ${e.name}\ndata: ${JSON.stringify(sseData(e))}\n\n`);
    });
    const timer = setInterval(() => res.write(':\n\n'), keepAliveMs);
    let checking = false;
    const recheck = setInterval(() => {
      if (checking) return;
      checking = true;
      void stillAllowed(req, filter, build)
        .then((ok) => {
          if (!ok) end();
        })
        .finally(() => {
          checking = false;
        });
    }, recheckMs);
    const end = () => {
      clearInterval(timer);
      clearInterval(recheck);
      release();
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.set(end, res);
    req.raw.on('close', end);
    res.on('error', end);
  };

  type P = { prefix?: string; device?: string; product?: string; org?: string };
  const scoped = (path: string, build: (req: FastifyRequest<{ Params: P }>) => Promise<EventFilter>) => {
    const rebuild = build as (req: FastifyRequest) => Promise<EventFilter>;
    app.get<{ Params: P }>(path, async (req, reply) => stream(req, reply, await build(req), rebuild));
  };
  const sandbox = async (req: FastifyRequest<{ Params: P }>): Promise<EventFilter> => ({
    owner: (await deps.scopeOf(req)).owner,
    prefix: decodePrefix(req.params.prefix),
    deviceId: req.params.device?.toLowerCase(),
  });
  const product = async (req: FastifyRequest<{ Params: P }>): Promise<EventFilter> => {
    const ps = await deps.products.productScope(principalOf(req), req.params.product ?? '');
    // Under /v1/orgs/:org the organization must exist for the caller and own the product.
    if (req.params.org !== undefined && (await deps.scopeOf(req)).owner !== ps.owner) {
      throw new HushError('not_found', `product '${req.params.product}' not found in organization '${req.params.org}'`);
    }
    return { owner: ps.owner, productId: ps.product.id, prefix: decodePrefix(req.params.prefix), deviceId: req.params.device?.toLowerCase() };
  };

  app.get('/v1/events', async () => {
    throw new HushError('validation_failed', 'event prefix filter is required');
  });
  // Hush has no public firehose: /v1/events/:prefix streams the caller's own events.
  scoped('/v1/events/:prefix', sandbox);
  scoped('/v1/devices/events', sandbox);
  scoped('/v1/devices/events/:prefix', sandbox);
  scoped('/v1/devices/:device/events', sandbox);
  scoped('/v1/devices/:device/events/:prefix', sandbox);
  scoped('/v1/orgs/:org/events', sandbox);
  scoped('/v1/orgs/:org/events/:prefix', sandbox);
  scoped('/v1/orgs/:org/devices/:device/events', sandbox);
  scoped('/v1/orgs/:org/devices/:device/events/:prefix', sandbox);
  scoped('/v1/products/:product/events', product);
  scoped('/v1/products/:product/events/:prefix', product);
  scoped('/v1/products/:product/devices/:device/events', product);
  scoped('/v1/products/:product/devices/:device/events/:prefix', product);
  scoped('/v1/orgs/:org/products/:product/events', product);
  scoped('/v1/orgs/:org/products/:product/events/:prefix', product);
}
