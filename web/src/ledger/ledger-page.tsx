import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { Form } from 'react-aria-components/Form';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { SimpleTable } from '../ui/simple-table.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { kindLabel } from './create-ledger-dialog.tsx';
import { useInstances, useLedger, useOwnerId } from './ledger-queries.ts';

/** One ledger: what it is and its instances; opens an instance by its product or device. */
export function LedgerPage() {
  const { name = '' } = useParams();
  const { base } = useScope();
  const navigate = useNavigate();
  const ledger = useLedger(name);
  const instances = useInstances(name);
  const ownerId = useOwnerId();
  const [value, setValue] = useState('');
  const instancePath = (v: string) => `${base}/ledger/${encodeURIComponent(name)}/instances/${encodeURIComponent(v)}`;
  const open = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) navigate(instancePath(value.trim()));
  };
  const def = ledger.data;
  const list = instances.data ?? [];
  return (
    <section aria-labelledby="ledger-title">
      <PageHeader
        title={name}
        breadcrumb={[{ to: `${base}/ledger`, label: 'Ledger' }]}
        description={def ? `${def.scope}-scoped, ${kindLabel(def.direction).toLowerCase()}. ${def.description}` : undefined}
      />
      {ledger.isPending ? (
        <LoadingState label="Loading the ledger…" />
      ) : ledger.isError ? (
        <ErrorState title="Could not load the ledger" error={ledger.error} onRetry={() => void ledger.refetch()} />
      ) : (
        <>
          <section className="section form-stack" aria-labelledby="ledger-open">
            <h2 className="section-title" id="ledger-open">Open an instance</h2>
            {ledger.data.scope === 'Owner' ? (
              <p>
                An owner-scoped ledger has one instance:{' '}
                <Link className="mono" to={instancePath(ownerId)} data-testid="owner-instance-link">{ownerId}</Link>
              </p>
            ) : (
              <Form onSubmit={open} className="toolbar" aria-label="Open an instance">
                <TextInput
                  label={ledger.data.scope === 'Product' ? 'Product ID or slug' : 'Device ID'}
                  value={value}
                  onChange={setValue}
                  mono
                  autoComplete="off"
                />
                <Button type="submit" className="btn btn-secondary" isDisabled={!value.trim()}>
                  Open
                </Button>
              </Form>
            )}
          </section>
          <section className="section" aria-labelledby="ledger-instances">
            <h2 className="section-title" id="ledger-instances">Instances</h2>
            {instances.isPending ? (
              <LoadingState label="Loading instances…" />
            ) : instances.isError ? (
              <ErrorState title="Could not load instances" error={instances.error} onRetry={() => void instances.refetch()} />
            ) : list.length === 0 ? (
              <EmptyState title="No instances yet">
                <p>An instance appears when a Logic function or someone here sets it.</p>
              </EmptyState>
            ) : (
              <SimpleTable label="Instances" testId="instances-table" columns={[def?.scope ?? 'Scope', 'Size', 'Updated']}>
                    {list.map((i) => (
                      <tr key={i.scope.value} className="row" data-testid={`instance-row-${i.scope.value}`}>
                        <th className="cell mono" scope="row"><Link to={instancePath(i.scope.value)}><Breakable text={i.scope.value} /></Link></th>
                        <td className="cell">{i.size_bytes} bytes</td>
                        <td className="cell"><Time iso={i.updated_at} /></td>
                      </tr>
                    ))}
              </SimpleTable>
            )}
          </section>
        </>
      )}
    </section>
  );
}
