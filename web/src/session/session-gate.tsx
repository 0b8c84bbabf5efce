import { createContext, useContext } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Session } from '../api/types.ts';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { useSessionQuery } from './session-queries.ts';

const SessionContext = createContext<Session | null>(null);

/** The signed-in session. Only valid below SessionGate. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used below SessionGate');
  return session;
}

/** Route element for everything that needs a session: sends signed-out visitors to sign in. */
export function SessionGate() {
  const location = useLocation();
  const query = useSessionQuery();
  if (query.isPending) {
    return (
      <div className="fullpage">
        <LoadingState label="Loading your console…" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="fullpage">
        <ErrorState title="Could not load your session" error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  if (!query.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <SessionContext.Provider value={query.data}>
      <Outlet />
    </SessionContext.Provider>
  );
}
