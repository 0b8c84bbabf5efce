import { http, seg } from './http.ts';
import type {
  DeliveryAttempt,
  DeliveryLog,
  Integration,
  IntegrationTemplate,
  IntegrationTestResult,
  PausedHost,
  WebhookConfig,
} from './types.ts';

interface CreateReply {
  readonly ok: true;
  readonly id: string;
}

/** Integrations of one owner; `prefix` is `/v1`, `/v1/orgs/<slug>` or `/v1/products/<slug>`. */
export const integrationsApi = {
  list: async (prefix: string): Promise<Integration[]> => {
    const reply = await http.get<Integration[] | { integrations: Integration[] }>(`${prefix}/integrations`);
    return Array.isArray(reply) ? reply : (reply.integrations ?? []);
  },
  get: async (prefix: string, id: string): Promise<Integration> =>
    (await http.get<{ integration: Integration }>(`${prefix}/integrations/${seg(id)}`)).integration,
  create: (prefix: string, config: WebhookConfig) => http.post<CreateReply>(`${prefix}/integrations`, config),
  replace: async (prefix: string, id: string, config: WebhookConfig): Promise<Integration> =>
    (await http.put<{ integration: Integration }>(`${prefix}/integrations/${seg(id)}`, config)).integration,
  remove: (prefix: string, id: string) => http.del(`${prefix}/integrations/${seg(id)}`),
  /** `pending`: send with the selected secrets' pending values (testing a staged rotation). */
  test: (prefix: string, id: string, opts: { readonly pending?: boolean } = {}) =>
    http.post<IntegrationTestResult>(`${prefix}/integrations/${seg(id)}/test`, opts.pending ? { use_pending_secrets: true } : {}),
  logs: async (prefix: string, id: string): Promise<DeliveryLog[]> =>
    (await http.get<{ logs: DeliveryLog[] }>(`${prefix}/integrations/${seg(id)}/logs`)).logs,
  /** The delivery history, newest first (one page). */
  /** One page of the delivery history, newest first; `before` is the previous page's `next_before`. */
  history: (prefix: string, id: string, before?: string) =>
    http.get<{ deliveries: DeliveryAttempt[]; next_before: string | null }>(`${prefix}/integrations/${seg(id)}/deliveries${before ? `?before=${encodeURIComponent(before)}` : ''}`),
  deliveries: async (prefix: string, id: string, status?: DeliveryAttempt['status']): Promise<DeliveryAttempt[]> =>
    (await http.get<{ deliveries: DeliveryAttempt[] }>(`${prefix}/integrations/${seg(id)}/deliveries${status ? `?status=${status}` : ''}`)).deliveries,
  replay: (prefix: string, id: string, deliveryId: string) =>
    http.post<{ delivery: { id: string; replay_of: string } }>(`${prefix}/integrations/${seg(id)}/deliveries/${seg(deliveryId)}/replay`, {}),
  replayAllSince: (prefix: string, id: string, since: string) =>
    http.post<{ replayed: number }>(`${prefix}/integrations/${seg(id)}/deliveries/replay`, { since }),
  /** The owner's target hosts paused for too many errors. */
  pausedHosts: async (prefix: string): Promise<PausedHost[]> => (await http.get<{ hosts: PausedHost[] }>(`${prefix}/integrations/hosts`)).hosts,
  resumeHost: (prefix: string, hostId: string) => http.post<{ host: PausedHost }>(`${prefix}/integrations/hosts/${seg(hostId)}/resume`, {}),
  templates: async (): Promise<IntegrationTemplate[]> =>
    (await http.get<{ templates: IntegrationTemplate[] }>('/v1/integration_templates')).templates,
  fromTemplate: (prefix: string, template: string, values: Record<string, string>) =>
    http.post<CreateReply>(`${prefix}/integrations/from_template`, { template, values }),
};
