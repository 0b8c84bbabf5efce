import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { productsApi } from '../api/products-api.ts';
import { useProducts } from '../scope/products-query.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { SimpleTable } from '../ui/simple-table.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useAction } from '../ui/use-action.ts';
import { useFocusInvalid } from '../ui/use-focus-invalid.ts';
import { useInvalidateProducts } from './product-queries.ts';

function CreateProductForm() {
  const { prefix, base, perms } = useScope();
  const navigate = useNavigate();
  const invalidate = useInvalidateProducts();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const { formRef, focusInvalid } = useFocusInvalid();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Product name is required');
      focusInvalid();
      return;
    }
    setNameError(null);
    void run(async () => {
      const p = await productsApi.create(prefix, name.trim());
      await invalidate();
      navigate(`${base}/products/${encodeURIComponent(p.slug)}`, { state: { created: p.name } });
    });
  };
  return (
    <Form ref={formRef} onSubmit={submit} className="form-stack" validationBehavior="aria" aria-label="Create a product">
      <TextInput label="Product name" value={name} onChange={setName} error={nameError} isRequired isDisabled={!perms.canWrite} description="Devices belong to a product; Logic event triggers and product integrations handle their events." />
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="row-actions">
        <Button type="submit" className="btn btn-primary" isPending={busy} isDisabled={!perms.canWrite} aria-describedby={perms.writeReason ? 'product-write-reason' : undefined}>
          Create product
        </Button>
      </div>
      {perms.writeReason ? <DisabledReason id="product-write-reason">{perms.writeReason}</DisabledReason> : null}
    </Form>
  );
}

/** Products: the scope's products (create, list); each opens its devices, integrations, Logic and stream. */
export function ProductsPage() {
  const { base, scope } = useScope();
  const query = useProducts();
  const where = scope.kind === 'sandbox' ? 'your sandbox' : scope.name;
  const products = query.data ?? [];
  return (
    <section>
      <PageHeader title="Products" description={`Products of ${where}: groups of devices whose events Logic functions and integrations handle.`} />
      <section className="section" aria-labelledby="create-product-title">
        <h2 className="section-title" id="create-product-title">Create a product</h2>
        <CreateProductForm />
      </section>
      {query.isPending ? (
        <LoadingState label="Loading products…" />
      ) : query.isError ? (
        <ErrorState title="Could not load products" error={query.error} onRetry={() => void query.refetch()} />
      ) : products.length === 0 ? (
        <EmptyState title="No products yet">
          <p>Create a product, add its device ids, then publish events as those devices from the Events page.</p>
        </EmptyState>
      ) : (
        <SimpleTable label="Products" testId="products-table" columns={['Name', 'Slug', 'ID', 'Created']}>
          {products.map((p) => (
            <tr key={p.id} className="row" data-testid={`product-row-${p.slug}`}>
              <th className="cell" scope="row"><Link to={`${base}/products/${encodeURIComponent(p.slug)}`}><Breakable text={p.name} /></Link></th>
              <td className="cell mono"><Breakable text={p.slug} /></td>
              <td className="cell mono">{p.id}</td>
              <td className="cell">{p.created_at ? <Time iso={p.created_at} /> : '—'}</td>
            </tr>
          ))}
        </SimpleTable>
      )}
    </section>
  );
}
