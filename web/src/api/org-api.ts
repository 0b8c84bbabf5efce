import { http, seg } from './http.ts';
import type { AuditEntry, Member, Product } from './logic-types.ts';
import type { OrgRole } from './types.ts';

/** Members, products and the audit trail. */
export const orgApi = {
  members: async (slug: string): Promise<Member[]> =>
    (await http.get<{ members: Member[] }>(`/v1/orgs/${seg(slug)}/members`)).members,
  addMember: (slug: string, username: string, role: OrgRole) =>
    http.post<unknown>(`/v1/orgs/${seg(slug)}/members`, { username, role }),
  setRole: (slug: string, userId: string, role: OrgRole) =>
    http.put<unknown>(`/v1/orgs/${seg(slug)}/members/${seg(userId)}`, { role }),
  removeMember: (slug: string, userId: string) => http.del(`/v1/orgs/${seg(slug)}/members/${seg(userId)}`),
  /** `prefix` `/v1` lists the user's products, `/v1/orgs/<slug>` the org's. */
  products: async (prefix: string): Promise<Product[]> => {
    const path = prefix === '/v1' ? '/v1/user/products' : `${prefix}/products`;
    return (await http.get<{ products: Product[] }>(path)).products;
  },
  /** Newest first; `filters` are the API's query parameters (actor, action, target, outcome, since, before, limit). */
  audit: async (prefix: string, filters: Readonly<Record<string, string>> = {}): Promise<AuditEntry[]> => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '')).toString();
    return (await http.get<{ audit: AuditEntry[] }>(`${prefix}/audit${query ? `?${query}` : ''}`)).audit;
  },
};
