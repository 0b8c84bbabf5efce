import type { ProductService } from '../events/product-service.ts';
import { productView } from '../events/product-view.ts';
import { HushError } from '../errors/errors.ts';
import { errorBody } from '../errors/error-body.ts';
import type { IntegrationService } from '../integrations/integration-service.ts';
import { integrationView } from '../integrations/integration-view.ts';
import type { OrgService } from '../orgs/org-service.ts';
import { logicScope, type LogicCallRun } from './logic-ledger-calls.ts';

export interface ApiCallDeps {
  readonly products: Pick<ProductService, 'list' | 'devices' | 'deviceOf'>;
  readonly integrations: Pick<IntegrationService, 'list' | 'withLogs'>;
  readonly orgs: Pick<OrgService, 'operatorScope'>;
}

/** What a cloud API helper answers: the status and body the REST API would give the function's owner. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

const notFound = (what: string) => new HushError('not_found', what);
const text = (v: unknown): string => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '');

/**
 * The `particle:core` cloud API helpers (particle_core.d.ts), answered from the services the
 * REST routes use, only ever for the run's owner: another owner's product, device, org or
 * integration answers 404 exactly like one that does not exist. Where Hush keeps no such
 * data (vitals, locations, integration metrics) the answer is a 404 too.
 */
export function createApiCalls(deps: ApiCallDeps) {
  return (run: LogicCallRun) => {
    const scope = logicScope(run);
    const product = async (idOrSlug: unknown) => {
      const key = text(idOrSlug);
      const p = (await deps.products.list(scope)).find((x) => String(x.id) === key || x.slug === key);
      if (!p) throw notFound(`product '${key.slice(0, 60)}' not found`);
      return p;
    };
    const ownOrg = async (idOrSlug: unknown) => {
      const key = text(idOrSlug);
      const org = await deps.orgs.operatorScope(key).catch(() => null);
      if (!org || org.owner !== scope.owner) throw notFound(`organization '${key.slice(0, 60)}' not found`);
    };
    const ownDevice = async (id: unknown) => {
      const d = await deps.products.deviceOf(scope.owner, text(id));
      if (!d) throw notFound(`device '${text(id).slice(0, 60)}' not found`);
      return d;
    };
    const integrationScope = async (idOrSlug: unknown) => {
      const p = await product(idOrSlug);
      return { scope: { ...scope, product: p }, kind: 'product' as const, productId: p.id, productSlug: p.slug };
    };
    const products = async () => ({ products: (await deps.products.list(scope)).map(productView) });

    const helpers: Record<string, (...args: unknown[]) => Promise<unknown>> = {
      async listDevices(p) {
        const found = await product(p);
        return { devices: (await deps.products.devices({ ...scope, product: found })).map((id) => ({ id, product_id: found.id })) };
      },
      async getDevice(id) {
        const d = await ownDevice(id);
        return { id: d.id, product_id: d.productId };
      },
      async getLastDeviceVitals(id) {
        await ownDevice(id);
        throw notFound('Hush keeps no device vitals');
      },
      async getDeviceLocation(p, id) {
        await product(p);
        await ownDevice(id);
        throw notFound('Hush keeps no device locations');
      },
      async listIntegrations(p) {
        return (await deps.integrations.list(await integrationScope(p))).map(integrationView);
      },
      async getIntegration(p, id) {
        const { record, logs } = await deps.integrations.withLogs(await integrationScope(p), text(id), 10);
        return { integration: { ...integrationView(record), logs } };
      },
      async integrationsMetrics(p) {
        await product(p);
        throw notFound('Hush keeps no integration traffic metrics');
      },
      listProducts: products,
      listUserProducts: products,
      async listOrgProducts(org) {
        await ownOrg(org);
        return products();
      },
      async getProduct(p) {
        return { product: productView(await product(p)) };
      },
      async getOrgProduct(org, p) {
        await ownOrg(org);
        return { product: productView(await product(p)) };
      },
    };

    return async (method: string, args: readonly unknown[]): Promise<ApiAnswer> => {
      const helper = helpers[method.slice('api.'.length)];
      if (helper === undefined) throw new Error(`unknown host call ${method}`);
      try {
        return { status: 200, body: await helper(...args) };
      } catch (e) {
        if (e instanceof HushError && e.status < 500) return { status: e.status, body: errorBody(e) };
        throw e;
      }
    };
  };
}
