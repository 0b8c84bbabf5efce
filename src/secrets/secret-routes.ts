import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HushError } from '../errors/errors.ts';
import { parseInput } from '../http/body-fns.ts';
import { routeInput } from '../http/route-input.ts';
import { SCOPE_PREFIXES, type ScopeResolver } from '../http/scope-fns.ts';
import type { SecretRotationService } from './secret-rotation-service.ts';
import type { SecretService, SecretWriteResult } from './secret-service.ts';
import type { ExpiryInput } from './secret-write-fns.ts';

// Every body shape published clients send: docs `{name,value}` / `{value}`, the CLI's
// `{secret:{value}}`, and the same wrapped with a name.
const inner = z.strictObject({ name: z.string().optional(), value: z.unknown().optional() });
// Hush additions (Particle clients never send them): staged rotation and expiry.
const bodySchema = z.strictObject({
  name: z.string().optional(),
  value: z.unknown().optional(),
  secret: inner.optional(),
  pending: z.boolean().optional(),
  expires_at: z.string().max(64).nullable().optional(),
  rotation_period_days: z.number().nullable().optional(),
});

/**
 * Like parseInput, but a form body's unknown field names are not quoted: sent as
 * `curl -d "$VALUE"`, the field name *is* the secret value, and error messages never carry
 * one. (JSON keys are written deliberately, so naming them there helps with typos.)
 */
function parseSecretBody(raw: unknown, isForm: boolean): z.infer<typeof bodySchema> {
  const issues = isForm ? (bodySchema.safeParse(raw ?? {}).error?.issues ?? []) : [];
  if (issues.some((i) => i.code === 'unrecognized_keys')) {
    throw new HushError('validation_failed', 'invalid request body: the form has fields other than name, value and secret[value] (not shown: one may be the value itself); send value=… (percent-encoded)');
  }
  return parseInput(bodySchema, raw);
}

interface SecretBody {
  readonly name: string | undefined;
  readonly value: unknown;
  readonly pending: boolean;
  readonly expiry: ExpiryInput;
}

function readBody(req: FastifyRequest, pathName?: string, valueOptional = false): SecretBody {
  const isForm = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
  const b = parseSecretBody(req.body, isForm);
  if (b.secret && (b.value !== undefined || b.name !== undefined)) {
    throw new HushError('validation_failed', "send either {name, value} or {secret: {name, value}}, not both");
  }
  const name = b.secret?.name ?? b.name;
  const value = b.secret?.value ?? b.value;
  if (value === undefined && !valueOptional) throw new HushError('validation_failed', 'value is required');
  if (value === undefined && b.pending === true) throw new HushError('validation_failed', 'pending: true needs a value');
  if (pathName !== undefined && name !== undefined && name !== pathName) {
    throw new HushError('validation_failed', `body names secret '${name}' but the URL names '${pathName}'`);
  }
  const expiry = {
    ...(b.expires_at !== undefined ? { expiresAt: b.expires_at } : {}),
    ...(b.rotation_period_days !== undefined ? { rotationPeriodDays: b.rotation_period_days } : {}),
  };
  return { name, value, pending: b.pending === true, expiry };
}

const writeReply = (r: SecretWriteResult) => ({ ok: true, secret: r.secret, ...(r.warning ? { warning: r.warning } : {}) });

/** Versions are PostgreSQL integers: a larger number would fail the query instead of matching nothing. */
const MAX_VERSION = 2_147_483_647;

const versionParam = (raw: string): number => {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new HushError('validation_failed', `version must be a positive whole number, got '${raw}'`);
  if (v > MAX_VERSION) throw new HushError('validation_failed', `version must be at most ${MAX_VERSION}, got '${raw}'`);
  return v;
};

