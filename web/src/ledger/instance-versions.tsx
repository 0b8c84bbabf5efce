import type { LedgerInstance } from '../api/ledger-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Time } from '../ui/time.tsx';

/** ' by you', ' by Logic function f1', ' by <user id>', or nothing when no author was kept. */
export function authorText(by: string | null | undefined, myUserId: string): string {
  if (!by) return '';
  if (by === myUserId) return ' by you';
  return by.startsWith('logic:') ? ` by Logic function ${by.slice(6)}` : ` by ${by}`;
}

/** Kept earlier contents of an instance, newest first, each with its JSON on demand. */
export function InstanceVersions(props: { readonly versions: readonly LedgerInstance[] }) {
  const { session } = useScope();
  if (props.versions.length === 0) return <p className="table-empty">No earlier versions: it has not been replaced yet.</p>;
  return (
    <ol className="form-stack" aria-label="Versions" data-testid="instance-versions">
      {props.versions.map((v, i) => (
        <li key={`${v.updated_at}-${i}`} data-testid="instance-version">
          <details>
            <summary>
              Written <Time iso={v.updated_at} precise />{authorText(v.updated_by, session.user.id)}, replaced <Time iso={v.replaced_at} precise /> · {v.size_bytes} bytes
            </summary>
            <pre className="mono json-view">{JSON.stringify(v.data, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ol>
  );
}
