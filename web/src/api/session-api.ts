import { ApiError, http, setCsrfToken } from './http.ts';
import type { Session, SessionUser } from './types.ts';

/** The current session, or null when signed out. Remembers the CSRF token. */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await http.get<Session | { user: null; csrf_token: null }>('/v1/console/session');
    if (session.user === null) {
      setCsrfToken(null);
      return null;
    }
    setCsrfToken(session.csrf_token);
    return { ...session, orgs: session.orgs ?? [] };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  const res = await http.post<{ user: SessionUser; csrf_token: string }>('/v1/console/session', {
    email,
    password,
  });
  setCsrfToken(res.csrf_token);
  return res.user;
}

/**
 * Ends the session on the server. Throws when the server could not end it (unreachable,
 * or an error); the CSRF token is kept then, so that signing out can be tried again.
 */
export async function signOut(): Promise<void> {
  try {
    await http.del('/v1/console/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) setCsrfToken(null);
    throw error;
  }
  setCsrfToken(null);
}

/** True on a fresh install that has no user yet (the sign-in page then says how to create one). */
export async function fetchFirstUserNeeded(): Promise<boolean> {
  return (await http.get<{ first_user_needed: boolean }>('/v1/console/setup')).first_user_needed;
}
