import type { Principal } from '../auth/auth-service.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import { DEVICE_ID_PATTERN, type ProductScope } from '../events/product-service.ts';
import type { OrgService } from '../orgs/org-service.ts';
import type { Db } from '../store/database-types.ts';
import { envStore } from './env-store.ts';
import type { EnvTarget } from './env-types.ts';

export const OWNER_LAYER = 'owner';
export const productLayer = (id: number) => `product:${id}`;
export const deviceLayer = (id: string) => `device:${id.toLowerCase()}`;

/** The layers whose rolled-out values a device (or an event without one) receives, most general first. */
export function chainOf(productId: number | null, deviceId: string | null): Array<{ layer: string; from: 'Owner' | 'Product' | 'Device' }> {
  return [
    { layer: OWNER_LAYER, from: 'Owner' as const },
    ...(productId !== null ? [{ layer: productLayer(productId), from: 'Product' as const }] : []),
    ...(deviceId !== null ? [{ layer: deviceLayer(deviceId), from: 'Device' as const }] : []),
  ];
}

/** The sandbox's or an organization's own scope. */
export const ownerTarget = (scope: Scope): EnvTarget => ({ scope, kind: 'Owner', layer: OWNER_LAYER, parents: [] });

/** A product: inherits from its owner. */
export const productTarget = (ps: ProductScope): EnvTarget => ({
  scope: ps, kind: 'Product', layer: productLayer(ps.product.id), parents: [{ layer: OWNER_LAYER, from: 'Owner' }],
});

/**
 * A device: inherits from its owner and, when it is in one, its product. The caller's scope
 * is the one they have on the device's owner; a device of another tenant is not found.
 */
export async function deviceTarget(db: Db, orgs: Pick<OrgService, 'sandboxScope' | 'orgScope'>, principal: Principal, deviceId: string): Promise<EnvTarget> {
  const missing = new HushError('not_found', `device '${deviceId.slice(0, 40)}' not found`);
  const d = DEVICE_ID_PATTERN.test(deviceId) ? await envStore.deviceRow(db, deviceId) : null;
  if (!d) throw missing;
  let scope: Scope;
  if (d.owner.startsWith('org:')) {
    scope = await orgs.orgScope(principal, d.owner.slice(4)).catch(() => {
      throw missing;
    });
  } else {
    scope = orgs.sandboxScope(principal);
    if (scope.owner !== d.owner) throw missing;
  }
  const parents = chainOf(d.productId, null).map((c) => ({ layer: c.layer, from: c.from as 'Owner' | 'Product' }));
  return { scope, kind: 'Device', layer: deviceLayer(deviceId), parents };
}
