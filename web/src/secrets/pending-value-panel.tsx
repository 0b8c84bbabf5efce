import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components/Button';
import { messageOf } from '../api/http.ts';
import { secretsApi } from '../api/secrets-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Notice } from '../ui/notice.tsx';
import { ageOf } from './secret-badges.tsx';
import { secretsKey, useInvalidateSecrets } from './secret-queries.ts';

/** A secret's pending value, if it has one: its age, and Promote / Discard (never the value). */
export function PendingValuePanel(props: { readonly name: string; readonly onDone: (what: 'promoted' | 'discarded') => void }) {
  const { prefix, key } = useScope();
  const invalidate = useInvalidateSecrets();
  const [busy, setBusy] = useState<'promote' | 'discard' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = useQuery({ queryKey: [...secretsKey(key), props.name], queryFn: () => secretsApi.get(prefix, props.name), enabled: props.name !== '' });
  const pending = query.data?.pending;
  if (!pending) return null;
  const act = async (what: 'promote' | 'discard') => {
    setBusy(what);
    setError(null);
    try {
      await (what === 'promote' ? secretsApi.promote(prefix, props.name) : secretsApi.discard(prefix, props.name));
      await invalidate();
      props.onDone(what === 'promote' ? 'promoted' : 'discarded');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div data-testid="pending-panel">
      <Notice tone="warning" title={`A pending value waits (saved ${ageOf(pending.since)} ago)`}>
        Deliveries and Logic runs still use the current value. Promote the pending value once a test has passed with it, or
        discard it. Saving another value as pending replaces it; saving a value for use now discards it.
      </Notice>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="dialog-actions">
        <Button className="btn btn-secondary" isPending={busy === 'discard'} onPress={() => void act('discard')}>
          Discard pending value
        </Button>
        <Button className="btn btn-primary" isPending={busy === 'promote'} onPress={() => void act('promote')}>
          Promote pending value
        </Button>
      </div>
    </div>
  );
}
