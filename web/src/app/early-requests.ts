/**
 * The first requests of a page load: the session and, on the secrets page, the secrets
 * list, in parallel rather than one after the other, and started by the small `early`
 * entry (src/early.ts) while the rest of the console's JavaScript is still on its way.
 * Nothing here may import React or anything large: the early entry would grow with it.
 *
 * The secrets are requested before the session is known: a signed-out visitor costs one
 * 401 answer, which is dropped (the session gate sends them to sign in). primeQueryClient
 * hands both answers to the query cache, so the pages' queries use them instead of asking
 * again.
 */
import { secretsApi } from '../api/secrets-api.ts';
import { fetchSession } from '../api/session-api.ts';
import type { Secret, Session } from '../api/types.ts';

export interface EarlySecrets {
  /** The scope's query key part (`sandbox`, `org:<slug>`), as scopeKey() makes it. */
  readonly scopeKey: string;
  /** `/v1` or `/v1/orgs/<slug>`, as apiPrefix() makes it. */
  readonly prefix: string;
  readonly promise: Promise<Secret[]>;
}

export interface EarlyRequests {
  readonly session: Promise<Session | null>;
  readonly secrets: EarlySecrets | null;
}

/**
 * The scope whose secrets page `pathname` opens (`/`, `/sandbox`, `/sandbox/secrets`,
 * `/orgs/<slug>`, `/orgs/<slug>/secrets`, with or without a trailing slash), or null.
 */
export function secretsPageScope(pathname: string): { readonly scopeKey: string; readonly prefix: string } | null {
  if (pathname === '/') return { scopeKey: 'sandbox', prefix: '/v1' };
  const m = /^\/(?:sandbox|orgs\/([^/]+))(?:\/secrets)?\/?$/.exec(pathname);
  if (!m) return null;
  if (m[1] === undefined) return { scopeKey: 'sandbox', prefix: '/v1' };
  let slug: string;
  try {
    slug = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  return { scopeKey: `org:${slug}`, prefix: `/v1/orgs/${encodeURIComponent(slug)}` };
}

/** Starts the session request and, when `pathname` is a secrets page, the secrets request. */
export function startEarlyRequests(pathname: string): EarlyRequests {
  const session = fetchSession();
  const scope = secretsPageScope(pathname);
  let secrets: EarlySecrets | null = null;
  if (scope) {
    const promise = secretsApi.list(scope.prefix);
    // Handled later (or deliberately dropped for a signed-out visitor): never "unhandled".
    promise.catch(() => undefined);
    secrets = { ...scope, promise };
  }
  session.catch(() => undefined);
  return { session, secrets };
}

let started: EarlyRequests | null = null;

/**
 * The requests of this page load, started on the first call: by src/early.ts, or by
 * main.tsx when that entry did not run (the Vite dev server has no separate entry).
 */
export function earlyRequests(): EarlyRequests {
  started ??= startEarlyRequests(window.location.pathname);
  return started;
}
