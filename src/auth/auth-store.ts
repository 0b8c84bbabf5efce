import type { DbOrTrx } from '../store/database-types.ts';
import { prepareQuery } from '../store/prepared-query.ts';

export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: string;
}

export interface TokenRow {
  readonly tokenHash: string;
  readonly userId: string;
  readonly clientId: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

/** Users and hashed access tokens. */
export interface AuthStore {
  insertUser(db: DbOrTrx, u: UserRow): Promise<void>;
  /** Replaces a password hash, only if it is still `old` (a concurrent change wins). */
  replacePasswordHash(db: DbOrTrx, userId: string, old: string, next: string): Promise<void>;
  userByEmail(db: DbOrTrx, email: string): Promise<UserRow | null>;
  userById(db: DbOrTrx, id: string): Promise<UserRow | null>;
  /** Whether any user exists (a fresh install has none). */
  anyUser(db: DbOrTrx): Promise<boolean>;
  usersByIds(db: DbOrTrx, ids: readonly string[]): Promise<UserRow[]>;
  insertToken(db: DbOrTrx, t: TokenRow): Promise<void>;
  tokenByHash(db: DbOrTrx, hash: string): Promise<TokenRow | null>;
  /** A token and the email of its user in one query (every authenticated request asks). */
  principalByHash(db: DbOrTrx, hash: string): Promise<(TokenRow & { readonly email: string }) | null>;
  deleteToken(db: DbOrTrx, hash: string): Promise<boolean>;
  deleteTokensOfUser(db: DbOrTrx, userId: string): Promise<number>;
}

const toUser = (r: { id: string; email: string; password_hash: string; created_at: string }): UserRow => ({
  id: r.id,
  email: r.email,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
});

// Every authenticated request runs this one.
const principalQuery = prepareQuery((db, arg) =>
  db
    .selectFrom('access_tokens')
    .innerJoin('users', 'users.id', 'access_tokens.user_id')
    .select(['access_tokens.token_hash', 'access_tokens.user_id', 'access_tokens.client_id', 'access_tokens.created_at', 'access_tokens.expires_at', 'users.email'])
    .where('access_tokens.token_hash', '=', arg(0)),
);

export function createAuthStore(): AuthStore {
  return {
    async insertUser(db, u) {
      await db
        .insertInto('users')
        .values({ id: u.id, email: u.email, password_hash: u.passwordHash, created_at: u.createdAt })
        .execute();
    },
    async replacePasswordHash(db, userId, old, next) {
      await db.updateTable('users').set({ password_hash: next }).where('id', '=', userId).where('password_hash', '=', old).execute();
    },
    async userByEmail(db, email) {
      const r = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return r ? toUser(r) : null;
    },
    async userById(db, id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toUser(r) : null;
    },
    async anyUser(db) {
      return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
    },
    async usersByIds(db, ids) {
      if (ids.length === 0) return [];
      return (await db.selectFrom('users').selectAll().where('id', 'in', [...ids]).execute()).map(toUser);
    },
    async insertToken(db, t) {
      await db
        .insertInto('access_tokens')
        .values({ token_hash: t.tokenHash, user_id: t.userId, client_id: t.clientId, created_at: t.createdAt, expires_at: t.expiresAt })
        .execute();
    },
    async tokenByHash(db, hash) {
      const r = await db.selectFrom('access_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return r ? { tokenHash: r.token_hash, userId: r.user_id, clientId: r.client_id, createdAt: r.created_at, expiresAt: r.expires_at } : null;
    },
    async principalByHash(db, hash) {
      const r = (await principalQuery.execute(db, [hash])).rows[0];
      return r ? { tokenHash: r.token_hash, userId: r.user_id, clientId: r.client_id, createdAt: r.created_at, expiresAt: r.expires_at, email: r.email } : null;
    },
    async deleteToken(db, hash) {
      const r = await db.deleteFrom('access_tokens').where('token_hash', '=', hash).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async deleteTokensOfUser(db, userId) {
      const r = await db.deleteFrom('access_tokens').where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
