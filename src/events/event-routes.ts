import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import { principalOf } from '../http/auth-hook.ts';
import { routeInput } from '../http/route-input.ts';
import type { ScopeResolver } from '../http/scope-fns.ts';
import type { EventService } from './event-service.ts';
import type { ProductService } from './product-service.ts';
import { productView } from './product-view.ts';

const boolish = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
const publishBody = z.strictObject({
  // Optional here so a missing name gets the bus's own message ("event name is required").
  name: z.string().optional(),
  data: z.string().nullable().optional(),
  ttl: z.coerce.number().int().min(0).max(16_777_216).optional(),
  private: boolish.optional(),
  public: boolish.optional(),
  as_device_id: z.string().optional(),
});
const productFields = z.strictObject({ name: z.string(), slug: z.string().optional(), description: z.string().optional(), platform_id: z.coerce.number().optional() });
/** The flat body, or the fields wrapped in `product` (as particle-api-js and Particle's docs send them). */
const productBody = z.union([productFields, z.strictObject({ product: productFields })]).transform((b) => ('product' in b ? b.product : b));
const devicesBody = z.strictObject({ id: z.string().optional(), ids: z.array(z.string()).max(1000).optional(), import_method: z.string().optional() });

const claimBody = z.strictObject({ id: z.string() });
const publishInput = routeInput({ summary: 'Publish an event', body: publishBody });
const productInput = routeInput({ summary: 'Create a product', body: productBody });
const devicesInput = routeInput({ summary: 'Add devices to a product', body: devicesBody });
const claimInput = routeInput({ summary: 'Claim a device', body: claimBody });

/** Publishing (spec §6.1) and the minimal products/devices API. */
export function registerEventRoutes(app: FastifyInstance, deps: { events: EventService; products: ProductService; scopeOf: ScopeResolver }): void {
  const { events, products, scopeOf } = deps;
  const publish = async (req: FastifyRequest, scope: Scope, productId: number | null) => {
    await events.publish(scope, productId, () => publishInput.body(req));
    return { ok: true };
  };

  app.post('/v1/devices/events', publishInput.options, async (req) => publish(req, await scopeOf(req), null));
  app.post('/v1/orgs/:org/events', publishInput.options, async (req) => publish(req, await scopeOf(req), null));
  app.post<{ Params: { product: string } }>('/v1/products/:product/events', publishInput.options, async (req) => {
    const ps = await products.productScope(principalOf(req), req.params.product);
    return publish(req, ps, ps.product.id);
  });

  for (const path of ['/v1/user/products', '/v1/orgs/:org/products']) {
    app.get(path, async (req) => ({ products: (await products.list(await scopeOf(req))).map(productView) }));
    app.post(path, productInput.options, async (req, reply) => {
      const b = productInput.body(req);
      const p = await products.create(await scopeOf(req), b.name, b.slug);
      return reply.status(201).send({ ok: true, product: productView(p) });
    });
  }
  app.get<{ Params: { product: string } }>('/v1/products/:product', async (req) => {
    const ps = await products.productScope(principalOf(req), req.params.product);
    return { product: productView(ps.product) };
  });
  app.get<{ Params: { product: string } }>('/v1/products/:product/devices', async (req) => {
    const ps = await products.productScope(principalOf(req), req.params.product);
    return { devices: (await products.devices(ps)).map((id) => ({ id, product_id: ps.product.id })) };
  });
  app.post<{ Params: { product: string } }>('/v1/products/:product/devices', devicesInput.options, async (req) => {
    const ps = await products.productScope(principalOf(req), req.params.product);
    const b = devicesInput.body(req);
    const ids = [...(b.ids ?? []), ...(b.id ? [b.id] : [])];
    if (ids.length === 0) throw new HushError('validation_failed', 'give a device id (id) or a list (ids)');
    return { ok: true, updated: (await products.addDevices(ps, ids)).length };
  });
  app.delete<{ Params: { product: string; device: string } }>('/v1/products/:product/devices/:device', async (req, reply) => {
    await products.removeDevice(await products.productScope(principalOf(req), req.params.product), req.params.device);
    return reply.status(204).send();
  });
  // particle-cli reads a device's product_id after `config env … --device` (and the SDK's
  // getDevice). Hush keeps no device state: online/connected are always false.
  app.get<{ Params: { device: string } }>('/v1/devices/:device', async (req) => products.deviceView(await scopeOf(req), req.params.device));
  app.post('/v1/devices', claimInput.options, async (req) => {
    const b = claimInput.body(req);
    await products.claimDevice(await scopeOf(req), b.id);
    return { ok: true, id: b.id.toLowerCase() };
  });
}
