import { useSearchParams } from 'react-router';
import { useScope } from '../scope/scope-context.tsx';

export interface IntegrationOwner {
  /** `/v1`, `/v1/orgs/<slug>` or `/v1/products/<slug>`. */
  readonly prefix: string;
  /** The product slug when looking at a product's integrations. */
  readonly product: string | null;
  /** `?product=<slug>` or '' — appended to every integrations link to stay on the same owner. */
  readonly search: string;
  /** Console path of the integrations list for this owner. */
  readonly listPath: string;
  /** For query keys. */
  readonly key: string;
}

/**
 * Integrations belong to the scope (sandbox or org) or to one of its products (`?product=`).
 * Secrets always come from the scope: a product belongs to it and shares its secrets.
 */
export function useIntegrationOwner(): IntegrationOwner {
  const { prefix, base, key } = useScope();
  const [params] = useSearchParams();
  const product = params.get('product');
  const search = product ? `?product=${encodeURIComponent(product)}` : '';
  return {
    prefix: product ? `/v1/products/${encodeURIComponent(product)}` : prefix,
    product,
    search,
    listPath: `${base}/integrations${search}`,
    key: product ? `product:${product}` : key,
  };
}

/** Console path of one integration page (`''`, `/logs`) for the owner. */
export function integrationPath(base: string, owner: IntegrationOwner, id: string, sub = ''): string {
  return `${base}/integrations/${encodeURIComponent(id)}${sub}${owner.search}`;
}
