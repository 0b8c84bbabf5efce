import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth-service.ts';
import { HushError } from '../errors/errors.ts';

export const SESSION_COOKIE = 'hush_session';

/** The console's CSRF token: derived from the session token, so every node agrees on it. */
export const csrfTokenFor = (sessionToken: string): string =>
  createHash('sha256').update('hush csrf\0').update(sessionToken).digest('base64url');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function extractToken(req: FastifyRequest): { token: string; via: NonNullable<FastifyRequest['authVia']> } | null {
  const body = req.body as Record<string, unknown> | undefined;
  let bodyToken: string | undefined;
  if (body && typeof body === 'object' && typeof body.access_token === 'string') {
    bodyToken = body.access_token;
    // Not part of any resource's fields: drop it before body validation sees it, also when
    // the request authenticates another way (a header and a form token together).
    delete body.access_token;
  }
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^bearer\s/i.test(header)) return { token: header.slice(7).trim(), via: 'bearer' };
  const query = req.query as Record<string, unknown> | undefined;
  if (query && typeof query.access_token === 'string') return { token: query.access_token, via: 'query' };
  if (bodyToken !== undefined) return { token: bodyToken, via: 'body' };
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie) return { token: cookie, via: 'cookie' };
  return null;
}

/** Authenticates every non-public route; 401 only for a missing or bad token. */
export function installAuthHook(app: FastifyInstance, auth: Pick<AuthService, 'authenticate'>): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('authVia', null);
  app.addHook('preHandler', async (req) => {
    if (req.routeOptions.config?.public) return;
    const found = extractToken(req);
    if (!found || found.token === '') throw new HushError('unauthorized', 'The access token was not found');
    const principal = await auth.authenticate(found.token);
    if (!principal) throw new HushError('invalid_token', 'The access token provided is invalid.');
    if (found.via === 'cookie' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== csrfTokenFor(found.token)) {
        throw new HushError('csrf_failed', 'missing or invalid X-CSRF-Token header for a cookie-authenticated request');
      }
    }
    req.principal = principal;
    req.authVia = found.via;
  });
}

/** The principal of an authenticated route (the hook guarantees it). */
export function principalOf(req: FastifyRequest) {
  if (!req.principal) throw new HushError('unauthorized', 'The access token was not found');
  return req.principal;
}
