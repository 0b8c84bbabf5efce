import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can, describeScope, type Scope } from '../auth/scope-types.ts';
import type { ProductService } from '../events/product-service.ts';
import { HushError } from '../errors/errors.ts';
import { principalOf } from '../http/auth-hook.ts';
import { parseInput } from '../http/body-fns.ts';
import { SCOPE_PREFIXES, type ScopeResolver } from '../http/scope-fns.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db } from '../store/database-types.ts';
import type { LogicRunner } from './logic-runner.ts';
import type { LogicService } from './logic-service.ts';
import type { LogicStore } from './logic-store.ts';
import { EXECUTE_FUNCTION_ID, type LogicFunction, type LogicRun } from './logic-types.ts';

const executeBody = z.strictObject({
  event: z
    .strictObject({
      event_name: z.string().max(64).optional(),
      product_id: z.union([z.number(), z.string()]).nullable().optional(),
      device_id: z.string().max(64).nullable().optional(),
      event_data: z.string().max(100 * 1024).nullable().optional(),
    })
    .optional(),
  source: z.strictObject({ type: z.string().optional(), code: z.string().max(512 * 1024) }),
  api_username: z.string().nullable().optional(),
  secrets: z.array(z.string()).max(100).nullable().optional(),
  use_env: z.boolean().nullable().optional(),
});

const functionView = (f: LogicFunction, todayStats?: { success: number; failure: number; timeout: number }) => ({
  id: f.id, owner_id: f.owner, version: f.version, enabled: f.enabled, name: f.name, description: f.description, template_slug: f.extra.template_slug,
  source: { type: 'JavaScript', code: f.code }, created_at: f.createdAt, updated_at: f.updatedAt, created_by: `user:${f.createdBy}`, updated_by: `user:${f.updatedBy}`,
  api_username: f.extra.api_username, secrets: f.secrets, use_env: f.extra.use_env, ...(f.extra.product_id ? { product_id: f.extra.product_id } : {}),
  logic_triggers: f.triggers.map((t) =>
    t.type === 'Event'
      ? { id: t.id, type: 'Event', logic_function_id: f.id, enabled: t.enabled, version: t.version, event_name: t.eventName, event: t.eventName, product_id: t.productId ?? 0 }
      : { id: t.id, type: 'Scheduled', logic_function_id: f.id, enabled: t.enabled, version: t.version, cron: t.cron, start_at: t.startAt, end_at: t.endAt, last_scheduled_at: t.lastScheduledAt, next_unscheduled_at: t.nextRunMs === null ? null : new Date(t.nextRunMs).toISOString() },
  ),
  ...(todayStats ? { today_stats: todayStats } : {}),
});

const runView = (r: LogicRun) => ({
  id: r.id, owner_id: r.owner, logic_function_id: r.functionId, logic_trigger_type: r.triggerType, logic_trigger_id: r.triggerId,
  status: r.status, started_at: r.startedAt, finished_at: r.finishedAt, log_filename: `${r.id}.log`, err: r.err,
});

