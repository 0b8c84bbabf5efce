import { useQuery } from '@tanstack/react-query';
import { fetchSession } from '../api/session-api.ts';

export const SESSION_KEY = ['session'] as const;

/** The signed-in user and their organizations; `data` is null when signed out. */
export function useSessionQuery() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: fetchSession,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
