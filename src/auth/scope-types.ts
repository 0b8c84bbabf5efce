import type { OwnerRef } from '../shared/ids.ts';
import type { Principal } from './auth-service.ts';

/** Roles in an organization; a sandbox's user acts as `owner`. */
export const ORG_ROLES = ['administrator', 'developer', 'view-only'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];
export type Role = OrgRole | 'owner';

/** What a request acts on: a user's sandbox or an organization, and the caller's role there. */
export interface Scope {
  readonly owner: OwnerRef;
  readonly kind: 'sandbox' | 'org';
  readonly orgId: string | null;
  readonly orgSlug: string | null;
  readonly role: Role;
  readonly principal: Principal;
}

export type Permission = 'read' | 'write' | 'manage_members' | 'read_audit';

const ALLOWED: Record<Role, readonly Permission[]> = {
  owner: ['read', 'write', 'manage_members', 'read_audit'],
  administrator: ['read', 'write', 'manage_members', 'read_audit'],
  developer: ['read', 'write'],
  'view-only': ['read'],
};

export const can = (role: Role, permission: Permission): boolean => ALLOWED[role].includes(permission);

export const isOrgRole = (r: string): r is OrgRole => (ORG_ROLES as readonly string[]).includes(r);

/** How a scope is named in messages: "your sandbox" or "organization 'acme'". */
export const describeScope = (s: Pick<Scope, 'kind' | 'orgSlug'>): string =>
  s.kind === 'sandbox' ? 'your sandbox' : `organization '${s.orgSlug}'`;
