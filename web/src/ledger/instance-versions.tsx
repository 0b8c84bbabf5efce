import type { LedgerInstance } from '../api/ledger-api.ts';
import { Time } from '../ui/format.tsx';

/** Kept earlier contents of an instance, newest first, each with its JSON on demand. */
export function InstanceVersions(props: { readonly versions: readonly LedgerInstance[] }) {
  if (props.versions.length === 0) return <p className="table-empty">No earlier versions: it has not been replaced yet.</p>;
  return (
    <ol className="form-stack" aria-label="Versions" data-testid="instance-versions">
      {props.versions.map((v, i) => (
        <li key={`${v.updated_at}-${i}`} data-testid="instance-version">
          <details>
            <summary>
              Written <Time iso={v.updated_at} precise />, replaced <Time iso={v.replaced_at} precise /> · {v.size_bytes} bytes
            </summary>
            <pre className="mono json-view">{JSON.stringify(v.data, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ol>
  );
}
