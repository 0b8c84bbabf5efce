import { Suspense } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useNavigate } from 'react-router';
import { Button } from 'react-aria-components/Button';
import { signOut } from '../api/session-api.ts';
import { useScope } from '../scope/scope-context.tsx';
import { SESSION_KEY } from '../session/session-queries.ts';
import { LoadingState } from '../ui/states.tsx';
import { ScopeSwitcher } from './scope-switcher.tsx';
import { SideNav } from './side-nav.tsx';

/** Header (brand, scope switcher, user, sign out), left navigation and the page. */
export function AppShell() {
  const { session } = useScope();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const doSignOut = async () => {
    try {
      await signOut();
    } finally {
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
      navigate('/login', { replace: true });
    }
  };
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">H</span> Hush
        </div>
        <ScopeSwitcher />
        <div className="topbar-user">
          <span className="muted" data-testid="current-user">{session.user.username}</span>
          <Button className="btn btn-quiet" onPress={doSignOut}>
            Sign out
          </Button>
        </div>
      </header>
      <SideNav />
      <main className="content" id="main">
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
