import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProductService } from '../events/product-service.ts';
import { principalOf } from '../http/auth-hook.ts';
import { routeInput } from '../http/route-input.ts';
import type { ScopeResolver } from '../http/scope-fns.ts';
import { registerDeliveryHistoryRoutes } from './delivery-history-routes.ts';
import type { DeliveryHistoryService } from './delivery-history-service.ts';
import { registerHostHealthRoutes } from './host-health-routes.ts';
import type { HostHealthService } from './host-health-service.ts';
import type { IntegrationScope, IntegrationService } from './integration-service.ts';
import type { IntegrationRecord } from './integration-store.ts';
import { applyTemplate, INTEGRATION_TEMPLATES } from './webhook/integration-templates.ts';
import { toIntegrationJson } from './webhook/webhook-config-fns.ts';
import { webhookInputSchema } from './webhook/webhook-config-schema.ts';
import { integrationView } from './integration-view.ts';

const testBody = z.strictObject({ data: z.string().max(16384).optional(), device_id: z.string().max(64).optional(), use_pending_secrets: z.boolean().optional() });
const fromTemplateBody = z.strictObject({ template: z.string(), values: z.record(z.string(), z.unknown()).default({}) });

// The service validates configurations with this schema (readWebhookInput), after dropping
// the read-only fields clients echo back from a GET.
const echoed = 'Read-only fields echoed from a GET (id, created_at, counters, …) are accepted and ignored.';
const createInput = routeInput({ summary: 'Create an integration (webhook)', description: echoed, body: webhookInputSchema });
const replaceInput = routeInput({ summary: 'Replace an integration (webhook)', description: echoed, body: webhookInputSchema });
const testInput = routeInput({ summary: 'Send a test event to an integration', body: testBody });
const fromTemplateInput = routeInput({ summary: 'Create an integration from a template', body: fromTemplateBody });

/** Spec §7 for the sandbox, organizations and products, under both `integrations` and `webhooks`. */
export function registerIntegrationRoutes(
  app: FastifyInstance,
  deps: { integrations: IntegrationService; deliveryHistory: DeliveryHistoryService; hostHealth: HostHealthService; products: ProductService; scopeOf: ScopeResolver; publicUrl: (req: FastifyRequest) => string },
): void {
  const { integrations } = deps;
  const view = integrationView;
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
      app.post(base, createInput.options, async (req, reply) => {
        const r = await integrations.create(await scopeOf(req), req.body ?? {});
        return reply.status(201).send(createdReply(req, r));
      });
      app.get<{ Params: P & { id: string } }>(`${base}/:id`, async (req) => {
        const { record, logs } = await integrations.withLogs(await scopeOf(req), req.params.id, 10);
        return { integration: { ...view(record), logs } };
      });
      app.put<{ Params: P & { id: string } }>(`${base}/:id`, replaceInput.options, async (req) => ({ integration: view(await integrations.replace(await scopeOf(req), req.params.id, req.body ?? {})) }));
      app.delete<{ Params: P & { id: string } }>(`${base}/:id`, async (req, reply) => {
        await integrations.remove(await scopeOf(req), req.params.id);
        return reply.status(204).send();
      });
      app.get<{ Params: P & { id: string } }>(`${base}/:id/logs`, async (req) => {
        const { record, logs } = await integrations.withLogs(await scopeOf(req), req.params.id);
        return { logs, counters: { success: record.successCount, error: record.errorCount } };
      });
      app.post<{ Params: P & { id: string } }>(`${base}/:id/test`, testInput.options, async (req) => {
        const t = await integrations.test(await scopeOf(req), req.params.id, () => testInput.body(req));
        return { pass: t.pass, data: t.data, error: t.error, status: t.status };
      });
      registerDeliveryHistoryRoutes(app, base, deps.deliveryHistory, scopeOf);
      registerHostHealthRoutes(app, base, deps.hostHealth, scopeOf);
    }
    app.post(`${prefix}/integrations/from_template`, fromTemplateInput.options, async (req, reply) => {
      const b = fromTemplateInput.body(req);
      const input = applyTemplate(b.template, b.values);
      const r = await integrations.create(await scopeOf(req), input);
      return reply.status(201).send(createdReply(req, r));
    });
  }
}
