import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HushError } from '../errors/errors.ts';
import { routeInput } from '../http/route-input.ts';
import { SCOPE_PREFIXES, type ScopeResolver } from '../http/scope-fns.ts';
import type { LedgerDefinitionService } from './ledger-definition-service.ts';
import type { LedgerInstanceService } from './ledger-instance-service.ts';
import { checkScope } from './ledger-rules.ts';
import type { LedgerDefinition, LedgerInstance } from './ledger-types.ts';

const defBody = z.object({ ledger: z.object({ name: z.unknown(), description: z.unknown(), scope: z.unknown(), direction: z.unknown() }).partial() });
const instBody = z.object({ instance: z.object({ data: z.unknown() }) });
const createInput = routeInput({ summary: 'Create a ledger definition', body: defBody });
const updateInput = routeInput({ summary: 'Update a ledger definition', body: defBody });
const setInput = routeInput({ summary: 'Set a ledger instance', description: 'Query `set_mode`: `Replace` (default) or `Merge`.', body: instBody });

const defView = (d: LedgerDefinition) => ({
  scope: d.scope, name: d.name, description: d.description, direction: d.direction, created_at: d.createdAt, updated_at: d.updatedAt, archived_at: d.archivedAt,
});

const PER_PAGE_MAX = 100;
const intParam = (raw: unknown, what: string, dflt: number, max: number): number => {
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new HushError('validation_failed', `${what} must be a whole number from 1 to ${max}`);
  return n;
};
const pageOf = (q: Record<string, unknown>) => ({ page: intParam(q.page, 'page', 1, 1_000_000), perPage: intParam(q.per_page, 'per_page', 25, PER_PAGE_MAX) });
const meta = (p: { page: number; perPage: number; total: number }) => ({ page: p.page, per_page: p.perPage, total_pages: Math.ceil(p.total / p.perPage), total: p.total });
const boolParam = (raw: unknown): boolean | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new HushError('validation_failed', 'archived must be true or false');
};
const timeParam = (raw: unknown, what: string): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  const t = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (Number.isNaN(t)) throw new HushError('validation_failed', `${what} must be an ISO 8601 time`);
  return new Date(t).toISOString();
};
const versionParam = (raw: string): number => {
  const v = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || v < 1) throw new HushError('validation_failed', `version must be a positive whole number, got '${raw.slice(0, 40)}'`);
  return v;
};

type Q = Record<string, unknown>;
type P = { name: string; value: string; version: string };

/** Spec ledger-and-env §1.2 (particle-api-js createLedger … getLedgerInstanceVersion), sandbox and orgs. */
export function registerLedgerRoutes(app: FastifyInstance, deps: { definitions: LedgerDefinitionService; instances: LedgerInstanceService; scopeOf: ScopeResolver }): void {
  const { definitions, instances, scopeOf } = deps;
  for (const prefix of SCOPE_PREFIXES) {
    const base = `${prefix}/ledgers`;
    const instView = (i: LedgerInstance) => ({
      name: i.ledger, scope: { type: i.scopeType, value: i.scopeValue }, size_bytes: i.sizeBytes, data: i.data,
      created_at: i.createdAt, updated_at: i.updatedAt, updated_by: i.updatedBy, ...(i.replacedAt ? { replaced_at: i.replacedAt } : {}),
    });
    app.post(base, createInput.options, async (req, reply) => {
      const d = await definitions.create(await scopeOf(req), createInput.body(req).ledger);
      return reply.status(201).send(defView(d));
    });
    app.get<{ Querystring: Q }>(base, async (req) => {
      const q = req.query;
      const r = await definitions.list(await scopeOf(req), { scope: q.scope === undefined || q.scope === '' ? undefined : checkScope(q.scope), archived: boolParam(q.archived), ...pageOf(q) });
      return { ledger_definitions: r.items.map(defView), meta: meta(r) };
    });
    app.get<{ Params: P }>(`${base}/:name`, async (req) => defView(await definitions.get(await scopeOf(req), req.params.name)));
    app.put<{ Params: P }>(`${base}/:name`, updateInput.options, async (req) => defView(await definitions.update(await scopeOf(req), req.params.name, updateInput.body(req).ledger)));
    app.delete<{ Params: P }>(`${base}/:name`, async (req) => {
      await definitions.archive(await scopeOf(req), req.params.name);
      return { ok: true };
    });

    app.get<{ Params: P; Querystring: Q }>(`${base}/:name/instances`, async (req) => {
      const r = await instances.list(await scopeOf(req), req.params.name, pageOf(req.query));
      return { instances: r.items.map(instView), meta: meta(r) };
    });
    app.get<{ Params: P }>(`${base}/:name/instances/:value`, async (req) => instView(await instances.get(await scopeOf(req), req.params.name, req.params.value)));
    // A cloud-only instance holds up to 1 MiB of JSON: room for it and its wrapping.
    app.put<{ Params: P; Querystring: Q }>(`${base}/:name/instances/:value`, { ...setInput.options, bodyLimit: 1024 * 1024 + 64 * 1024 }, async (req) => {
      const scope = await scopeOf(req);
      const body = setInput.body(req);
      return instView(await instances.set(scope, req.params.name, req.params.value, body.instance.data, req.query.set_mode));
    });
    app.delete<{ Params: P }>(`${base}/:name/instances/:value`, async (req) => {
      await instances.remove(await scopeOf(req), req.params.name, req.params.value);
      return { ok: true };
    });
    app.get<{ Params: P; Querystring: Q }>(`${base}/:name/instances/:value/versions`, async (req) => {
      const scope = await scopeOf(req);
      const f = { before: timeParam(req.query.replaced_before, 'replaced_before'), after: timeParam(req.query.replaced_after, 'replaced_after') };
      const vs = await instances.versions(scope, req.params.name, req.params.value, f);
      return { versions: vs.map(instView), meta: { has_more: false } };
    });
    app.get<{ Params: P }>(`${base}/:name/instances/:value/versions/:version`, async (req) => {
      return instView(await instances.version(await scopeOf(req), req.params.name, req.params.value, versionParam(req.params.version)));
    });
  }
}
