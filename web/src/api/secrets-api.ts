import { http, seg } from './http.ts';
import type { Secret, SecretWriteResult } from './types.ts';

/** Secrets of one owner; `prefix` is `/v1` or `/v1/orgs/<slug>`. */
export const secretsApi = {
  list: async (prefix: string): Promise<Secret[]> =>
    (await http.get<{ secrets: Secret[] }>(`${prefix}/secrets`)).secrets,
  get: async (prefix: string, name: string): Promise<Secret> =>
    (await http.get<{ secret: Secret }>(`${prefix}/secrets/${seg(name)}`)).secret,
  create: (prefix: string, name: string, value: string) =>
    http.post<SecretWriteResult>(`${prefix}/secrets`, { name, value }),
  replace: (prefix: string, name: string, value: string) =>
    http.put<SecretWriteResult>(`${prefix}/secrets/${seg(name)}`, { value }),
  remove: (prefix: string, name: string) => http.del(`${prefix}/secrets/${seg(name)}`),
};
