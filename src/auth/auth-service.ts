import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { HushError } from '../errors/errors.ts';
import { hexId } from '../shared/ids.ts';
import type { Db } from '../store/database-types.ts';
import type { AuthStore, UserRow } from './auth-store.ts';
import type { LoginThrottle } from './login-throttle-service.ts';
import { dummyHash, hashPassword, needsRehash, PASSWORD_MIN_LENGTH, PASSWORD_PARAMS, verifyPassword, type PasswordParams } from './password-fns.ts';

/** Who is calling: the user behind a valid access token. */
export interface Principal {
  readonly userId: string;
  readonly email: string;
  readonly tokenHash: string;
  readonly clientId: string;
  readonly expiresAt: string | null;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly expiresAt: string | null;
}

export const DEFAULT_TOKEN_SECONDS = 7_776_000;

/** Seconds from now (`0`: never expires), or the exact instant the token expires (`expires_at`). */
export type TokenLifetime = number | Date;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface AuthService {
  createUser(email: string, password: string): Promise<UserRow>;
  /** Replaces a user's password (admin CLI), with the same rules as `createUser`. */
  setPassword(email: string, password: string): Promise<UserRow>;
  /**
   * Password grant: checks credentials and issues a token. `address` is the client's IP
   * address, for the failed-attempt throttle (429 while this account from this address, or
   * the address, is locked, or the account is slowed and the address is not a known one).
   */
  login(email: string, password: string, clientId: string, lifetime?: TokenLifetime, address?: string): Promise<IssuedToken>;
  issueToken(userId: string, clientId: string, lifetime?: TokenLifetime): Promise<IssuedToken>;
  authenticate(token: string): Promise<Principal | null>;
  /** The same check for a token known by its hash (an open event stream re-checks its token). */
  authenticateHash(tokenHash: string): Promise<Principal | null>;
  revoke(token: string): Promise<boolean>;
  /** Revokes the token a request authenticated with (its principal carries the hash). */
  revokeHash(tokenHash: string): Promise<boolean>;
  revokeAll(userId: string): Promise<number>;
  userById(id: string): Promise<UserRow | null>;
  userByEmail(email: string): Promise<UserRow | null>;
  /** Email addresses by user id, for showing who did what. */
  emailsByIds(ids: readonly string[]): Promise<Map<string, string>>;
  /** True on a fresh install, before the first user is created (the sign-in page says how). */
  firstUserNeeded(): Promise<boolean>;
}

export interface AuthDeps {
  readonly db: Db;
  readonly store: AuthStore;
  readonly now: () => Date;
  /** Counts failed sign-ins; without it, logins are not throttled. */
  readonly throttle?: LoginThrottle;
  /** scrypt cost; PASSWORD_PARAMS unless a test suite lowers it through configuration. */
  readonly passwordParams?: PasswordParams;
}

const emailSchema = z.email();
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const checkPassword = (password: string): void => {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new HushError('validation_failed', `password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (password.trim() === '') throw new HushError('validation_failed', 'password must not be only spaces');
};

export function createAuthService(deps: AuthDeps): AuthService {
  const params = deps.passwordParams ?? PASSWORD_PARAMS;
  // Verified for unknown users too, at the same cost as real hashes, so timing does not reveal accounts.
  const DUMMY_HASH = dummyHash(params);
  const issueToken = async (userId: string, clientId: string, lifetime: TokenLifetime = DEFAULT_TOKEN_SECONDS): Promise<IssuedToken> => {
    const accessToken = randomBytes(20).toString('hex');
    const now = deps.now();
    // An `expires_at` is kept to the millisecond asked for, not rounded to whole seconds from now.
    const expiresIn = lifetime instanceof Date ? Math.max(1, Math.ceil((lifetime.getTime() - now.getTime()) / 1000)) : lifetime;
    const expiresAt = lifetime instanceof Date ? lifetime.toISOString() : expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000).toISOString() : null;
    await deps.store.insertToken(deps.db, {
      tokenHash: hashToken(accessToken),
      userId,
      clientId,
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { accessToken, expiresIn, expiresAt };
  };

  const authenticateHash = async (tokenHash: string): Promise<Principal | null> => {
    const row = await deps.store.principalByHash(deps.db, tokenHash);
    if (!row) return null;
    if (row.expiresAt && row.expiresAt <= deps.now().toISOString()) return null;
    return { userId: row.userId, email: row.email, tokenHash: row.tokenHash, clientId: row.clientId, expiresAt: row.expiresAt };
  };

  return {
    issueToken,
    async createUser(rawEmail, password) {
      const email = normalizeEmail(rawEmail);
      if (!emailSchema.safeParse(email).success) throw new HushError('validation_failed', `'${rawEmail}' is not a valid email address`);
      checkPassword(password);
      if (await deps.store.userByEmail(deps.db, email)) throw new HushError('conflict', `a user with email '${email}' already exists`);
      const user = { id: hexId(), email, passwordHash: await hashPassword(password, params), createdAt: deps.now().toISOString() };
      await deps.store.insertUser(deps.db, user);
      return user;
    },
    async setPassword(rawEmail, password) {
      checkPassword(password);
      const user = await deps.store.userByEmail(deps.db, normalizeEmail(rawEmail));
      if (!user) throw new HushError('not_found', `no user with email '${rawEmail}'`);
      const passwordHash = await hashPassword(password, params);
      await deps.store.replacePasswordHash(deps.db, user.id, user.passwordHash, passwordHash);
      return { ...user, passwordHash };
    },
    async login(rawEmail, password, clientId, lifetime, address) {
      const email = normalizeEmail(rawEmail);
      // Checked before the (deliberately slow) hash, so a locked client costs no scrypt run.
      await deps.throttle?.check(email, address);
      const user = await deps.store.userByEmail(deps.db, email);
      // Verify against a dummy hash for unknown users too, so timing does not reveal accounts.
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        await deps.throttle?.failed(email, address);
        throw new HushError('invalid_grant', 'User credentials are invalid');
      }
      await deps.throttle?.succeeded(email, address);
      // Hashes made with older, weaker parameters are upgraded while the password is at hand.
      if (needsRehash(user.passwordHash, params)) await deps.store.replacePasswordHash(deps.db, user.id, user.passwordHash, await hashPassword(password, params));
      return issueToken(user.id, clientId, lifetime);
    },
    async authenticate(token) {
      if (!/^[0-9a-f]{16,128}$/i.test(token)) return null;
      return authenticateHash(hashToken(token));
    },
    authenticateHash,
    revoke: (token) => deps.store.deleteToken(deps.db, hashToken(token)),
    revokeHash: (tokenHash) => deps.store.deleteToken(deps.db, tokenHash),
    revokeAll: (userId) => deps.store.deleteTokensOfUser(deps.db, userId),
    userById: (id) => deps.store.userById(deps.db, id),
    userByEmail: (email) => deps.store.userByEmail(deps.db, normalizeEmail(email)),
    async firstUserNeeded() {
      return !(await deps.store.anyUser(deps.db));
    },
    async emailsByIds(ids) {
      const users = await deps.store.usersByIds(deps.db, [...new Set(ids)]);
      return new Map(users.map((u) => [u.id, u.email]));
    },
  };
}
