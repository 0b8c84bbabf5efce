import type { AuditService } from '../audit/audit-service.ts';
import type { AuthService, Principal } from '../auth/auth-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import { isOrgRole, ORG_ROLES, type OrgRole, type Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import { hexId, orgOwner, userOwner } from '../shared/ids.ts';
import type { Db } from '../store/database-types.ts';
import type { MemberRow, OrgRow, OrgStore } from './org-store.ts';

export const ORG_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface OrgService {
  create(slug: string, name: string, ownerEmail: string): Promise<OrgRow>;
  orgsOfUser(userId: string): Promise<Array<OrgRow & { role: string }>>;
  /** The sandbox scope of the caller. */
  sandboxScope(principal: Principal): Scope;
  /** The caller's scope in an org; 404 when the org does not exist or the caller is not a member. */
  orgScope(principal: Principal, idOrSlug: string): Promise<Scope>;
  /**
   * An administrator scope for the operator's admin CLI (audited as actor `operator`): of an
   * organization (slug or id), or, given an email, of that user's sandbox.
   */
  operatorScope(idOrSlugOrEmail: string): Promise<Scope>;
  /** The org's members (administrators only, like every member change). */
  members(scope: Scope): Promise<MemberRow[]>;
  /** Adds or changes a member; refuses to demote the last administrator. */
  setMember(scope: Scope, email: string, role: string): Promise<MemberRow>;
  removeMember(scope: Scope, userIdOrEmail: string): Promise<void>;
}

export interface OrgDeps {
  readonly db: Db;
  readonly store: OrgStore;
  readonly auth: Pick<AuthService, 'userByEmail' | 'userById'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly now: () => Date;
}

const parseRole = (role: string): OrgRole => {
  if (!isOrgRole(role)) throw new HushError('validation_failed', `role '${role}' is not one of ${ORG_ROLES.join(', ')}`);
  return role;
};

export function createOrgService(deps: OrgDeps): OrgService {
  const findUser = async (ref: string) => (ref.includes('@') ? deps.auth.userByEmail(ref) : deps.auth.userById(ref));

  const guardLastAdmin = async (orgId: string, userId: string, newRole: OrgRole | null) => {
    const members = await deps.store.members(deps.db, orgId);
    const admins = members.filter((m) => m.role === 'administrator');
    const isAdmin = admins.some((m) => m.userId === userId);
    if (isAdmin && admins.length === 1 && newRole !== 'administrator') {
      throw new HushError('validation_failed', 'an organization needs at least one administrator');
    }
  };

  const requireAdmin = (scope: Scope, action: string, target: string) =>
    requirePermission(deps.audit, scope, 'manage_members', { action, target, doing: 'managing members', message: `only administrators of organization '${scope.orgSlug}' can manage members` });

  return {
    async create(slug, name, ownerEmail) {
      if (!ORG_SLUG_PATTERN.test(slug)) {
        throw new HushError('validation_failed', `organization slug '${slug}' must be lowercase letters, digits and dashes (at most 63)`);
      }
      // A slug shaped like an organization id (24 hex digits) could shadow that organization.
      if (/^[0-9a-f]{24}$/.test(slug)) throw new HushError('validation_failed', `organization slug '${slug}' must not look like an organization id (24 hexadecimal digits)`);
      if (name.trim().length === 0) throw new HushError('validation_failed', 'organization name is required');
      const owner = await deps.auth.userByEmail(ownerEmail);
      if (!owner) throw new HushError('not_found', `no user with email '${ownerEmail}'`);
      if (await deps.store.orgByIdOrSlug(deps.db, slug)) throw new HushError('conflict', `organization '${slug}' already exists`);
      const org = { id: hexId(), slug, name: name.trim(), createdAt: deps.now().toISOString() };
      await deps.db.transaction().execute(async (trx) => {
        await deps.store.insertOrg(trx, org);
        await deps.store.upsertMember(trx, org.id, owner.id, 'administrator', org.createdAt);
        await deps.audit.record({ owner: orgOwner(org.id), actorId: owner.id, action: 'org.create', target: slug }, trx);
      });
      return org;
    },
    orgsOfUser: (userId) => deps.store.orgsOfUser(deps.db, userId),
    sandboxScope: (principal) => ({
      owner: userOwner(principal.userId),
      kind: 'sandbox',
      orgId: null,
      orgSlug: null,
      role: 'owner',
      principal,
    }),
    async orgScope(principal, idOrSlug) {
      const org = await deps.store.orgByIdOrSlug(deps.db, idOrSlug);
      const member = org ? await deps.store.member(deps.db, org.id, principal.userId) : null;
      // Same answer for "no such org" and "not a member": existence is not revealed.
      if (!org || !member || !isOrgRole(member.role)) throw new HushError('not_found', `organization '${idOrSlug}' not found`);
      return { owner: orgOwner(org.id), kind: 'org', orgId: org.id, orgSlug: org.slug, role: member.role, principal };
    },
    async operatorScope(idOrSlug) {
      const principal = { userId: 'operator', email: 'operator', tokenHash: '', clientId: 'hush', expiresAt: null };
      // Org slugs never hold '@' (see the slug rule), so an email can only name a user.
      if (idOrSlug.includes('@')) {
        const user = await findUser(idOrSlug);
        if (!user) throw new HushError('not_found', `no user with email '${idOrSlug}'`);
        return { owner: userOwner(user.id), kind: 'sandbox', orgId: null, orgSlug: null, role: 'owner', principal };
      }
      const org = await deps.store.orgByIdOrSlug(deps.db, idOrSlug);
      if (!org) throw new HushError('not_found', `organization '${idOrSlug}' not found`);
      return { owner: orgOwner(org.id), kind: 'org', orgId: org.id, orgSlug: org.slug, role: 'administrator', principal };
    },
    async members(scope) {
      await requireAdmin(scope, 'member.list', scope.orgSlug ?? '');
      return deps.store.members(deps.db, scope.orgId ?? '');
    },
    async setMember(scope, email, rawRole) {
      await requireAdmin(scope, 'member.set', email);
      const role = parseRole(rawRole);
      const orgId = scope.orgId ?? '';
      const user = await findUser(email);
      if (!user) throw new HushError('not_found', `no user with email '${email}'`);
      await guardLastAdmin(orgId, user.id, role);
      await deps.store.upsertMember(deps.db, orgId, user.id, role, deps.now().toISOString());
      await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: 'member.set', target: user.email, detail: `role ${role}` });
      const m = await deps.store.member(deps.db, orgId, user.id);
      if (!m) throw new HushError('internal', 'member vanished while being saved');
      return m;
    },
    async removeMember(scope, ref) {
      await requireAdmin(scope, 'member.remove', ref);
      const orgId = scope.orgId ?? '';
      const user = await findUser(ref);
      const member = user ? await deps.store.member(deps.db, orgId, user.id) : null;
      if (!user || !member) throw new HushError('not_found', `'${ref}' is not a member of organization '${scope.orgSlug}'`);
      await guardLastAdmin(orgId, user.id, null);
      await deps.store.deleteMember(deps.db, orgId, user.id);
      await deps.audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: 'member.remove', target: user.email });
    },
  };
}
