import type { IntegrationRecord } from './integration-store.ts';
import { toIntegrationJson } from './webhook/webhook-config-fns.ts';

/** An integration as the API answers it (list items, and `integration` of a get). */
export const integrationView = (r: IntegrationRecord) => ({
  id: r.id,
  ...toIntegrationJson(r.config),
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  ...(r.productId !== null ? { product_id: r.productId } : {}),
  counters: { success: r.successCount, error: r.errorCount },
  last_delivery: r.lastStatus ? { status: r.lastStatus, at: r.lastAt, http_status: r.lastHttpStatus } : null,
});
