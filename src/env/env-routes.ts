import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProductService } from '../events/product-service.ts';
import { principalOf } from '../http/auth-hook.ts';
import type { ScopeResolver } from '../http/scope-fns.ts';
import type { EnvService } from './env-service.ts';
import { ownerTarget, productTarget } from './env-targets.ts';
import type { EnvState, EnvTarget, EnvValues, InheritedValue } from './env-types.ts';

const by = (id: string | null) => (id === null ? null : `user:${id}`);
const ownView = (own: EnvValues) => Object.fromEntries(Object.entries(own).map(([k, value]) => [k, { value }]));
const inheritedView = (inh: Readonly<Record<string, InheritedValue>>) => Object.fromEntries(Object.entries(inh).map(([k, v]) => [k, { from: v.from, value: v.value }]));

/** particle-api-js `EnvVarsResponse` (no `on_device`: Hush does not hear what devices report). */
const stateView = (s: EnvState) => ({
  latest: {
    own: ownView(s.latest.own), inherited: inheritedView(s.latest.inherited),
    created_at: s.latest.createdAt, updated_at: s.latest.updatedAt, created_by: by(s.latest.createdBy), updated_by: by(s.latest.updatedBy),
  },
  last_snapshot: s.lastSnapshot
    ? { own: ownView(s.lastSnapshot.own), inherited: inheritedView(s.lastSnapshot.inherited), rollout_at: s.lastSnapshot.rolloutAt, rollout_by: by(s.lastSnapshot.rolloutBy) }
    : null,
});

/**
 * `/v1/env/:target` is a device id on the device scope's routes and a key on the sandbox's
 * PUT/DELETE (one path segment, so one parameter name: Fastify's router shares the node).
 */
type Params = { key?: string; target?: string; product?: string; org?: string };
type Req = FastifyRequest<{ Params: Params }>;

/**
 * Spec ledger-and-env §2 (particle-api-js `listEnvVars` … `startEnvVarsRollout`, particle-cli
 * `config env`): the same routes under `/v1/env` (sandbox), `/v1/orgs/:org/env`,
 * `/v1/products/:product/env` and `/v1/env/:target` (a device).
 */
export function registerEnvRoutes(app: FastifyInstance, deps: { env: EnvService; scopeOf: ScopeResolver; products: Pick<ProductService, 'productScope'> }): void {
  const { env } = deps;
  const bases: Array<[string, (req: Req) => Promise<EnvTarget>, string, (req: Req) => string]> = [
    ['/v1/env', async (req) => ownerTarget(await deps.scopeOf(req)), '/v1/env/:target', (req) => String(req.params.target)],
    ['/v1/orgs/:org/env', async (req) => ownerTarget(await deps.scopeOf(req)), '/v1/orgs/:org/env/:key', (req) => String(req.params.key)],
    ['/v1/products/:product/env', async (req) => productTarget(await deps.products.productScope(principalOf(req), String(req.params.product))), '/v1/products/:product/env/:key', (req) => String(req.params.key)],
    ['/v1/env/:target', async (req) => env.deviceTarget(principalOf(req), String(req.params.target)), '/v1/env/:target/:key', (req) => String(req.params.key)],
  ];
  for (const [base, targetOf, keyPath, keyOf] of bases) {
    app.get<{ Params: Params }>(base, async (req) => stateView(await env.state(await targetOf(req))));
    app.patch<{ Params: Params }>(base, async (req) => stateView(await env.update(await targetOf(req), req.body)));
    app.put<{ Params: Params }>(keyPath, async (req) => stateView(await env.set(await targetOf(req), keyOf(req), req.body)));
    app.delete<{ Params: Params }>(keyPath, async (req) => stateView(await env.remove(await targetOf(req), keyOf(req))));
    // `?snapshot=true` renders what was rolled out (what Logic functions receive) instead of the latest values.
    app.get<{ Params: Params; Querystring: { snapshot?: string } }>(`${base}/render`, async (req) => {
      const r = await env.render(await targetOf(req), req.query.snapshot === 'true' ? 'snapshot' : 'latest');
      return { env: r.env, last_updated_at: r.lastUpdatedAt, rollout_at: r.rolloutAt, rollout_by: by(r.rolloutBy) };
    });
    app.get<{ Params: Params }>(`${base}/rollout`, async (req) => ({ from_snapshot: await env.review(await targetOf(req)) }));
    app.post<{ Params: Params }>(`${base}/rollout`, async (req) => {
      await env.rollout(await targetOf(req), req.body);
      return { success: true };
    });
  }
}
