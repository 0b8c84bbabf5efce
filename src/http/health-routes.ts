import type { FastifyInstance } from 'fastify';
import { HushError } from '../errors/errors.ts';

/** What a node is doing, for `/readyz`: load balancers send work only to a `ready` node. */
export type NodeState = 'starting' | 'ready' | 'draining';

export interface Readiness {
  state(): NodeState;
  /** Migrations ran, the workers started: the node takes work. */
  ready(): void;
  /** SIGTERM or close(): the node takes no new work and hands back what it holds. */
  drain(): void;
}

export function createReadiness(): Readiness {
  let state: NodeState = 'starting';
  return {
    state: () => state,
    ready() {
      if (state === 'starting') state = 'ready';
    },
    drain() {
      state = 'draining';
    },
  };
}

/**
 * `/healthz` is liveness (the process answers and its database does); `/readyz` is
 * readiness: 200 only once migrations are done (they run before the node listens), the
 * database answers and the delivery and Logic workers run; 503 while starting or draining.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: { readonly ping: () => Promise<boolean>; readonly readiness: Readiness }): void {
  // A draining node takes no new work: clients (and load balancers) retry on another node.
  // Requests already past this point finish normally.
  app.addHook('onRequest', async (req, reply) => {
    if (deps.readiness.state() !== 'draining' || req.url === '/healthz' || req.url === '/readyz') return;
    reply.header('retry-after', '1');
    throw new HushError('unavailable', 'this node is shutting down; retry on another node');
  });
  app.get('/healthz', { config: { public: true } }, async (_req, reply) => {
    const db = await deps.ping();
    return reply.status(db ? 200 : 503).send(db ? { ok: true, database: 'up' } : { ok: false, error: 'database unreachable', database: 'down' });
  });
  app.get('/readyz', { config: { public: true } }, async (_req, reply) => {
    const state = deps.readiness.state();
    const db = state === 'ready' && (await deps.ping());
    const workers = state === 'ready' ? 'running' : state === 'draining' ? 'stopping' : 'starting';
    const body = { state, migrations: state === 'starting' ? 'pending' : 'done', database: db ? 'up' : state === 'ready' ? 'down' : 'unchecked', workers };
    if (state === 'ready' && db) return reply.status(200).send({ ok: true, ...body });
    const error = state === 'draining' ? 'this node is shutting down' : state === 'starting' ? 'this node is starting' : 'database unreachable';
    return reply.status(503).header('retry-after', '5').send({ ok: false, error, ...body });
  });
}
