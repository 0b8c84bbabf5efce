import { useQuery } from '@tanstack/react-query';
import { orgApi } from '../api/org-api.ts';
import { useScope } from './scope-context.tsx';

/** Products of the current scope (for the integration owner picker and Logic triggers). */
export function useProducts() {
  const { prefix, key } = useScope();
  return useQuery({
    queryKey: ['products', key],
    queryFn: () => orgApi.products(prefix),
    staleTime: 60_000,
    // Back from creating a product in another tab, pickers list it.
    refetchOnWindowFocus: 'always',
  });
}
