import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { orgScope, SANDBOX } from '../scope/scope.ts';
import { ScopeProvider } from '../scope/scope-context.tsx';
import { useSession } from '../session/session-gate.tsx';
import { EmptyState } from '../ui/states.tsx';
import { AppShell } from './app-shell.tsx';

/** `/sandbox/*`: the signed-in user's own scope. */
export function SandboxRoute() {
  const session = useSession();
  return (
    <ScopeProvider scope={SANDBOX} session={session}>
      <AppShell />
    </ScopeProvider>
  );
}

/** `/orgs/:slug/*`: an organization the user belongs to. */
export function OrgRoute() {
  const session = useSession();
  const { slug } = useParams();
  const org = session.orgs.find((o) => o.slug === slug);
  const scope = useMemo(() => (org ? orgScope(org) : null), [org]);
  if (!scope) {
    return (
      <main className="fullpage">
        <EmptyState
          title="Organization not found"
          action={<Link className="btn btn-primary" to="/sandbox/secrets">Go to your sandbox</Link>}
        >
          <p>You are not a member of an organization called “{slug}”, or it does not exist.</p>
        </EmptyState>
      </main>
    );
  }
  return (
    <ScopeProvider scope={scope} session={session}>
      <AppShell />
    </ScopeProvider>
  );
}
