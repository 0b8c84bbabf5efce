import { focusManager, MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/http.ts';
import { SESSION_KEY } from '../session/session-queries.ts';

/**
 * One client for the app. Lists refetch when the window regains focus (how a secret
 * created in another tab shows up in a picker), and any 401 re-checks the session so an
 * expired one sends the user to sign in.
 */
export function createQueryClient(options: { readonly retry?: boolean } = {}): QueryClient {
  const onError = (error: unknown, key?: readonly unknown[]) => {
    if (error instanceof ApiError && error.status === 401 && key?.[0] !== SESSION_KEY[0]) {
      void client.invalidateQueries({ queryKey: SESSION_KEY });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => onError(error) }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: true,
        staleTime: 0,
        retry:
          options.retry === false
            ? false
            : (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  return client;
}

/**
 * Refetch on tab switch (visibilitychange, TanStack's default) and also on window focus,
 * so returning from a secret created in another browser window refreshes pickers too.
 */
export function installFocusRefetch(): void {
  focusManager.setEventListener((onFocus) => {
    const listener = () => onFocus();
    window.addEventListener('visibilitychange', listener, false);
    window.addEventListener('focus', listener, false);
    return () => {
      window.removeEventListener('visibilitychange', listener);
      window.removeEventListener('focus', listener);
    };
  });
}
