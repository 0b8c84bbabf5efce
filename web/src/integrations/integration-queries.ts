import { useQuery } from '@tanstack/react-query';
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

export function useDeliveryLogs(id: string) {
  const owner = useIntegrationOwner();
  return useQuery({
    queryKey: [...integrationsKey(owner.key), id, 'logs'],
    queryFn: () => integrationsApi.logs(owner.prefix, id),
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

export function useTemplates() {
  return useQuery({ queryKey: ['integration_templates'], queryFn: integrationsApi.templates, staleTime: 5 * 60_000 });
}
