import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { integrationsApi } from '../api/integrations-api.ts';
import { productPrefix } from '../api/products-api.ts';
import type { Product } from '../api/logic-types.ts';
import { useLogicFunctions } from '../logic/logic-queries.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { ProductDevices } from './product-devices.tsx';
import { useProduct } from './product-queries.ts';

function ProductIntegrations(props: { readonly product: Product }) {
  const { base } = useScope();
  const search = `?product=${encodeURIComponent(props.product.slug)}`;
  const query = useQuery({ queryKey: ['integrations', `product:${props.product.slug}`], queryFn: () => integrationsApi.list(productPrefix(props.product.slug)) });
  return (
    <div className="form-stack">
      {query.isPending ? <LoadingState label="Loading integrations…" /> : query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : query.data.length === 0 ? (
        <p className="muted">No integrations of this product yet.</p>
      ) : (
        <ul className="plain-list" aria-label="Product integrations">
          {query.data.map((i) => (
            <li key={i.id}>
              <Link to={`${base}/integrations/${encodeURIComponent(i.id)}${search}`}>{i.name || i.event}</Link> <span className="muted mono">on {i.event}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="row-actions">
        <Link className="btn btn-secondary btn-small" to={`${base}/integrations${search}`}>Open product integrations</Link>
        <Link className="btn btn-secondary btn-small" to={`${base}/integrations/new${search}`}>New product integration</Link>
      </div>
    </div>
  );
}

function ProductLogic(props: { readonly product: Product }) {
  const { base } = useScope();
  const query = useLogicFunctions();
  const mine = (query.data ?? []).filter((f) => f.logic_triggers.some((t) => t.type === 'Event' && t.product_id === props.product.id));
  return (
    <div className="form-stack">
      {query.isPending ? <LoadingState label="Loading Logic functions…" /> : query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : mine.length === 0 ? (
        <p className="muted">No Logic function has an event trigger on this product yet.</p>
      ) : (
        <ul className="plain-list" aria-label="Product Logic functions">
          {mine.map((f) => (
            <li key={f.id}>
              <Link to={`${base}/logic/${encodeURIComponent(f.id)}`}>{f.name}</Link>{' '}
              <span className="muted mono">on {f.logic_triggers.flatMap((t) => (t.type === 'Event' && t.product_id === props.product.id ? [t.event_name] : [])).join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="row-actions">
        <Link className="btn btn-secondary btn-small" to={`${base}/logic/new`}>New Logic function</Link>
      </div>
    </div>
  );
}

/** One product: its devices, integrations, Logic functions and event stream. */
export function ProductPage() {
  const { base } = useScope();
  const { product: slug = '' } = useParams();
  const created = (useLocation().state as { created?: string } | null)?.created;
  const query = useProduct(slug);
  const crumbs = [{ to: `${base}/products`, label: 'Products' }];
  if (query.isPending) return <LoadingState label="Loading product…" />;
  if (query.isError) return <ErrorState title="Could not load this product" error={query.error} onRetry={() => void query.refetch()} />;
  const p = query.data;
  return (
    <section>
      <PageHeader
        title={p.name}
        breadcrumb={crumbs}
        description={<>Product <span className="mono">{p.slug}</span> (id <span className="mono">{p.id}</span>).</>}
        actions={<Link className="btn btn-secondary" to={`${base}/events?product=${encodeURIComponent(p.slug)}`}>Event stream</Link>}
      />
      {created ? <Notice tone="success" testId="product-notice">Product {created} created. Add its devices below.</Notice> : null}
      <section className="section" aria-labelledby="devices-title">
        <h2 className="section-title" id="devices-title">Devices</h2>
        <ProductDevices product={p.slug} />
      </section>
      <section className="section" aria-labelledby="product-integrations-title">
        <h2 className="section-title" id="product-integrations-title">Integrations</h2>
        <ProductIntegrations product={p} />
      </section>
      <section className="section" aria-labelledby="product-logic-title">
        <h2 className="section-title" id="product-logic-title">Logic functions</h2>
        <ProductLogic product={p} />
      </section>
    </section>
  );
}
