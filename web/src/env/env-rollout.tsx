import { useState } from 'react';
import { Button } from 'react-aria-components/Button';
import type { EnvChange, EnvState } from '../api/env-api.ts';
import { envApi } from '../api/env-api.ts';
import { useAction } from '../ui/use-action.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { SimpleTable } from '../ui/simple-table.tsx';
import { DisabledReason, Notice } from '../ui/notice.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { useEnvRollout, useInvalidateEnv } from './env-queries.ts';

function ChangeRow(props: { readonly change: EnvChange }) {
  const c = props.change;
  return (
    <tr className="row" data-testid={`env-change-${c.key}`}>
      <td className="cell"><span className={`badge ${c.op === 'Removed' ? 'badge-error' : 'badge-success'}`}>{c.op}</span></td>
      <th className="cell mono" scope="row"><Breakable text={c.key} /></th>
      <td className="cell mono">{c.op === 'Added' ? <span className="muted">—</span> : <Breakable text={c.before ?? ''} />}</td>
      <td className="cell mono">{c.op === 'Removed' ? <span className="muted">—</span> : <Breakable text={c.after ?? ''} />}</td>
    </tr>
  );
}

export interface EnvRolloutPanelProps {
  readonly base: string;
  readonly snapshot: EnvState['last_snapshot'];
  readonly canWrite: boolean;
  readonly writeReason: string | null;
}

/**
 * What Logic functions get is the last rollout: the diff between it and the latest values,
 * and Roll out (`POST …/env/rollout`, `when: Immediate`).
 */
export function EnvRolloutPanel(props: EnvRolloutPanelProps) {
  const { session } = useScope();
  const review = useEnvRollout(props.base);
  const by = props.snapshot?.rollout_by;
  const byText = !by ? '' : by === `user:${session.user.id}` ? ' by you' : ` by ${by}`;
  const invalidate = useInvalidateEnv();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);
  const changes = review.data?.changes ?? [];
  const rollOut = async () => {
    setDone(false);
    await run(async () => {
      await envApi.rollout(props.base);
      await invalidate();
      setDone(true);
    });
  };
  return (
    <div className="form-stack" data-testid="env-rollout">
      <p className="field-help" data-testid="env-last-rollout">
        {props.snapshot?.rollout_at ? (
          <>Last rolled out <Time iso={props.snapshot.rollout_at} precise />{byText}.</>
        ) : (
          'Never rolled out: Logic functions get no environment variables from here yet.'
        )}
      </p>
      {review.isPending ? (
        <LoadingState label="Comparing with the last rollout…" />
      ) : review.isError ? (
        <ErrorState title="Could not compare with the last rollout" error={review.error} onRetry={() => void review.refetch()} />
      ) : changes.length === 0 ? (
        <p className="table-empty">No changes since the last rollout ({Object.keys(review.data.unchanged).length} unchanged).</p>
      ) : (
        <SimpleTable label="Changes to roll out" testId="env-rollout-diff" columns={['Change', 'Key', 'Before', 'After']}>
          {changes.map((c) => <ChangeRow key={c.key} change={c} />)}
        </SimpleTable>
      )}
      {done ? <Notice tone="success" testId="env-rollout-done">Rolled out. Logic functions that use environment variables get these values from their next run.</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {props.canWrite ? (
        <div>
          <Button className="btn btn-primary" onPress={rollOut} isPending={busy} isDisabled={changes.length === 0} data-testid="env-rollout-button">
            Roll out
          </Button>
        </div>
      ) : (
        <DisabledReason>{props.writeReason}</DisabledReason>
      )}
    </div>
  );
}
