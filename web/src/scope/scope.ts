/**
 * A scope is the owner the console is looking at: the signed-in user's sandbox or one
 * organization. It decides the API prefix, the console path and what the user may do.
 */
import type { OrgRole, SessionOrg } from '../api/types.ts';

export type Scope =
  | { readonly kind: 'sandbox' }
  | { readonly kind: 'org'; readonly slug: string; readonly name: string; readonly role: OrgRole };

export const SANDBOX: Scope = { kind: 'sandbox' };

export function orgScope(org: SessionOrg): Scope {
  return { kind: 'org', slug: org.slug, name: org.name, role: org.role };
}

/** `/v1` or `/v1/orgs/<slug>`: the prefix for secrets, integrations, Logic, audit. */
export function apiPrefix(scope: Scope): string {
  return scope.kind === 'sandbox' ? '/v1' : `/v1/orgs/${encodeURIComponent(scope.slug)}`;
}

/** `/sandbox` or `/orgs/<slug>`: the console path of the scope. */
export function consolePath(scope: Scope): string {
  return scope.kind === 'sandbox' ? '/sandbox' : `/orgs/${encodeURIComponent(scope.slug)}`;
}

/** A stable string for query keys. */
export function scopeKey(scope: Scope): string {
  return scope.kind === 'sandbox' ? 'sandbox' : `org:${scope.slug}`;
}

export interface Permissions {
  /** Create, replace and delete secrets, integrations and Logic; publish events. */
  readonly canWrite: boolean;
  /** Why writing is not allowed (null when it is). */
  readonly writeReason: string | null;
  /** Manage members. */
  readonly canManageMembers: boolean;
  readonly membersReason: string | null;
  /** Read the audit trail. */
  readonly canReadAudit: boolean;
  readonly auditReason: string | null;
}

/** Sandbox: everything. Org: view-only reads; developer writes; administrator also members and audit. */
export function permissionsFor(scope: Scope): Permissions {
  if (scope.kind === 'sandbox') {
    return {
      canWrite: true,
      writeReason: null,
      canManageMembers: false,
      membersReason: 'Your sandbox has no members. Members belong to organizations.',
      canReadAudit: true,
      auditReason: null,
    };
  }
  const canWrite = scope.role !== 'view-only';
  const isAdmin = scope.role === 'administrator';
  const adminOnly = `Only administrators of ${scope.name} can do this; your role is ${scope.role}.`;
  return {
    canWrite,
    writeReason: canWrite
      ? null
      : `Your role in ${scope.name} is view-only: you can look, but not create, change or delete.`,
    canManageMembers: isAdmin,
    membersReason: isAdmin ? null : adminOnly,
    canReadAudit: isAdmin,
    auditReason: isAdmin ? null : `Only administrators of ${scope.name} can read its audit trail; your role is ${scope.role}.`,
  };
}