// A secret value may hold U+0000: it is stored encrypted (the name is checked by its rule).
const createInput = routeInput({ summary: 'Create a secret', body: bodySchema, allowNulInBody: true });
const replaceInput = routeInput({ summary: 'Create or replace a secret (pending: true saves it as pending)', body: bodySchema, allowNulInBody: true });
// Hush additions to the list; unknown parameters (access_token) pass as before.
const listInput = routeInput({
  summary: 'List secrets (optionally by last access, or only unused ones)',
  query: z.object({
    sort: z.enum(['name', 'last_accessed']).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    unused_days: z.string().regex(/^\d{1,5}$/, 'unused_days must be a whole number of days (0 to 99999)').optional(),
    never_used: z.enum(['true', 'false']).optional(),
  }),
});
const patchInput = routeInput({ summary: 'Change a secret: its value (pending: true saves it as pending), expiry or rotation period', body: bodySchema, allowNulInBody: true });

/** Spec §5.2 for the sandbox and organizations, plus versions and restore. */
export function registerSecretRoutes(app: FastifyInstance, deps: { secrets: SecretService; rotation: SecretRotationService; scopeOf: ScopeResolver }): void {
  const { secrets, rotation, scopeOf } = deps;
  for (const prefix of SCOPE_PREFIXES) {
    const base = `${prefix}/secrets`;
    app.get(base, listInput.options, async (req) => {
      const q = listInput.query(req);
      const query = { sort: q.sort, order: q.order, unusedDays: q.unused_days === undefined ? undefined : Number(q.unused_days), neverUsed: q.never_used === 'true' };
      return { secrets: await secrets.list(await scopeOf(req), query) };
    });
    app.get<{ Params: { name: string } }>(`${base}/:name`, async (req) => ({ secret: await secrets.get(await scopeOf(req), req.params.name) }));
    app.post(base, createInput.options, async (req, reply) => {
      const scope = await scopeOf(req);
      const { name, value, pending, expiry } = readBody(req);
      if (name === undefined) throw new HushError('validation_failed', 'name is required');
      if (pending) throw new HushError('validation_failed', 'pending: true is for replacing a value: a new secret has no current value to keep');
      const r = await secrets.create(scope, name, value, expiry);
      return reply.status(201).send(writeReply(r));
    });
    app.put<{ Params: { name: string } }>(`${base}/:name`, replaceInput.options, async (req, reply) => {
      const scope = await scopeOf(req);
      const { value, pending, expiry } = readBody(req, req.params.name);
      const r = pending ? await rotation.stage(scope, req.params.name, value, expiry) : await secrets.put(scope, req.params.name, value, expiry);
      return reply.status(200).send(writeReply(r));
    });
    app.patch<{ Params: { name: string } }>(`${base}/:name`, patchInput.options, async (req) => {
      const scope = await scopeOf(req);
      const { value, pending, expiry } = readBody(req, req.params.name, true);
      if (value === undefined) return writeReply(await rotation.setExpiry(scope, req.params.name, expiry));
      return writeReply(pending ? await rotation.stage(scope, req.params.name, value, expiry) : await secrets.put(scope, req.params.name, value, expiry));
    });
    app.post<{ Params: { name: string } }>(`${base}/:name/pending/promote`, async (req) => writeReply(await rotation.promote(await scopeOf(req), req.params.name)));
    app.delete<{ Params: { name: string } }>(`${base}/:name/pending`, async (req) => writeReply(await rotation.discard(await scopeOf(req), req.params.name)));
    app.delete<{ Params: { name: string } }>(`${base}/:name`, async (req, reply) => {
      await secrets.remove(await scopeOf(req), req.params.name);
      return reply.status(204).send();
    });
    app.get<{ Params: { name: string } }>(`${base}/:name/versions`, async (req) => ({
      versions: await secrets.versions(await scopeOf(req), req.params.name),
    }));
    app.post<{ Params: { name: string; version: string } }>(`${base}/:name/versions/:version/restore`, async (req) => {
      const r = await secrets.restore(await scopeOf(req), req.params.name, versionParam(req.params.version));
      return writeReply(r);
    });
  }
}
