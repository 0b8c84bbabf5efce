import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components/Button';
import { integrationsApi } from '../api/integrations-api.ts';
import type { PausedHost } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { Notice } from '../ui/notice.tsx';
import { ACTIONS_COLUMN, SimpleTable } from '../ui/simple-table.tsx';
import { useAction } from '../ui/use-action.ts';
import { useIntegrationOwner } from './integration-owner.ts';
import { integrationsKey, usePausedHosts } from './integration-queries.ts';

function PausedHostRow(props: { readonly h: PausedHost; readonly canWrite: boolean; readonly busy: boolean; readonly onResume: (h: PausedHost) => void }) {
  const { h } = props;
  return (
    <tr data-testid={`paused-host-${h.id}`}>
      <td className="cell mono"><Breakable text={h.host} /></td>
      <td className="cell"><Time iso={h.paused_at} precise /></td>
      <td className="cell col-num">{h.errors} of {h.errors + h.successes}</td>
      <td className="cell"><Breakable text={h.last_error ?? '—'} /></td>
      <td className="cell">{h.probing ? 'Probing now' : <Time iso={h.next_probe_at} precise />}</td>
      <td className="cell col-actions">
        {props.canWrite ? (
          <Button className="btn btn-secondary btn-small" isDisabled={props.busy} onPress={() => props.onResume(h)} aria-label={`Resume ${h.host}`}>
            Resume
          </Button>
        ) : (
          <span className="muted">Paused</span>
        )}
      </td>
    </tr>
  );
}

/**
 * The owner's target hosts paused for too many errors (shown only while there are some).
 * Their deliveries wait, none dropped; a probe resumes a host once it answers, and a member
 * who may edit integrations can resume one at once.
 */
export function PausedHostsPanel() {
  const { perms } = useScope();
  const owner = useIntegrationOwner();
  const queryClient = useQueryClient();
  const hosts = usePausedHosts();
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = hosts.data ?? [];
  if (rows.length === 0 && !notice) return null;

  const resume = (h: PausedHost) =>
    void action.run(async () => {
      await integrationsApi.resumeHost(owner.prefix, h.id);
      setNotice(`${h.host} resumed: its waiting deliveries are being sent.`);
      await queryClient.invalidateQueries({ queryKey: [...integrationsKey(owner.key), 'paused-hosts'] });
    });

  return (
    <section className="section" aria-labelledby="paused-hosts-title" data-testid="paused-hosts">
      <h2 className="section-title" id="paused-hosts-title">Paused hosts</h2>
      <p className="muted">
        Sending to these hosts is paused after too many errors. Their deliveries wait and are sent once a probe finds the host answering again, or when it is resumed.
      </p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {action.error ? <Notice tone="error">{action.error}</Notice> : null}
      {rows.length > 0 ? (
        <SimpleTable label="Paused hosts" testId="paused-hosts-table" columns={['Host', 'Paused', 'Errors', 'Last error', 'Next probe', ACTIONS_COLUMN]}>
          {rows.map((h) => (
            <PausedHostRow key={h.id} h={h} canWrite={perms.canWrite} busy={action.busy} onResume={resume} />
          ))}
        </SimpleTable>
      ) : null}
    </section>
  );
}
