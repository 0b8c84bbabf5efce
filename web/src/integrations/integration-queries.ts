import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { integrationsApi } from '../api/integrations-api.ts';
import { useIntegrationOwner } from './integration-owner.ts';

export function integrationsKey(ownerKey: string) {
  return ['integrations', ownerKey] as const;
}

export function useIntegrations() {
  const owner = useIntegrationOwner();
  return useQuery({
    queryKey: integrationsKey(owner.key),
    queryFn: () => integrationsApi.list(owner.prefix),
  });
}

export function useIntegration(id: string | undefined) {
  const owner = useIntegrationOwner();
  return useQuery({
    queryKey: [...integrationsKey(owner.key), id],
    queryFn: () => integrationsApi.get(owner.prefix, id!),
    enabled: id !== undefined,
    // Editing: do not overwrite what the user is typing with a background refetch.
    refetchOnWindowFocus: false,
  });
}

/** The integration's delivery history, newest first, a page at a time. */
export function useDeliveryHistory(id: string) {
  const owner = useIntegrationOwner();
  return useInfiniteQuery({
    queryKey: [...integrationsKey(owner.key), id, 'history'],
    queryFn: ({ pageParam }) => integrationsApi.history(owner.prefix, id, pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
}

/** The integration's dead letters, newest first. */
export function useDeadLetters(id: string) {
  const owner = useIntegrationOwner();
  return useQuery({
    queryKey: [...integrationsKey(owner.key), id, 'dead'],
    queryFn: () => integrationsApi.deliveries(owner.prefix, id, 'dead'),
  });
}

/** The owner's paused target hosts; looked at again every 10 s (a probe may resume one). */
export function usePausedHosts() {
  const owner = useIntegrationOwner();
  return useQuery({
    queryKey: [...integrationsKey(owner.key), 'paused-hosts'],
    queryFn: () => integrationsApi.pausedHosts(owner.prefix),
    refetchInterval: 10_000,
  });
}

export function useTemplates() {
  return useQuery({ queryKey: ['integration_templates'], queryFn: integrationsApi.templates, staleTime: 5 * 60_000 });
}
