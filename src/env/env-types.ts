import type { Scope } from '../auth/scope-types.ts';

/** Where an inherited value comes from (particle-api-js `EnvVarInherited.from`). */
export type EnvFrom = 'Owner' | 'Product';

/** Keys and values of one scope. */
export type EnvValues = Readonly<Record<string, string>>;

/** One scope of environment variables: `owner`, `product:<id>` or `device:<id>` of `scope.owner`. */
export interface EnvTarget {
  /** The caller's scope on the owner (role and tenant). */
  readonly scope: Scope;
  readonly kind: 'Owner' | 'Product' | 'Device';
  readonly layer: string;
  /** The scopes it inherits from, most general first. */
  readonly parents: ReadonlyArray<{ readonly layer: string; readonly from: EnvFrom }>;
}

/** A stored scope row. */
export interface EnvLayer {
  readonly layer: string;
  readonly version: number;
  readonly own: EnvValues;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly updatedBy: string;
  /** Values of the last rollout; null until there was one. */
  readonly snapshot: EnvValues | null;
  readonly rolloutAt: string | null;
  readonly rolloutBy: string | null;
}

export type EnvOp = { readonly op: 'Set'; readonly key: string; readonly value: string } | { readonly op: 'Unset'; readonly key: string };

export interface InheritedValue {
  readonly from: EnvFrom;
  readonly value: string;
}

/** What `GET <scope>` answers (particle-api-js `EnvVarsResponse`), before shaping. */
export interface EnvState {
  readonly latest: {
    readonly own: EnvValues;
    readonly inherited: Readonly<Record<string, InheritedValue>>;
    readonly createdAt: string | null;
    readonly updatedAt: string | null;
    readonly createdBy: string | null;
    readonly updatedBy: string | null;
  };
  readonly lastSnapshot: {
    readonly own: EnvValues;
    readonly inherited: Readonly<Record<string, InheritedValue>>;
    readonly rolloutAt: string | null;
    readonly rolloutBy: string | null;
  } | null;
}

export type EnvChange =
  | { readonly op: 'Added'; readonly key: string; readonly after: string }
  | { readonly op: 'Changed'; readonly key: string; readonly before: string; readonly after: string }
  | { readonly op: 'Removed'; readonly key: string; readonly before: string };

export interface EnvDiff {
  readonly changes: readonly EnvChange[];
  readonly unchanged: EnvValues;
}

export interface EnvRender {
  readonly env: EnvValues;
  readonly lastUpdatedAt: string | null;
  readonly rolloutAt: string | null;
  readonly rolloutBy: string | null;
}
