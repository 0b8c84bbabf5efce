import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { Db } from '../store/database-types.ts';
import { isUniqueViolation } from '../store/retry-fns.ts';
import { checkDescription, checkDirection, checkLedgerName, checkScope } from './ledger-rules.ts';
import { ledgerStore } from './ledger-store.ts';
import type { LedgerDefinition, LedgerScopeType } from './ledger-types.ts';

export interface LedgerPage<T> {
  readonly items: T[];
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
}

export interface DefinitionInput {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly scope?: unknown;
  readonly direction?: unknown;
}

/** Ledger definitions of a sandbox or organization, with role checks and audit. */
export interface LedgerDefinitionService {
  create(scope: Scope, input: DefinitionInput): Promise<LedgerDefinition>;
  get(scope: Scope, name: string): Promise<LedgerDefinition>;
  update(scope: Scope, name: string, input: DefinitionInput): Promise<LedgerDefinition>;
  archive(scope: Scope, name: string): Promise<void>;
  list(scope: Scope, f: { scope?: LedgerScopeType; archived?: boolean; page: number; perPage: number }): Promise<LedgerPage<LedgerDefinition>>;
}

export interface LedgerServiceDeps {
  readonly db: Db;
  readonly audit: Pick<AuditService, 'record'>;
  readonly now: () => Date;
}

export const ledgerNotFound = (name: string) => new HushError('not_found', `ledger '${name}' not found`);

/** The definition, or 404 (also for a name that breaks the rule: no such ledger can exist). */
export async function findDefinition(db: Db, owner: string, name: string): Promise<LedgerDefinition> {
  const d = typeof name === 'string' && name.length <= 32 ? await ledgerStore.getDefinition(db, owner, name) : null;
  if (!d) throw ledgerNotFound(name.length > 60 ? `${name.slice(0, 60)}…` : name);
  return d;
}

export function createLedgerDefinitionService(deps: LedgerServiceDeps): LedgerDefinitionService {
  const { db, audit } = deps;
  const requireRead = (scope: Scope, name: string) => requirePermission(audit, scope, 'read', { action: 'ledger.read', target: name, doing: 'reading ledgers' });
  const requireWrite = (scope: Scope, action: string, name: string) => requirePermission(audit, scope, 'write', { action, target: name, doing: 'changing ledgers' });
  const record = (scope: Scope, action: string, name: string, detail?: string) =>
    audit.record({ owner: scope.owner, actorId: scope.principal.userId, action, target: name, outcome: 'ok', detail });

  return {
    async create(scope, input) {
      const name = checkLedgerName(input.name);
      await requireWrite(scope, 'ledger.create', name);
      const at = deps.now().toISOString();
      const def: LedgerDefinition = {
        owner: scope.owner, name, description: checkDescription(input.description), scope: checkScope(input.scope), direction: checkDirection(input.direction),
        createdAt: at, updatedAt: at, archivedAt: null,
      };
      try {
        await ledgerStore.insertDefinition(db, def);
      } catch (e) {
        if (isUniqueViolation(e)) throw new HushError('name_in_use', `ledger name '${name}' is already in use (names are unique across all scopes, archived ledgers included)`);
        throw e;
      }
      await record(scope, 'ledger.create', name, `scope ${def.scope}, ${def.direction}`);
      return def;
    },
    async get(scope, name) {
      await requireRead(scope, name);
      return findDefinition(db, scope.owner, name);
    },
    async update(scope, name, input) {
      await requireWrite(scope, 'ledger.update', name);
      const cur = await findDefinition(db, scope.owner, name);
      if (input.name !== undefined && input.name !== name) throw new HushError('validation_failed', 'a ledger cannot be renamed');
      if (input.scope !== undefined && input.scope !== cur.scope) throw new HushError('validation_failed', "a ledger's scope cannot be changed");
      const description = input.description === undefined ? undefined : checkDescription(input.description);
      const direction = input.direction === undefined ? undefined : checkDirection(input.direction);
      await ledgerStore.updateDefinition(db, scope.owner, name, { description, direction, updatedAt: deps.now().toISOString() });
      await record(scope, 'ledger.update', name);
      return findDefinition(db, scope.owner, name);
    },
    async archive(scope, name) {
      await requireWrite(scope, 'ledger.archive', name);
      const cur = await findDefinition(db, scope.owner, name);
      if (cur.archivedAt) return;
      const at = deps.now().toISOString();
      await ledgerStore.updateDefinition(db, scope.owner, name, { updatedAt: at, archivedAt: at });
      await record(scope, 'ledger.archive', name);
    },
    async list(scope, f) {
      await requireRead(scope, '*');
      const r = await ledgerStore.listDefinitions(db, scope.owner, { scope: f.scope, archived: f.archived, offset: (f.page - 1) * f.perPage, limit: f.perPage });
      return { items: r.items, page: f.page, perPage: f.perPage, total: r.total };
    },
  };
}
