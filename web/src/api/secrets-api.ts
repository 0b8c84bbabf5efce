import { http, seg } from './http.ts';
import type { Secret, SecretVersion, SecretWriteResult } from './types.ts';

/** Secrets of one owner; `prefix` is `/v1` or `/v1/orgs/<slug>`. */
export const secretsApi = {
  list: async (prefix: string): Promise<Secret[]> =>
    (await http.get<{ secrets: Secret[] }>(`${prefix}/secrets`)).secrets,
  get: async (prefix: string, name: string): Promise<Secret> =>
    (await http.get<{ secret: Secret }>(`${prefix}/secrets/${seg(name)}`)).secret,
  create: (prefix: string, name: string, value: string) =>
    http.post<SecretWriteResult>(`${prefix}/secrets`, { name, value }),
  /** `pending`: save as the pending value (staged rotation); deliveries keep the current one until promote. */
  replace: (prefix: string, name: string, value: string, opts: { readonly pending?: boolean } = {}) =>
    http.put<SecretWriteResult>(`${prefix}/secrets/${seg(name)}`, opts.pending ? { value, pending: true } : { value }),
  /** Makes the pending value current (a new version). */
  promote: (prefix: string, name: string) => http.post<SecretWriteResult>(`${prefix}/secrets/${seg(name)}/pending/promote`),
  discard: (prefix: string, name: string) => http.del(`${prefix}/secrets/${seg(name)}/pending`),
  remove: (prefix: string, name: string) => http.del(`${prefix}/secrets/${seg(name)}`),
  /** Earlier values, newest first: metadata only (a version can be restored, never read). */
  versions: async (prefix: string, name: string): Promise<SecretVersion[]> =>
    (await http.get<{ versions: SecretVersion[] }>(`${prefix}/secrets/${seg(name)}/versions`)).versions,
  /** Makes an earlier version's value current again (as a new version). */
  restore: (prefix: string, name: string, version: number) =>
    http.post<SecretWriteResult>(`${prefix}/secrets/${seg(name)}/versions/${seg(version)}/restore`),
};
