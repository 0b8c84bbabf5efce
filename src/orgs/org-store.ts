import type { DbOrTrx } from '../store/database-types.ts';

export interface OrgRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface MemberRow {
  readonly orgId: string;
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly createdAt: string;
}

/** Organizations and their members. */
export interface OrgStore {
  insertOrg(db: DbOrTrx, o: OrgRow): Promise<void>;
  orgByIdOrSlug(db: DbOrTrx, idOrSlug: string): Promise<OrgRow | null>;
  orgsOfUser(db: DbOrTrx, userId: string): Promise<Array<OrgRow & { role: string }>>;
  members(db: DbOrTrx, orgId: string): Promise<MemberRow[]>;
  member(db: DbOrTrx, orgId: string, userId: string): Promise<MemberRow | null>;
  upsertMember(db: DbOrTrx, orgId: string, userId: string, role: string, createdAt: string): Promise<void>;
  deleteMember(db: DbOrTrx, orgId: string, userId: string): Promise<boolean>;
}

const toOrg = (r: { id: string; slug: string; name: string; created_at: string }): OrgRow => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  createdAt: r.created_at,
});

export function createOrgStore(): OrgStore {
  const memberQuery = (db: DbOrTrx, orgId: string) =>
    db
      .selectFrom('org_members')
      .innerJoin('users', 'users.id', 'org_members.user_id')
      .select(['org_members.org_id', 'org_members.user_id', 'users.email', 'org_members.role', 'org_members.created_at'])
      .where('org_members.org_id', '=', orgId);
  const toMember = (r: { org_id: string; user_id: string; email: string; role: string; created_at: string }): MemberRow => ({
    orgId: r.org_id,
    userId: r.user_id,
    email: r.email,
    role: r.role,
    createdAt: r.created_at,
  });
  return {
    async insertOrg(db, o) {
      await db.insertInto('orgs').values({ id: o.id, slug: o.slug, name: o.name, created_at: o.createdAt }).execute();
    },
    async orgByIdOrSlug(db, idOrSlug) {
      // Ids before slugs: a slug can never shadow another organization's id.
      const r =
        (await db.selectFrom('orgs').selectAll().where('id', '=', idOrSlug).executeTakeFirst()) ??
        (await db.selectFrom('orgs').selectAll().where('slug', '=', idOrSlug).executeTakeFirst());
      return r ? toOrg(r) : null;
    },
    async orgsOfUser(db, userId) {
      const rows = await db
        .selectFrom('orgs')
        .innerJoin('org_members', 'org_members.org_id', 'orgs.id')
        .select(['orgs.id', 'orgs.slug', 'orgs.name', 'orgs.created_at', 'org_members.role'])
        .where('org_members.user_id', '=', userId)
        .orderBy('orgs.slug')
        .execute();
      return rows.map((r) => ({ ...toOrg(r), role: r.role }));
    },
    async members(db, orgId) {
      return (await memberQuery(db, orgId).orderBy('users.email').execute()).map(toMember);
    },
    async member(db, orgId, userId) {
      const r = await memberQuery(db, orgId).where('org_members.user_id', '=', userId).executeTakeFirst();
      return r ? toMember(r) : null;
    },
    async upsertMember(db, orgId, userId, role, createdAt) {
      await db
        .insertInto('org_members')
        .values({ org_id: orgId, user_id: userId, role, created_at: createdAt })
        .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ role }))
        .execute();
    },
    async deleteMember(db, orgId, userId) {
      const r = await db.deleteFrom('org_members').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
