import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HushError } from '../errors/errors.ts';
import { principalOf } from '../http/auth-hook.ts';
import { routeInput } from '../http/route-input.ts';
import type { OrgService } from '../orgs/org-service.ts';
import type { AuthService, TokenLifetime } from './auth-service.ts';

/**
 * Client ids of published Particle tools (and the console) with the secrets each sends.
 * The secret equals the id, except for particle-cli 3.0 to 3.47, which sign in (and create
 * tokens) as `CLI2` with the secret `client_secret_here`; 3.49 and later send
 * `particle-cli`/`particle-cli` through particle-api-js.
 */
export const KNOWN_CLIENTS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  [...['particle-cli', 'particle-api', 'particle', 'hush-console', 'hush'].map((id) => [id, [id]] as const), ['CLI2', ['CLI2', 'client_secret_here']] as const].map(
    ([id, secrets]) => [id, new Set(secrets)],
  ),
);

const tokenBody = z.object({
  grant_type: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  expires_in: z.coerce.number().int().min(0).max(10 * 365 * 86400).optional(),
  expires_at: z.string().optional(),
});

const tokenInput = routeInput({
  summary: 'Sign in: an access token for a username and password',
  description: "grant_type=password. The OAuth client (client_id/client_secret) goes in the body or as HTTP Basic; it defaults to 'particle'.",
  body: tokenBody,
  public: true,
});

function clientOf(req: FastifyRequest, body: z.infer<typeof tokenBody>): string {
  let id = body.client_id;
  let secret = body.client_secret;
  const h = req.headers.authorization;
  if (!id && typeof h === 'string' && /^basic\s/i.test(h)) {
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // A Basic header that does not hold `id:secret` is refused, not read as the default client.
    if (colon <= 0) throw new HushError('invalid_client', 'Client authentication failed');
    id = decoded.slice(0, colon);
    secret = decoded.slice(colon + 1);
  }
  if (!id) id = 'particle';
  const secrets = KNOWN_CLIENTS.get(id);
  if (secrets === undefined || (secret !== undefined && !secrets.has(secret))) {
    throw new HushError('invalid_client', 'Client authentication failed');
  }
  return id;
}

function lifetimeOf(body: z.infer<typeof tokenBody>, now: Date): TokenLifetime | undefined {
  if (body.expires_at) {
    const t = Date.parse(body.expires_at);
    if (Number.isNaN(t) || t <= now.getTime()) throw new HushError('validation_failed', 'expires_at must be an ISO date in the future');
    return new Date(t);
  }
  return body.expires_in;
}

/** `/oauth/token`, access-token management and `/v1/user` (spec §3). */
export function registerAuthRoutes(app: FastifyInstance, deps: { auth: AuthService; orgs: OrgService; now: () => Date }): void {
  const { auth, orgs } = deps;
  app.post('/oauth/token', tokenInput.options, async (req) => {
    const body = tokenInput.body(req);
    const clientId = clientOf(req, body);
    if (body.grant_type !== 'password') {
      throw new HushError('unsupported_grant_type', `grant_type '${body.grant_type ?? ''}' is not supported; use 'password'`);
    }
    if (!body.username || !body.password) throw new HushError('invalid_grant', 'User credentials are invalid');
    const t = await auth.login(body.username, body.password, clientId, lifetimeOf(body, deps.now()), req.ip);
    return { access_token: t.accessToken, token_type: 'bearer', expires_in: t.expiresIn, expires_at: t.expiresAt };
  });
  app.get('/v1/access_tokens/current', async (req) => {
    const p = principalOf(req);
    const list = await orgs.orgsOfUser(p.userId);
    return { expires_at: p.expiresAt, client: p.clientId, client_id: p.clientId, scopes: [], orgs: list.map((o) => ({ id: o.id, slug: o.slug })) };
  });
  app.delete('/v1/access_tokens/current', async (req) => {
    await auth.revokeHash(principalOf(req).tokenHash);
    return { ok: true };
  });
  app.delete('/v1/access_tokens', async (req) => {
    await auth.revokeAll(principalOf(req).userId);
    return { ok: true };
  });
  // The token in the path is the credential: the SDK sends no Authorization header.
  app.delete<{ Params: { token: string } }>('/v1/access_tokens/:token', { config: { public: true } }, async (req) => {
    if (!(await auth.revoke(req.params.token))) throw new HushError('not_found', 'access token not found');
    return { ok: true };
  });
  app.get('/v1/user', async (req) => {
    const p = principalOf(req);
    const user = await auth.userById(p.userId);
    return { id: p.userId, username: p.email, created_at: user?.createdAt ?? null };
  });
}
