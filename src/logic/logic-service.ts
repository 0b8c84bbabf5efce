import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { uuid } from '../shared/ids.ts';
import type { Db } from '../store/database-types.ts';
import { nextRunMs, readFunctionBody, readTriggers } from './logic-input-fns.ts';
import type { LogicRuntime } from './runtime/index.ts';
import type { LogicStore } from './logic-store.ts';
import type { LogicFunction, LogicTrigger } from './logic-types.ts';

export interface LogicLimits {
  readonly maxFunctions: number;
  readonly maxTriggers: number;
}

export interface LogicService {
  list(scope: Scope): Promise<LogicFunction[]>;
  get(scope: Scope, id: string): Promise<LogicFunction>;
  create(scope: Scope, body: unknown): Promise<LogicFunction>;
  update(scope: Scope, id: string, body: unknown): Promise<LogicFunction>;
  remove(scope: Scope, id: string): Promise<void>;
  /** Refuses unknown secret names with a 400 naming them. */
  checkSecrets(owner: string, names: readonly string[]): Promise<void>;
}

export interface LogicServiceDeps {
  readonly db: Db;
  readonly store: LogicStore;
  readonly secrets: Pick<SecretStore, 'list' | 'setUsages'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly runtime: Pick<LogicRuntime, 'validate'>;
  readonly now: () => Date;
  readonly limits: LogicLimits;
}

export function createLogicService(deps: LogicServiceDeps): LogicService {
  const { db, store } = deps;
  const notFound = (id: string) => new HushError('not_found', `Logic function '${id}' not found`);
  const requireWrite = (scope: Scope, action: string, target: string) =>
    requirePermission(deps.audit, scope, 'write', { action, target, doing: 'changing Logic functions' });
  const checkSecrets = async (owner: string, names: readonly string[]) => {
    const known = new Set((await deps.secrets.list(db, owner)).map((s) => s.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) throw new HushError('validation_failed', `unknown secret${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  };

  /** Builds the saved function from input, keeping trigger ids the client sent back. */
  const build = async (scope: Scope, body: unknown, old: LogicFunction | null): Promise<LogicFunction> => {
    const input = readFunctionBody(body);
    const name = (input.name ?? old?.name ?? '').trim();
    if (name === '' || name.length > 100) throw new HushError('validation_failed', 'logic_function.name is required (at most 100 characters)');
    if (await store.nameTaken(db, scope.owner, name, old?.id)) throw new HushError('validation_failed', `a Logic function named '${name}' already exists`);
    const code = input.source?.code ?? old?.code;
    if (code === undefined) throw new HushError('validation_failed', 'logic_function.source.code is required');
    if (input.source?.type !== undefined && input.source.type !== 'JavaScript') throw new HushError('validation_failed', `source.type must be 'JavaScript'`);
    const valid = await deps.runtime.validate(code);
    if (!valid.ok) throw new HushError('validation_failed', `the code does not compile: ${valid.error}`);
    // Compiling does not run the module, so its exports are unknown; a static look for a
    // default export catches the common mistake without executing user code at save time.
    if (!/\bexport\s+default\b|\bas\s+default\b/.test(code)) {
      throw new HushError('validation_failed', 'the code has no default export: a Logic function must `export default function (context) { ... }`');
    }
    const secrets = [...new Set(input.secrets ?? (input.secrets === null ? [] : old?.secrets ?? []))];
    await checkSecrets(scope.owner, secrets);
    const now = deps.now();
    const at = now.toISOString();
    const id = old?.id ?? uuid();
    const triggerInputs = input.logic_triggers === undefined && old ? null : readTriggers(input.logic_triggers, deps.limits.maxTriggers);
    const oldById = new Map((old?.triggers ?? []).map((t) => [t.id, t]));
    const triggers: LogicTrigger[] = triggerInputs === null
      ? [...(old?.triggers ?? [])]
      : triggerInputs.map((t) => {
          const prev = t.id ? oldById.get(t.id) : undefined;
          const sameSchedule = prev && prev.cron === t.cron && prev.startAt === t.startAt && prev.endAt === t.endAt;
          return {
            id: prev?.id ?? uuid(), functionId: id, type: t.type, enabled: t.enabled, version: (prev?.version ?? 0) + 1,
            eventName: t.eventName, productId: t.productId, cron: t.cron, startAt: t.startAt, endAt: t.endAt,
            nextRunMs: t.cron ? (sameSchedule ? prev.nextRunMs : nextRunMs(t.cron, t.startAt, t.endAt, now)) : null,
            lastScheduledAt: prev?.lastScheduledAt ?? null, createdAt: prev?.createdAt ?? at, updatedAt: at,
          };
        });
    return {
      id, owner: scope.owner, name, description: input.description ?? old?.description ?? '', enabled: input.enabled ?? old?.enabled ?? true,
      version: (old?.version ?? 0) + 1, code, secrets,
      extra: {
        api_username: input.api_username !== undefined ? input.api_username : old?.extra.api_username ?? null,
        use_env: input.use_env !== undefined ? input.use_env : old?.extra.use_env ?? null,
        template_slug: input.template_slug !== undefined ? input.template_slug : old?.extra.template_slug ?? null,
      },
      createdAt: old?.createdAt ?? at, updatedAt: at, createdBy: old?.createdBy ?? scope.principal.userId, updatedBy: scope.principal.userId, triggers,
    };
  };

  const persist = async (scope: Scope, f: LogicFunction, isNew: boolean) => {
    await db.transaction().execute(async (trx) => {
      await store.save(trx, f, isNew);
      await deps.secrets.setUsages(trx, scope.owner, { consumerType: 'logic', consumerId: f.id, consumerName: f.name, productSlug: null }, f.secrets);
      await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: isNew ? 'logic.create' : 'logic.update', target: `${f.name} (${f.id})` }, trx);
    });
    return f;
  };

  return {
    checkSecrets,
    list: (scope) => store.list(db, scope.owner),
    async get(scope, id) {
      const f = await store.get(db, scope.owner, id);
      if (!f) throw notFound(id);
      return f;
    },
    async create(scope, body) {
      await requireWrite(scope, 'logic.create', 'logic function');
      if ((await store.count(db, scope.owner)) >= deps.limits.maxFunctions) {
        throw new HushError('validation_failed', `at most ${deps.limits.maxFunctions} Logic functions per ${scope.kind === 'org' ? 'organization' : 'sandbox'}`);
      }
      return persist(scope, await build(scope, body, null), true);
    },
    async update(scope, id, body) {
      await requireWrite(scope, 'logic.update', id);
      const old = await store.get(db, scope.owner, id);
      if (!old) throw notFound(id);
      return persist(scope, await build(scope, body, old), false);
    },
    async remove(scope, id) {
      await requireWrite(scope, 'logic.delete', id);
      const old = await store.get(db, scope.owner, id);
      if (!old) throw notFound(id);
      await db.transaction().execute(async (trx) => {
        await store.delete(trx, id);
        await deps.secrets.setUsages(trx, scope.owner, { consumerType: 'logic', consumerId: id, consumerName: old.name, productSlug: null }, []);
        await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: 'logic.delete', target: `${old.name} (${id})` }, trx);
      });
    },
  };
}
