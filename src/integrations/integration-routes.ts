import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can, describeScope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { ProductService } from '../events/product-service.ts';
import { principalOf } from '../http/auth-hook.ts';
import { parseInput } from '../http/body-fns.ts';
import type { ScopeResolver } from '../http/scope-fns.ts';
import { sortableId } from '../shared/ids.ts';
import type { DeliveryLogStore } from './delivery-log-store.ts';
import type { IntegrationScope, IntegrationService } from './integration-service.ts';
import type { IntegrationRecord } from './integration-store.ts';
import { applyTemplate, INTEGRATION_TEMPLATES } from './webhook/integration-templates.ts';
import { toIntegrationJson } from './webhook/webhook-config-fns.ts';

export interface IntegrationTester {
  test(i: IntegrationRecord, e: HushEvent): Promise<{ pass: boolean; status: number | null; data: string; error: string | null }>;
}

const testBody = z.strictObject({ data: z.string().max(16384).optional(), device_id: z.string().max(64).optional() });
const fromTemplateBody = z.strictObject({ template: z.string(), values: z.record(z.string(), z.unknown()).default({}) });

/** Spec §7 for the sandbox, organizations and products, under both `integrations` and `webhooks`. */
export function registerIntegrationRoutes(
  app: FastifyInstance,
  deps: { integrations: IntegrationService; logs: DeliveryLogStore; tester: IntegrationTester; products: ProductService; scopeOf: ScopeResolver; publicUrl: (req: FastifyRequest) => string },
): void {
  const { integrations } = deps;
  const view = (r: IntegrationRecord) => ({
    id: r.id,
    ...toIntegrationJson(r.config),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    ...(r.productId !== null ? { product_id: r.productId } : {}),
    counters: { success: r.successCount, error: r.errorCount },
    last_delivery: r.lastStatus ? { status: r.lastStatus, at: r.lastAt, http_status: r.lastHttpStatus } : null,
  });
  type P = { org?: string; product?: string; id?: string };
  const scopeOf = async (req: FastifyRequest): Promise<IntegrationScope> => {
    const params = req.params as P;
    if (params.product !== undefined) {
      const ps = await deps.products.productScope(principalOf(req), params.product);
      return { scope: ps, kind: 'product', productId: ps.product.id, productSlug: ps.product.slug };
    }
    const scope = await deps.scopeOf(req);
    return { scope, kind: scope.kind === 'org' ? 'org' : 'sandbox', productId: null, productSlug: null };
  };
  const createdReply = (req: FastifyRequest, r: IntegrationRecord) => ({
    ok: true,
    id: r.id,
    url: r.config.url,
    event: r.config.event,
    name: r.config.name,
    created_at: r.createdAt,
    integration_type: 'Webhook',
    hookUrl: `${deps.publicUrl(req)}/v1/webhooks/${r.id}`,
    integration: view(r),
  });

  app.get('/v1/integration_templates', async () => ({ templates: INTEGRATION_TEMPLATES }));

  for (const prefix of ['/v1', '/v1/orgs/:org', '/v1/products/:product']) {
    for (const kind of ['integrations', 'webhooks']) {
      const base = `${prefix}/${kind}`;
      app.get(base, async (req) => (await integrations.list(await scopeOf(req))).map(view));
      app.post(base, async (req, reply) => {
        const r = await integrations.create(await scopeOf(req), req.body ?? {});
        return reply.status(201).send(createdReply(req, r));
      });
      app.get<{ Params: P & { id: string } }>(`${base}/:id`, async (req) => {
        const r = await integrations.get(await scopeOf(req), req.params.id);
        return { integration: { ...view(r), logs: await deps.logs.list(r.id, 10) } };
      });
      app.put<{ Params: P & { id: string } }>(`${base}/:id`, async (req) => ({ integration: view(await integrations.replace(await scopeOf(req), req.params.id, req.body ?? {})) }));
      app.delete<{ Params: P & { id: string } }>(`${base}/:id`, async (req, reply) => {
        await integrations.remove(await scopeOf(req), req.params.id);
        return reply.status(204).send();
      });
      app.get<{ Params: P & { id: string } }>(`${base}/:id/logs`, async (req) => {
        const r = await integrations.get(await scopeOf(req), req.params.id);
        return { logs: await deps.logs.list(r.id), counters: { success: r.successCount, error: r.errorCount } };
      });
      app.post<{ Params: P & { id: string } }>(`${base}/:id/test`, async (req) => {
        const s = await scopeOf(req);
        const r = await integrations.get(s, req.params.id);
        // A test sends a real request carrying the selected secrets (and its masked reply
        // would confirm a guessed value): only roles that may change integrations run it.
        if (!can(s.scope.role, 'write')) {
          throw new HushError('forbidden', `your role '${s.scope.role}' in ${describeScope(s.scope)} does not allow testing integrations`);
        }
        const b = parseInput(testBody, req.body);
        const now = new Date();
        const event: HushEvent = {
          id: sortableId(now), owner: s.scope.owner, name: r.config.event, data: b.data ?? 'test-event', ttl: 60, isPublic: false,
          publishedAt: now.toISOString(), coreid: b.device_id ?? 'api', productId: s.productId, deviceId: b.device_id ?? null,
          userId: s.scope.principal.userId, source: 'api',
        };
        const t = await deps.tester.test(r, event);
        return { pass: t.pass, data: t.data, error: t.error, status: t.status };
      });
    }
    app.post(`${prefix}/integrations/from_template`, async (req, reply) => {
      const b = parseInput(fromTemplateBody, req.body);
      const input = applyTemplate(b.template, b.values);
      const r = await integrations.create(await scopeOf(req), input);
      return reply.status(201).send(createdReply(req, r));
    });
  }
}
