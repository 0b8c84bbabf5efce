import type { LogicLogEntry } from '../api/logic-types.ts';
import { Breakable, formatLogArgs } from '../ui/format.tsx';

/** Logic log entries as console lines (already masked by the server). */
export function LogLines(props: { readonly logs: readonly LogicLogEntry[]; readonly label: string }) {
  if (props.logs.length === 0) return <p className="muted">No log output.</p>;
  return (
    <ol className="pre console-lines" aria-label={props.label}>
      {props.logs.map((log, i) => (
        <li key={i} className={`console-line level-${log.level.toLowerCase()}`}>
          <span>[{log.level}]</span>
          <span><Breakable text={formatLogArgs(log.args)} /></span>
        </li>
      ))}
    </ol>
  );
}

export function statusTone(status: string): string {
  if (status === 'Success') return 'badge-success';
  if (status === 'Timeout') return 'badge-warning';
  return 'badge-error';
}
