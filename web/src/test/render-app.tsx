import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryRouter, MemoryRouter, RouterProvider } from 'react-router';
import type { Session } from '../api/types.ts';
import { createQueryClient } from '../app/query-client.ts';
import { routes } from '../app/routes.tsx';
import { SANDBOX, type Scope } from '../scope/scope.ts';
import { ScopeProvider } from '../scope/scope-context.tsx';
import './dom-timeouts.ts';


/** Mounts the whole console at `path` (session and data come from the fetch mock). */
export function renderApp(path: string) {
  const queryClient = createQueryClient({ retry: false });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup();
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { user, router, queryClient, ...view };
}

export const testSession: Session = {
  user: { id: 'u1', username: 'ada' },
  csrf_token: 'csrf-test-token',
  orgs: [],
};

/** Mounts one component inside a scope, a router and a fresh query client. */
export function renderInScope(ui: ReactNode, scope: Scope = SANDBOX) {
  const queryClient = createQueryClient({ retry: false });
  const user = userEvent.setup();
  const view = render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter>
        <ScopeProvider scope={scope} session={testSession}>
          {ui}
        </ScopeProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { user, queryClient, ...view };
}
