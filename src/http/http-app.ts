import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../logging/logger.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { installAuthHook } from './auth-hook.ts';
import { parseFormBody } from './body-fns.ts';
import { frameworkErrorHandler, installErrorHandler } from './error-handler.ts';
import { installNulGuard } from './nul-guard.ts';
import { installRouteCatalog } from './openapi/route-catalog.ts';
import './fastify-types.ts';

export interface HttpAppOptions {
  readonly logger: Logger;
  readonly auth: Pick<AuthService, 'authenticate'>;
  /** Largest accepted request body (event data and secret values stay far below it). */
  readonly bodyLimit?: number;
  /** Proxies whose forwarded headers are believed (client address, protocol); default none. */
  readonly trustProxy?: boolean | readonly string[];
  /** Longest time to receive a whole request (headers and body); default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Runs before every request that may change something (not GET/HEAD/OPTIONS); throws to refuse it. */
  readonly beforeChange?: () => void;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A Fastify instance with Hush's parsers, auth hook, error mapping and security headers. */
export async function createHttpApp(opts: HttpAppOptions): Promise<FastifyInstance> {
  const requestTimeout = opts.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    routerOptions: { maxParamLength: 500 },
    requestIdHeader: false,
    // Behind a load balancer the socket's peer is the balancer: the sign-in throttle and
    // links need the client's address and protocol, from proxies the operator named only.
    trustProxy: typeof opts.trustProxy === 'boolean' ? opts.trustProxy : opts.trustProxy ? [...opts.trustProxy] : false,
    return503OnClosing: true,
    // Fastify's default is no limit: a client could hold a connection open forever by
    // sending its body a byte at a time. Headers must arrive within 20 s, the whole request
    // within 30 s (Node checks every few seconds). Event streams are long responses, not
    // long requests, so they are unaffected.
    requestTimeout,
    http: { headersTimeout: Math.min(20_000, requestTimeout), connectionsCheckingInterval: Math.min(5_000, Math.ceil(requestTimeout / 4)) },
    frameworkErrors: frameworkErrorHandler,
    // Requests Node's HTTP parser rejects (a bad request line, headers over the limit) get
    // the Particle error body too, instead of Fastify's default one.
    clientErrorHandler(err: NodeJS.ErrnoException, socket: import('node:net').Socket) {
      if (!socket.writable) return;
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const error = tooLarge ? 'request headers are too large' : timedOut ? 'the request was not received in time' : 'the request could not be parsed as HTTP';
      const body = JSON.stringify({ ok: false, error });
      const status = tooLarge ? '431 Request Header Fields Too Large' : timedOut ? '408 Request Timeout' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
  }) as unknown as FastifyInstance;
  // First, so that every route registered later (in any plugin) is in the OpenAPI document.
  installRouteCatalog(app);
  // The API takes JSON and form bodies only (spec §2.1): text/plain answers 415, not a
  // confusing "body must be object".
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: opts.bodyLimit ?? 1024 * 1024, parser: parseFormBody });
  installErrorHandler(app);
  installAuthHook(app, opts.auth);
  installNulGuard(app);
  const beforeChange = opts.beforeChange;
  if (beforeChange) {
    app.addHook('onRequest', async (req) => {
      if (!SAFE_METHODS.has(req.method)) beforeChange();
    });
  }
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', reply.getHeader('Cache-Control') ?? 'no-store');
    return payload;
  });
  return app;
}
