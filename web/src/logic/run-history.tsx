import { useState } from 'react';
import { Button } from 'react-aria-components/Button';
import type { LogicRun, LogicRunEvent } from '../api/logic-types.ts';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { LogLines, statusTone } from './log-lines.tsx';
import { useLogicRunLogs, useLogicRuns } from './logic-queries.ts';

function RunLogs(props: { readonly fnId: string; readonly runId: string }) {
  const query = useLogicRunLogs(props.fnId, props.runId);
  if (query.isPending) return <LoadingState label="Loading logs…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <LogLines logs={query.data} label={`Logs of run ${props.runId}`} />;
}

/** The event that set the run off: name, device and data (masked by the server). */
function RunEvent(props: { readonly event: LogicRunEvent }) {
  const e = props.event;
  return (
    <p className="run-event" data-testid="run-event">
      <span className="muted">Input event </span>
      <span className="mono"><Breakable text={e.name} /></span>
      <span className="muted"> from </span>
      <span className="mono"><Breakable text={e.coreid} /></span>
      {e.product_id !== null ? <span className="muted"> (product {e.product_id})</span> : null}
      {e.data !== null && e.data !== '' ? (
        <>
          <span className="muted">: </span>
          <code className="mono run-event-data">{e.data}</code>
        </>
      ) : null}
    </p>
  );
}

function duration(run: LogicRun): string {
  if (!run.finished_at) return '—';
  const ms = new Date(run.finished_at).getTime() - new Date(run.started_at).getTime();
  return Number.isFinite(ms) ? `${ms} ms` : '—';
}

/** The last runs of a deployed function (the server keeps 100), each with its logs on demand. */
export function RunHistory(props: { readonly fnId: string }) {
  const runs = useLogicRuns(props.fnId);
  const [open, setOpen] = useState<string | null>(null);
  if (runs.isPending) return <LoadingState label="Loading runs…" />;
  if (runs.isError) return <ErrorState title="Could not load runs" error={runs.error} onRetry={() => void runs.refetch()} />;
  if (runs.data.length === 0) {
    return (
      <EmptyState title="No runs yet">
        <p>Runs appear here when a trigger fires. Test runs from the editor are not recorded.</p>
      </EmptyState>
    );
  }
  return (
    <div>
      <div className="toolbar">
        <Button className="btn btn-secondary btn-small" onPress={() => void runs.refetch()} isPending={runs.isFetching}>
          Refresh
        </Button>
      </div>
      <ul className="log-list" aria-label="Runs">
        {runs.data.map((run) => (
          <li key={run.id} className="log-entry" data-testid={`run-${run.id}`}>
            <div className="run-summary">
              <span className={`badge ${statusTone(run.status)}`}>{run.status}</span>
              <Time iso={run.started_at} millis />
              <span className="muted">{run.logic_trigger_type} · {duration(run)}</span>
              <Button
                className="btn btn-quiet btn-small"
                aria-expanded={open === run.id}
                onPress={() => setOpen(open === run.id ? null : run.id)}
              >
                {open === run.id ? 'Hide logs' : 'Show logs'}
              </Button>
            </div>
            {run.event ? <RunEvent event={run.event} /> : null}
            {open === run.id ? (
              <div className="log-body">
                <RunLogs fnId={props.fnId} runId={run.id} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
