import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { integrationsApi } from '../api/integrations-api.ts';
import type { DeliveryAttempt, Integration } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { Notice } from '../ui/notice.tsx';
import { ACTIONS_COLUMN, SimpleTable } from '../ui/simple-table.tsx';
import { TextInput } from '../ui/text-input.tsx';
import { useAction } from '../ui/use-action.ts';
import { useIntegrationOwner } from './integration-owner.ts';
import { integrationsKey, useDeadLetters } from './integration-queries.ts';

/** `datetime-local` text of a time in the browser's zone (what the input shows and reads). */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function lastError(d: DeliveryAttempt): string {
  return d.error ?? (d.response ? `HTTP ${d.response.status}` : '—');
}

function DeadLetterRow(props: { readonly d: DeliveryAttempt; readonly canWrite: boolean; readonly busy: boolean; readonly onReplay: (id: string) => void }) {
  const { d } = props;
  const id = d.delivery_id ?? d.id;
  return (
    <tr data-testid={`dead-${id}`}>
      <td className="cell"><Time iso={d.time} precise /></td>
      <td className="cell mono"><Breakable text={d.event ?? '—'} /></td>
      <td className="cell col-num">{d.attempt}</td>
      <td className="cell"><Breakable text={lastError(d)} /></td>
      <td className="cell col-actions">
        {d.replayed_as ? (
          <span className="badge badge-success">Replayed</span>
        ) : !props.canWrite ? (
          <span className="muted">Not replayed</span>
        ) : (
          <Button className="btn btn-secondary btn-small" isDisabled={props.busy} onPress={() => props.onReplay(id)} aria-label={`Replay ${d.event ?? 'delivery'} of ${d.time}`}>
            Replay
          </Button>
        )}
      </td>
    </tr>
  );
}

/**
 * The integration's dead letters: deliveries that exhausted their retries or were refused.
 * A replay is a new delivery rendered with the secrets and configuration of now; each dead
 * letter is replayed once.
 */
export function FailedDeliveriesPanel(props: { readonly integration: Integration }) {
  const { id } = props.integration;
  const { perms } = useScope();
  const owner = useIntegrationOwner();
  const queryClient = useQueryClient();
  const dead = useDeadLetters(id);
  const action = useAction();
  const [since, setSince] = useState(() => localInput(new Date(Date.now() - 86_400_000)));
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [...integrationsKey(owner.key), id] });

  const replayOne = (deliveryId: string) =>
    void action.run(async () => {
      await integrationsApi.replay(owner.prefix, id, deliveryId);
      setNotice('Replay queued: it is sent with the current secrets and settings.');
      await refresh();
    });
  const replayAll = () =>
    void action.run(async () => {
      const at = new Date(since);
      if (Number.isNaN(at.getTime())) throw new Error('Choose a date and time to replay from.');
      const r = await integrationsApi.replayAllSince(owner.prefix, id, at.toISOString());
      setNotice(r.replayed === 1 ? '1 delivery replayed.' : `${r.replayed} deliveries replayed.`);
      await refresh();
    });

  const rows = dead.data ?? [];
  return (
    <section className="section" aria-labelledby="failed-deliveries-title" data-testid="failed-deliveries">
      <h2 className="section-title" id="failed-deliveries-title">Failed deliveries</h2>
      <p className="muted">
        Deliveries that ran out of retries or were refused, kept for the retention period. Replaying sends a new delivery with the current secrets and settings.
      </p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {action.error ? <Notice tone="error">{action.error}</Notice> : null}
      {dead.isPending ? (
        <p className="muted">Loading failed deliveries…</p>
      ) : dead.isError ? (
        <Notice tone="error">Could not load failed deliveries.</Notice>
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="no-failed-deliveries">No failed deliveries.</p>
      ) : (
        <>
          <SimpleTable label="Failed deliveries" testId="failed-deliveries-table" columns={['Time', 'Event', 'Attempts', 'Last error', ACTIONS_COLUMN]}>
            {rows.map((d) => (
              <DeadLetterRow key={d.id} d={d} canWrite={perms.canWrite} busy={action.busy} onReplay={replayOne} />
            ))}
          </SimpleTable>
          {perms.canWrite ? (
          <div className="form-stack replay-since">
            <TextInput label="Replay all since" type="datetime-local" value={since} onChange={setSince} testId="replay-since" />
            <Button className="btn btn-primary" isDisabled={action.busy} isPending={action.busy} onPress={replayAll}>
              Replay all since…
            </Button>
          </div>
          ) : null}
        </>
      )}
    </section>
  );
}
