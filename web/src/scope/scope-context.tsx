import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Session } from '../api/types.ts';
import { apiPrefix, consolePath, permissionsFor, scopeKey, type Permissions, type Scope } from './scope.ts';

export interface ScopeInfo {
  readonly scope: Scope;
  /** `/v1` or `/v1/orgs/<slug>`. */
  readonly prefix: string;
  /** `/sandbox` or `/orgs/<slug>`. */
  readonly base: string;
  /** For query keys. */
  readonly key: string;
  readonly perms: Permissions;
  readonly session: Session;
}

const ScopeContext = createContext<ScopeInfo | null>(null);

export function ScopeProvider(props: { scope: Scope; session: Session; children: ReactNode }) {
  const { scope, session } = props;
  const value = useMemo<ScopeInfo>(
    () => ({
      scope,
      prefix: apiPrefix(scope),
      base: consolePath(scope),
      key: scopeKey(scope),
      perms: permissionsFor(scope),
      session,
    }),
    [scope, session],
  );
  return <ScopeContext.Provider value={value}>{props.children}</ScopeContext.Provider>;
}

/** The scope of the page being shown. Only valid inside a scope route. */
export function useScope(): ScopeInfo {
  const value = useContext(ScopeContext);
  if (!value) throw new Error('useScope must be used inside a scope route');
  return value;
}
