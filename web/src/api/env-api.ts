import { http, seg } from './http.ts';

export interface EnvInherited {
  readonly from: 'Owner' | 'Product';
  readonly value: string;
}

/** `GET …/env` (particle-api-js `EnvVarsResponse`). */
export interface EnvState {
  readonly latest: {
    readonly own: Readonly<Record<string, { readonly value: string }>>;
    readonly inherited: Readonly<Record<string, EnvInherited>>;
    readonly updated_at: string | null;
    readonly updated_by: string | null;
  };
  readonly last_snapshot: {
    readonly own: Readonly<Record<string, { readonly value: string }>>;
    readonly inherited: Readonly<Record<string, EnvInherited>>;
    readonly rollout_at: string | null;
    readonly rollout_by: string | null;
  } | null;
}

export type EnvChange =
  | { readonly op: 'Added'; readonly key: string; readonly after: string }
  | { readonly op: 'Changed'; readonly key: string; readonly before: string; readonly after: string }
  | { readonly op: 'Removed'; readonly key: string; readonly before: string };

/** `GET …/env/rollout`: what a rollout would change, compared with the last one. */
export interface EnvRollout {
  readonly changes: readonly EnvChange[];
  readonly unchanged: Readonly<Record<string, string>>;
}

/**
 * Environment variables of one scope; `base` is `/v1/env` (sandbox), `/v1/orgs/<slug>/env`
 * or `/v1/products/<id>/env` (see `envBase`).
 */
export const envApi = {
  get: (base: string) => http.get<EnvState>(base),
  set: (base: string, key: string, value: string) => http.put<EnvState>(`${base}/${seg(key)}`, { value }),
  remove: (base: string, key: string) => http.del(`${base}/${seg(key)}`),
  review: async (base: string): Promise<EnvRollout> => (await http.get<{ from_snapshot: EnvRollout }>(`${base}/rollout`)).from_snapshot,
  rollout: (base: string) => http.post<{ success: boolean }>(`${base}/rollout`, { when: 'Immediate' }),
};

/** The env routes of the scope's owner (`prefix` `/v1` or `/v1/orgs/<slug>`) or of one of its products. */
export function envBase(prefix: string, productId: number | null): string {
  return productId === null ? `${prefix}/env` : `/v1/products/${seg(productId)}/env`;
}
