import { useQuery, useQueryClient } from '@tanstack/react-query';
import { secretsApi } from '../api/secrets-api.ts';
import { useScope } from '../scope/scope-context.tsx';

export function secretsKey(scopeKey: string) {
  return ['secrets', scopeKey] as const;
}

/**
 * The current scope's secrets. Refetched whenever the window regains focus, so a
 * secret created in another tab is listed on return without a reload, and every few
 * seconds while shown, so usage and "Last accessed" stay current as deliveries run.
 * Fresh for 2 s: the list fetched at page load, in parallel with the session
 * (app/early-requests.ts), is not fetched a second time when the page mounts.
 */
export function useSecrets() {
  const { prefix, key } = useScope();
  return useQuery({
    queryKey: secretsKey(key),
    queryFn: () => secretsApi.list(prefix),
    staleTime: 2_000,
    refetchOnWindowFocus: 'always',
    refetchInterval: 5_000,
    refetchIntervalInBackground: false,
  });
}

/** Marks the secret list (and whatever shows usage) as changed. */
export function useInvalidateSecrets() {
  const queryClient = useQueryClient();
  const { key } = useScope();
  return () => queryClient.invalidateQueries({ queryKey: secretsKey(key) });
}
