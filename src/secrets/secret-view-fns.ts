import type { AuthService } from '../auth/auth-service.ts';
import { expiryView } from './secret-expiry-fns.ts';
import type { PendingRecord, SecretRecord, SecretUsage, SecretView } from './secret-types.ts';

/** Builds API views: arrays always present (the CLI adds their lengths), never the value. */
export async function toSecretViews(
  recs: readonly SecretRecord[],
  usages: readonly SecretUsage[],
  auth: Pick<AuthService, 'emailsByIds'>,
  owner: string,
  extra: { readonly pending: readonly PendingRecord[]; readonly now: Date },
): Promise<SecretView[]> {
  const pendingByName = new Map(extra.pending.map((p) => [p.name, p]));
  const emails = await auth.emailsByIds(recs.flatMap((r) => [r.createdBy, r.updatedBy]));
  const isOrg = owner.startsWith('org:');
  return recs.map((r) => {
    const mine = usages.filter((u) => u.secretName === r.name);
    const integrations = mine
      .filter((u) => u.consumerType === 'integration')
      .map((u) => ({
        id: u.consumerId,
        name: u.consumerName,
        // The CLI's org fixture reads org_integration_id; give both shapes.
        ...(isOrg ? { org_integration_id: u.consumerId } : {}),
        ...(u.productSlug ? { product_slug: u.productSlug } : {}),
      }));
    const logic = mine.filter((u) => u.consumerType === 'logic').map((u) => ({ id: u.consumerId, name: u.consumerName }));
    return {
      name: r.name,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      created_by: r.createdBy,
      updated_by: r.updatedBy,
      created_by_username: emails.get(r.createdBy) ?? null,
      updated_by_username: emails.get(r.updatedBy) ?? null,
      last_accessed_at: r.lastAccessedAt,
      version: r.currentVersion,
      usage_count: integrations.length + logic.length,
      integrations,
      logic_functions: logic,
      pending: pendingOf(pendingByName.get(r.name)),
      expires_at: r.expiresAt ?? null,
      rotation_period_days: r.rotationPeriodDays ?? null,
      ...expiryView(r.expiresAt ?? null, extra.now),
    };
  });
}

const pendingOf = (p: PendingRecord | undefined) => (p ? { since: p.createdAt, created_by: p.createdBy } : null);
