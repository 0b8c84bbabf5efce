import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { ProductService } from '../events/product-service.ts';
import type { LedgerDefinitionService } from '../ledger/ledger-definition-service.ts';
import type { MaskerProvider } from '../masking/masking-types.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { uuid } from '../shared/ids.ts';
import type { Db } from '../store/database-types.ts';
import { firstRunMs, readFunctionBody, readTriggers, type TriggerInput } from './logic-input-fns.ts';
import type { LogicRunner } from './logic-runner.ts';
import { createLogicRunsService, type LogicRunsService } from './logic-runs-service.ts';
import type { LogicRuntime } from './runtime/index.ts';
import type { LogicStore } from './logic-store.ts';
import type { LogicFunction, LogicTrigger } from './logic-types.ts';

export interface LogicLimits {
  readonly maxFunctions: number;
  readonly maxTriggers: number;
}

/**
 * Logic functions and their runs. `productId`: called under a product's routes, where only
 * the functions created for that product are seen (and new ones belong to it; their event
 * triggers default to it); elsewhere all of the owner's functions.
 */
export interface LogicService extends LogicRunsService {
  list(scope: Scope, productId?: number | null): Promise<LogicFunction[]>;
  get(scope: Scope, id: string, productId?: number | null): Promise<LogicFunction>;
  create(scope: Scope, body: unknown, productId?: number | null): Promise<LogicFunction>;
  update(scope: Scope, id: string, body: unknown, productId?: number | null): Promise<LogicFunction>;
  remove(scope: Scope, id: string, productId?: number | null): Promise<void>;
  /** Refuses unknown secret names with a 400 naming them. */
  checkSecrets(owner: string, names: readonly string[]): Promise<void>;
  /**
   * Runs input validation for `owner`: a refusal's message (which quotes what the user
   * sent) comes out through the owner's masker. Used by routes that read Logic input.
   */
  validating<T>(owner: string, work: () => T | Promise<T>): Promise<T>;
}

export interface LogicServiceDeps {
  readonly db: Db;
  readonly store: LogicStore;
  readonly secrets: Pick<SecretStore, 'list' | 'setUsages'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly runtime: Pick<LogicRuntime, 'validate'>;
  readonly runner: Pick<LogicRunner, 'run'>;
  /** Masks messages that quote what the user sent (names, code, cron, dates, product ids). */
  readonly maskers: Pick<MaskerProvider, 'forOwner'>;
  /** The owner's products: a trigger may only name one of them. */
  readonly products: Pick<ProductService, 'list'>;
  /** The owner's ledgers: a LedgerChange trigger may only name one of them (unchecked without). */
  readonly ledgers?: Pick<LedgerDefinitionService, 'get'>;
  readonly now: () => Date;
  readonly limits: LogicLimits;
}