/** Spec §8.4 for the sandbox, organizations and products. */
export function registerLogicRoutes(
  app: FastifyInstance,
  deps: { db: Db; logic: LogicService; store: LogicStore; runner: LogicRunner; scopeOf: ScopeResolver; products: Pick<ProductService, 'productScope'>; now: () => Date },
): void {
  const { logic, store } = deps;
  const statsByFunction = async (ids: string[], sinceDay?: string) => {
    const out = new Map<string, Map<string, { success: number; failure: number; timeout: number }>>();
    for (const s of await store.stats(deps.db, ids, sinceDay)) {
      const days = out.get(s.functionId) ?? new Map();
      const d = days.get(s.day) ?? { success: 0, failure: 0, timeout: 0 };
      if (s.status === 'Success') d.success += s.n;
      else if (s.status === 'Timeout') d.timeout += s.n;
      else d.failure += s.n;
      days.set(s.day, d);
      out.set(s.functionId, days);
    }
    return out;
  };
  // Under `/v1/products/:product` the owner's functions created for that product are seen;
  // under the sandbox and org prefixes, all of the owner's functions.
  const at = async (req: FastifyRequest): Promise<{ scope: Scope; productId: number | null }> => {
    const product = (req.params as { product?: string }).product;
    if (product === undefined) return { scope: await deps.scopeOf(req), productId: null };
    const ps = await deps.products.productScope(principalOf(req), product);
    return { scope: ps, productId: ps.product.id };
  };
  const inProduct = (f: LogicFunction, productId: number | null) => productId === null || f.extra.product_id === productId;
  const fnAt = async (req: FastifyRequest, id: string) => {
    const { scope, productId } = await at(req);
    const f = await logic.get(scope, id);
    if (!inProduct(f, productId)) throw new HushError('not_found', `Logic function '${id}' not found`);
    return { scope, f };
  };
  for (const prefix of [...SCOPE_PREFIXES, '/v1/products/:product']) {
    const base = `${prefix}/logic/functions`;
    app.get<{ Querystring: { today_stats?: string } }>(base, async (req) => {
      const { scope, productId } = await at(req);
      const list = (await logic.list(scope)).filter((f) => inProduct(f, productId));
      if (req.query.today_stats !== 'true') return { logic_functions: list.map((f) => functionView(f)) };
      const today = deps.now().toISOString().slice(0, 10).replace(/-/g, '');
      const stats = await statsByFunction(list.map((f) => f.id), today);
      return { logic_functions: list.map((f) => functionView(f, stats.get(f.id)?.get(today) ?? { success: 0, failure: 0, timeout: 0 })) };
    });
    app.get<{ Params: { id: string } }>(`${base}/:id`, async (req) => ({ logic_function: functionView((await fnAt(req, req.params.id)).f) }));
    app.post(base, async (req, reply) => {
      const { scope, productId } = await at(req);
      return reply.status(201).send({ logic_function: functionView(await logic.create(scope, req.body, productId)) });
    });
    app.put<{ Params: { id: string } }>(`${base}/:id`, async (req) => {
      const { scope } = await fnAt(req, req.params.id);
      return { logic_function: functionView(await logic.update(scope, req.params.id, req.body)) };
    });
    app.delete<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
      const { scope } = await fnAt(req, req.params.id);
      await logic.remove(scope, req.params.id);
      return reply.status(204).send();
    });
    app.get<{ Params: { id: string } }>(`${base}/:id/runs`, async (req) => {
      const { f } = await fnAt(req, req.params.id);
      return { logic_runs: (await store.runs(deps.db, f.id)).map(runView) };
    });
    const findRun = async (fnId: string, runId: string) => {
      const r = (await store.runs(deps.db, fnId)).find((x) => x.id === runId);
      if (!r) throw new HushError('not_found', `run '${runId}' not found`);
      return r;
    };
    app.get<{ Params: { id: string; run: string } }>(`${base}/:id/runs/:run`, async (req) => {
      const { f } = await fnAt(req, req.params.id);
      return { logic_run: runView(await findRun(f.id, req.params.run)) };
    });
    // The docs wrap logs in `logic_run_logs`; the SDK's type reads `logs`: answer both.
    app.get<{ Params: { id: string; run: string } }>(`${base}/:id/runs/:run/logs`, async (req) => {
      const { f } = await fnAt(req, req.params.id);
      const r = await findRun(f.id, req.params.run);
      return { logic_run_logs: { logs: r.logs }, logs: r.logs };
    });
    app.get<{ Params: { id: string } }>(`${base}/:id/stats`, async (req) => {
      const { f } = await fnAt(req, req.params.id);
      const days = (await statsByFunction([f.id])).get(f.id) ?? new Map();
      return { logic_function_stats: [...days.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([date, s]) => ({ date, ...s })) };
    });
    app.post(`${prefix}/logic/execute`, async (req) => {
      const { scope, productId: ownProduct } = await at(req);
      if (!can(scope.role, 'write')) throw new HushError('forbidden', `your role '${scope.role}' in ${describeScope(scope)} does not allow executing Logic`);
      // Refusals quote the body (an unknown field may be a pasted value): the owner's masker sees them.
      const b = await logic.validating(scope.owner, () => parseInput(executeBody, req.body));
      const secretNames = [...new Set(b.secrets ?? [])];
      await logic.checkSecrets(scope.owner, secretNames);
      const now = deps.now();
      const productId = (b.event?.product_id === undefined || b.event?.product_id === null || b.event?.product_id === '' ? null : Number(b.event.product_id) || null) ?? ownProduct;
      const run = await deps.runner.run({
        owner: scope.owner, functionId: EXECUTE_FUNCTION_ID, code: b.source.code, secretNames, trigger: { triggeredAt: now.toISOString() },
        event: {
          id: sortableId(now), owner: scope.owner, name: b.event?.event_name || 'test_event', data: b.event?.event_data ?? null, ttl: 60, isPublic: false,
          publishedAt: now.toISOString(), coreid: b.event?.device_id || 'api', productId, deviceId: b.event?.device_id || null, userId: scope.principal.userId, source: 'api',
        },
      });
      return { result: { status: run.result.status, logs: run.logs, ...(run.err !== null ? { err: run.err } : {}) } };
    });
  }
}
