import { useQuery, useQueryClient } from '@tanstack/react-query';
import { envApi } from '../api/env-api.ts';

const envKey = (base: string) => ['env', base] as const;

/** The own, inherited and last rolled-out variables of one scope (`base` from `envBase`). */
export function useEnvState(base: string) {
  return useQuery({ queryKey: [...envKey(base), 'state'], queryFn: () => envApi.get(base) });
}

/** What a rollout of this scope would change. */
export function useEnvRollout(base: string) {
  return useQuery({ queryKey: [...envKey(base), 'rollout'], queryFn: () => envApi.review(base) });
}

/** After a change: every env query (a product inherits from its owner). */
export function useInvalidateEnv() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['env'] });
}
