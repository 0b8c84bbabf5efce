import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { secretsApi } from '../api/secrets-api.ts';
import type { Secret } from '../api/types.ts';
import { useScope } from '../scope/scope-context.tsx';
import { AppDialog } from '../ui/app-dialog.tsx';
import type { FocusTarget } from '../ui/use-return-focus.ts';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { secretsKey } from './secret-queries.ts';
import { ageOf, SecretBadges, UnusedBadge } from './secret-badges.tsx';
import { SecretUsageChart } from './secret-usage-chart.tsx';
import { SecretVersions } from './secret-versions.tsx';

function who(username: string | null | undefined, id: string): string {
  return username ?? id;
}

/** Metadata of one secret and the integrations and Logic functions that use it (never the value). */
export function SecretDetailsDialog(props: { readonly secret: Secret | null; readonly onClose: () => void; readonly returnFocusTo?: FocusTarget }) {
  const { prefix, key, base } = useScope();
  const name = props.secret?.name ?? '';
  const query = useQuery({
    queryKey: [...secretsKey(key), name],
    queryFn: () => secretsApi.get(prefix, name),
    enabled: props.secret !== null,
    placeholderData: props.secret ?? undefined,
  });
  const secret = query.data ?? props.secret;
  return (
    <AppDialog
      returnFocusTo={props.returnFocusTo}
      title={`Secret ${name}`}
      isOpen={props.secret !== null}
      onOpenChange={(open) => (open ? undefined : props.onClose())}
      testId="secret-details-dialog"
    >
      {secret ? (
        <>
          <dl className="details">
            <dt>Created</dt>
            <dd>
              <Time iso={secret.created_at} focusable /> by <Breakable text={who(secret.created_by_username, secret.created_by)} />
            </dd>
            <dt>Updated</dt>
            <dd>
              <Time iso={secret.updated_at} focusable /> by <Breakable text={who(secret.updated_by_username, secret.updated_by)} />
            </dd>
            <dt>Last accessed</dt>
            <dd>
              <Time iso={secret.last_accessed_at} never="Never" focusable />
              <UnusedBadge secret={secret} />
            </dd>
            <dt>Usage count</dt>
            <dd>{secret.usage_count}</dd>
            <dt>Expires</dt>
            <dd data-testid="secret-expiry">
              {secret.expires_at ? (
                <>
                  <Time iso={secret.expires_at} precise focusable />
                  <SecretBadges secret={secret} />
                  {secret.expired ? <span className="muted"> (the value keeps working until you replace it)</span> : null}
                </>
              ) : (
                'No expiry set'
              )}
              {secret.rotation_period_days ? <span className="muted"> · rotated every {secret.rotation_period_days} days</span> : null}
            </dd>
            <dt>Pending value</dt>
            <dd>{secret.pending ? <>saved {ageOf(secret.pending.since)} ago: promote or discard it in Edit</> : 'None'}</dd>
          </dl>
          <h3 className="section-title">Uses per day (last 30 days)</h3>
          <SecretUsageChart secret={secret} base={base} />
          <h3 className="section-title">Integrations</h3>
          {secret.integrations.length ? (
            <ul className="link-list" aria-label="Integrations using this secret">
              {secret.integrations.map((i) => (
                <li key={i.id}>
                  <Link to={`${base}/integrations/${encodeURIComponent(i.id)}${i.product_slug ? `?product=${encodeURIComponent(i.product_slug)}` : ''}`}>{i.name || i.id}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No integration uses it.</p>
          )}
          <h3 className="section-title">Logic functions</h3>
          {secret.logic_functions.length ? (
            <ul className="link-list" aria-label="Logic functions using this secret">
              {secret.logic_functions.map((f) => (
                <li key={f.id}>
                  <Link to={`${base}/logic/${encodeURIComponent(f.id)}`}>{f.name || f.id}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No Logic function uses it.</p>
          )}
          <SecretVersions name={name} />
        </>
      ) : null}
      <div className="dialog-actions">
        <Button className="btn btn-secondary" onPress={props.onClose} autoFocus>
          Close
        </Button>
      </div>
    </AppDialog>
  );
}
