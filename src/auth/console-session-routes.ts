import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HushError } from '../errors/errors.ts';
import { csrfTokenFor, SESSION_COOKIE } from '../http/auth-hook.ts';
import { routeInput } from '../http/route-input.ts';
import type { OrgService } from '../orgs/org-service.ts';
import type { AuthService } from './auth-service.ts';

const loginBody = z.strictObject({ email: z.string(), password: z.string() });
const loginInput = routeInput({ summary: 'Sign in to the console (sets the session cookie)', body: loginBody, jsonOnly: true, public: true });
const setupInput = routeInput({ summary: 'Whether the first user still has to be created (a fresh install)', public: true });
const SESSION_SECONDS = 12 * 3600;
const isJson = (type: string | undefined) => typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type);

/**
 * The console's session: a normal access token carried in an HttpOnly, SameSite=Strict
 * cookie. Cookie-authenticated writes must echo the CSRF token (see the auth hook).
 */
export function registerConsoleSessionRoutes(app: FastifyInstance, deps: { auth: AuthService; orgs: OrgService; secureCookies: boolean }): void {
  const cookieOpts = { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: deps.secureCookies };
  app.post('/v1/console/session', loginInput.options, async (req, reply) => {
    // JSON only: a cross-site HTML form cannot send it, so another site cannot sign the
    // browser into the attacker's account (login CSRF) and collect what the victim saves.
    if (!isJson(req.headers['content-type'])) {
      throw new HushError('unsupported_media_type', 'sign in with a JSON body (Content-Type: application/json)');
    }
    const b = loginInput.body(req);
    const t = await deps.auth.login(b.email, b.password, 'hush-console', SESSION_SECONDS, req.ip);
    const user = await deps.auth.userByEmail(b.email);
    if (!user) throw new HushError('invalid_grant', 'User credentials are invalid');
    void reply.setCookie(SESSION_COOKIE, t.accessToken, { ...cookieOpts, maxAge: SESSION_SECONDS });
    return { user: { id: user.id, username: user.email }, csrf_token: csrfTokenFor(t.accessToken) };
  });
  // Public so that a signed-out console gets a 200 `{user: null}` rather than an error.
  app.get('/v1/console/session', { config: { public: true } }, async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    const p = token ? await deps.auth.authenticate(token) : null;
    if (!p || !token) return { user: null, csrf_token: null, orgs: [] };
    const orgs = await deps.orgs.orgsOfUser(p.userId);
    return {
      user: { id: p.userId, username: p.email },
      csrf_token: csrfTokenFor(token),
      orgs: orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.name, role: o.role })),
    };
  });
  // Public: a fresh install's sign-in page tells how to create the first user. It says
  // only whether any user exists, which is no secret once one does.
  app.get('/v1/console/setup', setupInput.options, async () => ({
    first_user_needed: await deps.auth.firstUserNeeded(),
  }));
  app.delete('/v1/console/session', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await deps.auth.revoke(token);
    void reply.clearCookie(SESSION_COOKIE, cookieOpts);
    return reply.status(204).send();
  });
}
