import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { productPrefix } from '../api/products-api.ts';
import { useProducts } from '../scope/products-query.ts';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components/Table';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { SelectInput } from '../ui/select-input.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { PublishForm } from './publish-form.tsx';
import { useEventStream } from './use-event-stream.ts';

const STATUS_LABEL = { connecting: 'Connecting…', live: 'Live', paused: 'Paused', reconnecting: 'Reconnecting…' } as const;

const NO_PRODUCT = 'none';

/** Which stream the page shows and publishes to: the scope's, or one product's (`?product=<slug>`). */
function ProductChoice(props: { readonly product: string | null; readonly onChange: (slug: string | null) => void }) {
  const { base } = useScope();
  const products = useProducts();
  const options = [{ id: NO_PRODUCT, label: 'No product (the whole stream)' }, ...(products.data ?? []).map((p) => ({ id: p.slug, label: `${p.name} (${p.id})` }))];
  return (
    <SelectInput
      label="Product"
      options={options}
      value={props.product ?? NO_PRODUCT}
      onChange={(id) => props.onChange(id === NO_PRODUCT ? null : id)}
      description="Publish as one of a product's devices, and watch only that product's events."
      footer={<Link className="field-help" to={`${base}/products`}>Create a product</Link>}
      testId="events-product"
    />
  );
}

/** Events: a live view of the scope's (or a product's) stream and a publish form. */
export function EventsPage() {
  const { prefix } = useScope();
  const [params, setParams] = useSearchParams();
  const product = params.get('product');
  const [running, setRunning] = useState(true);
  const [filter, setFilter] = useState('');
  const stream = useEventStream(product ? productPrefix(product) : prefix, running);
  const shown = stream.events.filter((e) => e.name.startsWith(filter.trim()));
  const chooseProduct = (slug: string | null) => setParams(slug ? { product: slug } : {}, { replace: true });

  return (
    <section>
      <PageHeader title="Events" description="Events published by devices, the API, Logic and integrations (hook-response, hook-error)." />
      <ProductChoice product={product} onChange={chooseProduct} />
      <section className="section" aria-labelledby="publish-title">
        <h2 className="section-title" id="publish-title">Publish an event</h2>
        <PublishForm key={product ?? NO_PRODUCT} product={product} />
      </section>
      <section className="section" aria-labelledby="stream-title">
        <div className="page-header">
          <h2 className="section-title" id="stream-title">
            Live stream{' '}
            <span className={`badge ${stream.status === 'live' ? 'badge-success' : 'badge-warning'}`} data-testid="stream-status">
              {STATUS_LABEL[stream.status]}
            </span>
          </h2>
          <div className="row-actions">
            <Button className="btn btn-secondary btn-small" onPress={() => setRunning((r) => !r)}>
              {running ? 'Pause' : 'Resume'}
            </Button>
            <Button className="btn btn-secondary btn-small" onPress={stream.clear}>
              Clear
            </Button>
          </div>
        </div>
        {stream.error ? <Notice tone="error">{stream.error}</Notice> : null}
        <TextInput label="Filter by name prefix" value={filter} onChange={setFilter} type="search" mono />
        <div className="table-scroll">
          <Table className="table" aria-label="Live events" data-testid="events-table">
            <TableHeader>
              <Column isRowHeader className="col">Name</Column>
              <Column className="col">Data</Column>
              <Column className="col">Device</Column>
              <Column className="col">Published</Column>
            </TableHeader>
            <TableBody
              items={shown}
              renderEmptyState={() => <p className="muted table-empty">{running ? 'Waiting for events…' : 'Paused.'}</p>}
            >
              {(e) => (
                <Row id={e.seq} className="row">
                  <Cell className="cell mono"><Breakable text={e.name} /></Cell>
                  <Cell className="cell mono"><Breakable text={e.data ?? ''} /></Cell>
                  <Cell className="cell mono"><Breakable text={e.coreid} /></Cell>
                  <Cell className="cell"><Time iso={e.published_at} precise /></Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        </div>
      </section>
    </section>
  );
}
