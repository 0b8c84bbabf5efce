import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Scope } from '../auth/scope-types.ts';
import type { ProductService } from '../events/product-service.ts';
import { principalOf } from '../http/auth-hook.ts';
import { routeInput } from '../http/route-input.ts';
import { SCOPE_PREFIXES, type ScopeResolver } from '../http/scope-fns.ts';
import type { LogicService } from './logic-service.ts';
import type { LogicFunction, LogicRun, LogicTrigger } from './logic-types.ts';
import { secretNameList } from '../secrets/secret-names-input.ts';
import { functionBodySchema } from './logic-input-fns.ts';

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
  secrets: secretNameList.max(100).nullable().optional(),
  use_env: z.boolean().nullable().optional(),
  use_pending_secrets: z.boolean().nullable().optional(),
});

const createInput = routeInput({ summary: 'Create a Logic function', body: functionBodySchema });
const updateInput = routeInput({ summary: 'Update a Logic function', body: functionBodySchema });
const executeInput = routeInput({ summary: 'Run Logic code once with sample event data', body: executeBody });

const triggerView = (f: LogicFunction, t: LogicTrigger) => {
  const base = { id: t.id, type: t.type, logic_function_id: f.id, enabled: t.enabled, version: t.version };
  if (t.type === 'Event') return { ...base, event_name: t.eventName, event: t.eventName, product_id: t.productId ?? 0 };
  if (t.type === 'LedgerChange') return { ...base, change_type: t.changeType, ledger_name: t.ledgerName, instance_scope: t.instanceScope };
  return { ...base, cron: t.cron, start_at: t.startAt, end_at: t.endAt, last_scheduled_at: t.lastScheduledAt, next_unscheduled_at: t.nextRunMs === null ? null : new Date(t.nextRunMs).toISOString() };
};

const functionView = (f: LogicFunction, todayStats?: { success: number; failure: number; timeout: number }) => ({
  id: f.id, owner_id: f.owner, version: f.version, enabled: f.enabled, name: f.name, description: f.description, template_slug: f.extra.template_slug,
  source: { type: 'JavaScript', code: f.code }, created_at: f.createdAt, updated_at: f.updatedAt, created_by: `user:${f.createdBy}`, updated_by: `user:${f.updatedBy}`,
  api_username: f.extra.api_username, secrets: f.secrets, use_env: f.extra.use_env, ...(f.extra.product_id ? { product_id: f.extra.product_id } : {}),
  logic_triggers: f.triggers.map((t) => triggerView(f, t)),
  ...(todayStats ? { today_stats: todayStats } : {}),
});

const runView = (r: LogicRun) => ({
  id: r.id, owner_id: r.owner, logic_function_id: r.functionId, logic_trigger_type: r.triggerType, logic_trigger_id: r.triggerId,
  status: r.status, started_at: r.startedAt, finished_at: r.finishedAt, log_filename: `${r.id}.log`, err: r.err,
  // Hush's addition: the input event of an event-triggered run (null for other runs).
  event: r.event && { name: r.event.name, data: r.event.data, coreid: r.event.coreid, published_at: r.event.publishedAt, product_id: r.event.productId },
});

/** Spec §8.4 for the sandbox, organizations and products. */
export function registerLogicRoutes(app: FastifyInstance, deps: { logic: LogicService; scopeOf: ScopeResolver; products: Pick<ProductService, 'productScope'> }): void {
  const { logic } = deps;
  // Under `/v1/products/:product` the owner's functions created for that product are seen;
  // under the sandbox and org prefixes, all of the owner's functions.
  const at = async (req: FastifyRequest): Promise<{ scope: Scope; productId: number | null }> => {
    const product = (req.params as { product?: string }).product;
    if (product === undefined) return { scope: await deps.scopeOf(req), productId: null };
    const ps = await deps.products.productScope(principalOf(req), product);
    return { scope: ps, productId: ps.product.id };
  };
  for (const prefix of [...SCOPE_PREFIXES, '/v1/products/:product']) {
    const base = `${prefix}/logic/functions`;
    app.get<{ Querystring: { today_stats?: string } }>(base, async (req) => {
      const { scope, productId } = await at(req);
      if (req.query.today_stats !== 'true') return { logic_functions: (await logic.list(scope, productId)).map((f) => functionView(f)) };
      return { logic_functions: (await logic.listWithTodayStats(scope, productId)).map((x) => functionView(x.fn, x.today)) };
    });
    app.get<{ Params: { id: string } }>(`${base}/:id`, async (req) => {
      const { scope, productId } = await at(req);
      return { logic_function: functionView(await logic.get(scope, req.params.id, productId)) };
    });
    app.post(base, createInput.options, async (req, reply) => {
      const { scope, productId } = await at(req);
      return reply.status(201).send({ logic_function: functionView(await logic.create(scope, req.body, productId)) });
    });
    app.put<{ Params: { id: string } }>(`${base}/:id`, updateInput.options, async (req) => {
      const { scope, productId } = await at(req);
      return { logic_function: functionView(await logic.update(scope, req.params.id, req.body, productId)) };
    });
    app.delete<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
      const { scope, productId } = await at(req);
      await logic.remove(scope, req.params.id, productId);
      return reply.status(204).send();
    });
    app.get<{ Params: { id: string } }>(`${base}/:id/runs`, async (req) => {
      const { scope, productId } = await at(req);
      return { logic_runs: (await logic.runs(scope, req.params.id, productId)).map(runView) };
    });
    app.get<{ Params: { id: string; run: string } }>(`${base}/:id/runs/:run`, async (req) => {
      const { scope, productId } = await at(req);
      return { logic_run: runView(await logic.run(scope, req.params.id, req.params.run, productId)) };
    });
    // The docs wrap logs in `logic_run_logs`; the SDK's type reads `logs`: answer both.
    app.get<{ Params: { id: string; run: string } }>(`${base}/:id/runs/:run/logs`, async (req) => {
      const { scope, productId } = await at(req);
      const r = await logic.run(scope, req.params.id, req.params.run, productId);
      return { logic_run_logs: { logs: r.logs }, logs: r.logs };
    });
    app.get<{ Params: { id: string } }>(`${base}/:id/stats`, async (req) => {
      const { scope, productId } = await at(req);
      return { logic_function_stats: await logic.stats(scope, req.params.id, productId) };
    });
    app.post(`${prefix}/logic/execute`, executeInput.options, async (req) => {
      const { scope, productId } = await at(req);
      const run = await logic.execute(scope, productId, () => executeInput.body(req));
      return { result: { status: run.result.status, logs: run.logs, ...(run.err !== null ? { err: run.err } : {}) } };
    });
  }
}
