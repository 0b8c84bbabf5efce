import { http, seg } from './http.ts';
import type { Product } from './logic-types.ts';

/** `/v1/products/<id or slug>`: the prefix of a product's integrations, Logic, events and devices. */
export const productPrefix = (idOrSlug: string | number) => `/v1/products/${seg(idOrSlug)}`;

/** Products of a scope (`prefix` `/v1` or `/v1/orgs/<slug>`) and the devices of one product. */
export const productsApi = {
  create: async (prefix: string, name: string): Promise<Product> =>
    (await http.post<{ product: Product }>(prefix === '/v1' ? '/v1/user/products' : `${prefix}/products`, { name })).product,
  get: async (idOrSlug: string): Promise<Product> => (await http.get<{ product: Product }>(productPrefix(idOrSlug))).product,
  devices: async (idOrSlug: string): Promise<string[]> =>
    (await http.get<{ devices: Array<{ id: string }> }>(`${productPrefix(idOrSlug)}/devices`)).devices.map((d) => d.id),
  addDevice: (idOrSlug: string, id: string) => http.post<unknown>(`${productPrefix(idOrSlug)}/devices`, { id }),
  removeDevice: (idOrSlug: string, id: string) => http.del(`${productPrefix(idOrSlug)}/devices/${seg(id)}`),
};
