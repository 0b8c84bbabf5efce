import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ledgerApi } from '../api/ledger-api.ts';
import { useScope } from '../scope/scope-context.tsx';

export function useLedgers() {
  const { prefix, key } = useScope();
  return useQuery({ queryKey: ['ledgers', key], queryFn: () => ledgerApi.list(prefix) });
}

export function useLedger(name: string) {
  const { prefix, key } = useScope();
  return useQuery({ queryKey: ['ledgers', key, name], queryFn: () => ledgerApi.get(prefix, name) });
}

export function useInstances(name: string) {
  const { prefix, key } = useScope();
  return useQuery({ queryKey: ['ledgers', key, name, 'instances'], queryFn: () => ledgerApi.instances(prefix, name) });
}

/** One instance (null when it does not exist yet) and its kept versions. */
export function useInstance(name: string, value: string) {
  const { prefix, key } = useScope();
  const instance = useQuery({
    queryKey: ['ledgers', key, name, 'instances', value],
    queryFn: () => ledgerApi.instance(prefix, name, value).catch((e: unknown) => {
      if ((e as { status?: number }).status === 404 && /has no instance/.test(String((e as Error).message))) return null;
      throw e;
    }),
  });
  const versions = useQuery({ queryKey: ['ledgers', key, name, 'instances', value, 'versions'], queryFn: () => ledgerApi.versions(prefix, name, value), enabled: instance.data != null });
  return { instance, versions };
}

export function useInvalidateLedgers() {
  const queryClient = useQueryClient();
  const { key } = useScope();
  return () => queryClient.invalidateQueries({ queryKey: ['ledgers', key] });
}

/** The id of the owner an owner-scoped ledger's one instance is named after. */
export function useOwnerId(): string {
  const { scope, session } = useScope();
  if (scope.kind === 'sandbox') return session.user.id;
  return session.orgs.find((o) => o.slug === scope.slug)?.id ?? '';
}
