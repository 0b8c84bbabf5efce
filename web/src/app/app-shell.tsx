import { Suspense, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useNavigate } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { ApiError, messageOf } from '../api/http.ts';
import { signOut } from '../api/session-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { SESSION_KEY } from '../session/session-queries.ts';
import { Notice } from '../ui/notice.tsx';
import { Breakable } from '../ui/format.tsx';
import { LoadingState } from '../ui/states.tsx';
import { ScopeSwitcher } from './scope-switcher.tsx';
import { SideNav } from './side-nav.tsx';

/** Why a sign-out did not end the session, in words for the banner. */
function signOutProblem(error: unknown): string {
  if (error instanceof ApiError && error.status === 0) return 'The Hush server could not be reached, so your session was not ended.';
  return `The server did not end the session (${messageOf(error)}).`;
}

/**
 * Header (brand, scope switcher, user, sign out), left navigation and the page.
 * Sign-out only leaves the console once the server has ended the session: the cookie is
 * HttpOnly, so when the server cannot be reached the console says the session may still
 * be active instead of showing the sign-in page as if it had ended.
 */
export function AppShell() {
  const { session } = useScope();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const doSignOut = async () => {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await signOut();
    } catch (err) {
      // 401: the session had already ended (expired or signed out elsewhere).
      if (!(err instanceof ApiError && err.status === 401)) {
        setSignOutError(signOutProblem(err));
        setSigningOut(false);
        return;
      }
    }
    queryClient.clear();
    queryClient.setQueryData(SESSION_KEY, null);
    navigate('/login', { replace: true });
  };
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">H</span> Hush
        </div>
        <ScopeSwitcher />
        <div className="topbar-user">
          <span className="muted" data-testid="current-user"><Breakable text={session.user.username} /></span>
          <Button className="btn btn-quiet" onPress={doSignOut} isPending={signingOut}>
            Sign out
          </Button>
        </div>
      </header>
      <SideNav />
      <main className="content" id="main">
        {signOutError ? (
          <Notice tone="error" title="Sign-out failed: you may still be signed in" testId="sign-out-error">
            <p>
              {signOutError} It may still be active in this browser: check the connection, then sign out again.
            </p>
            <div className="row-actions">
              <Button className="btn btn-secondary btn-small" onPress={doSignOut} isPending={signingOut}>
                Try signing out again
              </Button>
              <Button className="btn btn-quiet btn-small" onPress={() => setSignOutError(null)}>
                Dismiss
              </Button>
            </div>
          </Notice>
        ) : null}
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
