import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HushError } from '../errors/errors.ts';
import { principalOf } from '../http/auth-hook.ts';
import type { ScopeResolver } from '../http/scope-fns.ts';
import type { EventBus } from './event-bus.ts';
import { sseData, type EventFilter } from './event-types.ts';
import type { ProductService } from './product-service.ts';

export interface SseOptions {
  /** Keep-alive interval; the SDK reconnects after 15 s of silence. */
  readonly keepAliveMs?: number;
}

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
export function registerSseRoutes(app: FastifyInstance, deps: { bus: EventBus; products: ProductService; scopeOf: ScopeResolver; options?: SseOptions }): void {
  const keepAliveMs = deps.options?.keepAliveMs ?? 9_000;
  const open = new Set<() => void>();
  // Streams never end by themselves: close them so shutdown does not wait on them.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  const stream = (req: FastifyRequest, reply: FastifyReply, filter: EventFilter) => {
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
      res.end();
      return;
    }
    res.write(':ok\n\n');
    const unsubscribe = deps.bus.subscribe(filter, (e) => {
      res.write(`event: ${e.name}\ndata: ${JSON.stringify(sseData(e))}\n\n`);
    });
    const timer = setInterval(() => res.write(':\n\n'), keepAliveMs);
    const end = () => {
      clearInterval(timer);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    req.raw.on('close', end);
    res.on('error', end);
  };

  type P = { prefix?: string; device?: string; product?: string; org?: string };
  const scoped = (path: string, build: (req: FastifyRequest<{ Params: P }>) => Promise<EventFilter>) => {
    app.get<{ Params: P }>(path, async (req, reply) => stream(req, reply, await build(req)));
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
