import type { QueryClient } from '@tanstack/react-query';
import { fetchSession } from '../api/session-api.ts';
import { secretsApi } from '../api/secrets-api.ts';
import { secretsKey } from '../secrets/secret-queries.ts';
import { SESSION_KEY } from '../session/session-queries.ts';
import type { EarlyRequests } from './early-requests.ts';

/** A query function that answers with `first` once, then asks again (a retry or refetch). */
function once<T>(first: Promise<T>, again: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = first;
  return () => {
    const p = pending ?? again();
    pending = null;
    return p;
  };
}

/**
 * Puts the answers of the early requests (early-requests.ts) into the query cache, as the
 * queries in flight that the session gate and the secrets page would otherwise start one
 * after the other. The secrets join the cache only once the session says someone is
 * signed in: a signed-out visitor's 401 is dropped instead of reaching the cache's 401
 * handling or an error state.
 */
export function primeQueryClient(client: QueryClient, early: EarlyRequests): void {
  // The same options as useSessionQuery.
  const session = client.fetchQuery({ queryKey: SESSION_KEY, queryFn: once(early.session, fetchSession), staleTime: 5 * 60_000, retry: false });
  const secrets = early.secrets;
  if (!secrets) return;
  session.then(
    (signedIn) => {
      if (!signedIn) return;
      client
        .fetchQuery({ queryKey: secretsKey(secrets.scopeKey), queryFn: once(secrets.promise, () => secretsApi.list(secrets.prefix)) })
        .catch(() => undefined);
    },
    () => undefined,
  );
}