export function createLogicService(deps: LogicServiceDeps): LogicService {
  const { db, store } = deps;
  const notFound = (id: string) => new HushError('not_found', `Logic function '${id}' not found`);
  const requireWrite = (scope: Scope, action: string, target: string) =>
    requirePermission(deps.audit, scope, 'write', { action, target, doing: 'changing Logic functions' });
  // An error message quotes the user's input, which may hold a secret value (pasted code,
  // a value typed where a name, cron or date belongs): every refusal of input goes through
  // the owner's masker like any log, in this one place, so the input-reading functions
  // can stay pure and quote what they were sent.
  const validating = async <T>(owner: string, work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (!(e instanceof HushError) || e.code !== 'validation_failed') throw e;
      throw new HushError(e.code, (await deps.maskers.forOwner(owner)).mask(e.message), { details: e.details, cause: e });
    }
  };
  const unknownSecrets = async (owner: string, names: readonly string[]) => {
    const known = new Set((await deps.secrets.list(db, owner)).map((s) => s.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) throw new HushError('validation_failed', `unknown secret${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  };
  // A trigger may name only the owner's products; another tenant's product is refused with
  // the same words as a missing one. The function's own product was checked by the route.
  const checkProducts = async (scope: Scope, triggers: readonly TriggerInput[], ownProduct: number | null) => {
    const named = triggers.map((t, i) => ({ i, id: t.productId })).filter((x): x is { i: number; id: number } => x.id !== null && x.id !== ownProduct);
    if (named.length === 0) return;
    const owned = new Set((await deps.products.list(scope)).map((p) => p.id));
    const missing = named.find((x) => !owned.has(x.id));
    if (missing) throw new HushError('validation_failed', `logic_triggers[${missing.i}].product_id: product ${missing.id} not found`);
  };

  // A LedgerChange trigger names one of the owner's ledgers (archived ones too: their
  // instances can still be deleted); another tenant's is refused like a missing one.
  const checkLedgers = async (scope: Scope, triggers: readonly TriggerInput[]) => {
    if (!deps.ledgers) return;
    for (const [i, t] of triggers.entries()) {
      if (t.ledgerName === null) continue;
      try {
        await deps.ledgers.get(scope, t.ledgerName);
      } catch (e) {
        if (e instanceof HushError && e.code === 'not_found') throw new HushError('validation_failed', `logic_triggers[${i}].ledger_name: ledger '${t.ledgerName}' not found`);
        throw e;
      }
    }
  };

  /** Builds the saved function from input, keeping trigger ids the client sent back. */
  const build = async (scope: Scope, body: unknown, old: LogicFunction | null, newProductId: number | null = null): Promise<LogicFunction> => {
    const input = readFunctionBody(body);
    const name = (input.name ?? old?.name ?? '').trim();
    if (name === '' || name.length > 100) throw new HushError('validation_failed', 'logic_function.name is required (at most 100 characters)');
    if (await store.nameTaken(db, scope.owner, name, old?.id)) throw new HushError('validation_failed', `a Logic function named '${name}' already exists`);
    const code = input.source?.code ?? old?.code;
    if (code === undefined) throw new HushError('validation_failed', 'logic_function.source.code is required');
    if (input.source?.type !== undefined && input.source.type !== 'JavaScript') throw new HushError('validation_failed', `source.type must be 'JavaScript'`);
    // Validation compiles and links the module without running it, so it also knows
    // whether there is a default export (a comment mentioning one does not count).
    const valid = await deps.runtime.validate(code, scope.owner);
    if (!valid.ok && /has no default export/.test(valid.error)) {
      throw new HushError('validation_failed', 'the code has no default export: a Logic function must `export default function (context) { ... }`');
    }
    if (!valid.ok) throw new HushError('validation_failed', `the code does not compile: ${valid.error}`);
    const secrets = [...new Set(input.secrets ?? (input.secrets === null ? [] : old?.secrets ?? []))];
    await unknownSecrets(scope.owner, secrets);
    const now = deps.now();
    const at = now.toISOString();
    const id = old?.id ?? uuid();
    const productId = old ? (old.extra.product_id ?? null) : newProductId;
    const triggerInputs = input.logic_triggers === undefined && old ? null : readTriggers(input.logic_triggers, deps.limits.maxTriggers, productId);
    if (triggerInputs) await checkProducts(scope, triggerInputs, productId);
    if (triggerInputs) await checkLedgers(scope, triggerInputs);
    const oldById = new Map((old?.triggers ?? []).map((t) => [t.id, t]));
    const triggers: LogicTrigger[] = triggerInputs === null
      ? [...(old?.triggers ?? [])]
      : triggerInputs.map((t, i) => {
          const prev = t.id ? oldById.get(t.id) : undefined;
          // An unchanged schedule keeps its state, even when its window has run out: the
          // CLI's enable/disable round trip sends every trigger back as it was.
          const sameSchedule = prev && prev.cron === t.cron && prev.startAt === t.startAt && prev.endAt === t.endAt;
          return {
            id: prev?.id ?? uuid(), functionId: id, type: t.type, enabled: t.enabled, version: (prev?.version ?? 0) + 1,
            eventName: t.eventName, ledgerName: t.ledgerName, changeType: t.changeType, instanceScope: t.instanceScope, productId: t.productId, cron: t.cron, startAt: t.startAt, endAt: t.endAt,
            nextRunMs: t.cron ? (sameSchedule ? prev.nextRunMs : firstRunMs(`logic_triggers[${i}]`, t.cron, t.startAt, t.endAt, now)) : null,
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
        ...(productId !== null ? { product_id: productId } : {}),
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

  const inProduct = (f: LogicFunction, productId: number | null | undefined) => productId === null || productId === undefined || f.extra.product_id === productId;
  const list = async (scope: Scope, productId?: number | null) => (await store.list(db, scope.owner)).filter((f) => inProduct(f, productId));
  const get = async (scope: Scope, id: string, productId?: number | null) => {
    const f = await store.get(db, scope.owner, id);
    if (!f || !inProduct(f, productId)) throw notFound(id);
    return f;
  };
  const checkSecrets = (owner: string, names: readonly string[]) => validating(owner, () => unknownSecrets(owner, names));
  return {
    ...createLogicRunsService({ db, store, audit: deps.audit, runner: deps.runner, now: deps.now, functions: { list, get, checkSecrets, validating } }),
    checkSecrets,
    validating,
    list,
    get,
    async create(scope, body, productId = null) {
      await requireWrite(scope, 'logic.create', 'logic function');
      // The body's own errors first: a client fixing its input should not be told about the limit.
      const fn = await validating(scope.owner, () => build(scope, body, null, productId));
      if ((await store.count(db, scope.owner)) >= deps.limits.maxFunctions) {
        throw new HushError('validation_failed', `at most ${deps.limits.maxFunctions} Logic functions per ${scope.kind === 'org' ? 'organization' : 'sandbox'}`);
      }
      return persist(scope, fn, true);
    },
    async update(scope, id, body, productId) {
      // Not found (or not in this product) before refused, as for reading.
      const old = await get(scope, id, productId);
      await requireWrite(scope, 'logic.update', id);
      return persist(scope, await validating(scope.owner, () => build(scope, body, old)), false);
    },
    async remove(scope, id, productId) {
      const old = await get(scope, id, productId);
      await requireWrite(scope, 'logic.delete', id);
      await db.transaction().execute(async (trx) => {
        await store.delete(trx, id);
        await deps.secrets.setUsages(trx, scope.owner, { consumerType: 'logic', consumerId: id, consumerName: old.name, productSlug: null }, []);
        await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: 'logic.delete', target: `${old.name} (${id})` }, trx);
      });
    },
  };
}
