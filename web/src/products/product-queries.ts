import { useQuery, useQueryClient } from '@tanstack/react-query';
import { productsApi } from '../api/products-api.ts';
import { useScope } from '../scope/scope-context.tsx';

/** One product (by id or slug). */
export function useProduct(idOrSlug: string) {
  return useQuery({ queryKey: ['product', idOrSlug], queryFn: () => productsApi.get(idOrSlug) });
}

/** The device ids of one product; `null` asks for none (no product chosen). */
export function useProductDevices(idOrSlug: string | null) {
  return useQuery({
    queryKey: ['product-devices', idOrSlug],
    queryFn: () => productsApi.devices(idOrSlug as string),
    enabled: idOrSlug !== null,
  });
}

/** After a create: the scope's product list is read again (pickers included). */
export function useInvalidateProducts() {
  const queryClient = useQueryClient();
  const { key } = useScope();
  return () => queryClient.invalidateQueries({ queryKey: ['products', key] });
}
