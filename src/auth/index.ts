import type { Db } from '../store/database-types.ts';
import type { HushModule } from '../shared/module-types.ts';
import { noClose } from '../shared/module-types.ts';
import { createAuthService, type AuthService } from './auth-service.ts';
import { createAuthStore } from './auth-store.ts';
import { createLoginThrottle } from './login-throttle-service.ts';
import type { PasswordParams } from './password-fns.ts';

export type AuthModule = HushModule<{ readonly auth: AuthService }>;

/** Builds users, sessions, tokens and the sign-in throttle on one store. */
export function buildAuthModule(deps: { db: Db; now: () => Date; passwordParams?: PasswordParams }): AuthModule {
  const { db, now } = deps;
  const auth = createAuthService({ db, store: createAuthStore(), now, throttle: createLoginThrottle({ db, now }), passwordParams: deps.passwordParams });
  return { services: { auth }, close: noClose };
}
