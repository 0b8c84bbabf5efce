import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { messageOf } from '../api/http.ts';
import { secretsApi } from '../api/secrets-api.ts';
import type { SecretVersion } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { secretsKey } from './secret-queries.ts';

function VersionRow(props: {
  readonly v: SecretVersion;
  readonly name: string;
  readonly confirming: boolean;
  readonly busy: boolean;
  readonly onAsk: () => void;
  readonly onCancel: () => void;
  readonly onRestore: () => void;
}) {
  const { v } = props;
  const { perms } = useScope();
  const label = `Version ${v.version}`;
  return (
    <li className="version-row" data-testid={`secret-version-${v.version}`}>
      <div className="version-meta">
        <strong>{label}</strong>
        {v.current ? <span className="badge badge-success">Current</span> : null}
        <span className="muted">
          <Time iso={v.created_at} precise focusable /> by <Breakable text={v.created_by_username ?? v.created_by} />
          {v.restored_from !== null ? ` · restored from version ${v.restored_from}` : ''}
        </span>
      </div>
      {v.current ? null : props.confirming ? (
        <div className="version-confirm" role="group" aria-label={`Restore version ${v.version}?`}>
          <span>Use this value again everywhere {props.name} is used?</span>
          <Button className="btn btn-primary btn-small" onPress={props.onRestore} isPending={props.busy} autoFocus>
            Restore version {v.version}
          </Button>
          <Button className="btn btn-secondary btn-small" onPress={props.onCancel}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button
          className="btn btn-secondary btn-small"
          onPress={props.onAsk}
          isDisabled={!perms.canWrite}
          aria-label={`Restore version ${v.version}`}
        >
          Restore
        </Button>
      )}
    </li>
  );
}

/**
 * The stored versions of a secret, newest first. An earlier version can be restored
 * (its value becomes current again, as a new version); no version can be read.
 */
export function SecretVersions(props: { readonly name: string }) {
  const { prefix, key, perms } = useScope();
  const queryClient = useQueryClient();
  const versionsKey = [...secretsKey(key), props.name, 'versions'];
  const query = useQuery({ queryKey: versionsKey, queryFn: () => secretsApi.versions(prefix, props.name) });
  const [confirming, setConfirming] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: 'success' | 'warning' | 'error'; text: string } | null>(null);

  const restore = async (version: number) => {
    setBusy(true);
    setResult(null);
    try {
      const r = await secretsApi.restore(prefix, props.name, version);
      const done = `Version ${version} restored: everything that uses ${props.name} now gets that value.`;
      setResult(r.warning ? { tone: 'warning', text: `${done} ${r.warning}` } : { tone: 'success', text: done });
      setConfirming(null);
      // The list, this secret's details and its versions all changed.
      await queryClient.invalidateQueries({ queryKey: secretsKey(key) });
    } catch (err) {
      setResult({ tone: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3 className="section-title">Versions</h3>
      {query.isPending ? (
        <p className="muted">Loading versions…</p>
      ) : query.isError ? (
        <Notice tone="error">Could not load the versions: {messageOf(query.error)}</Notice>
      ) : (
        <ul className="version-list" aria-label={`Versions of ${props.name}`}>
          {query.data.map((v) => (
            <VersionRow
              key={v.version}
              v={v}
              name={props.name}
              confirming={confirming === v.version}
              busy={busy}
              onAsk={() => {
                setResult(null);
                setConfirming(v.version);
              }}
              onCancel={() => setConfirming(null)}
              onRestore={() => void restore(v.version)}
            />
          ))}
        </ul>
      )}
      {perms.writeReason && (query.data?.length ?? 0) > 1 ? <DisabledReason>{perms.writeReason}</DisabledReason> : null}
      {result ? <Notice tone={result.tone}>{result.text}</Notice> : null}
    </>
  );
}
