import type { AuditService } from '../audit/audit-service.ts';
import type { Principal } from '../auth/auth-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { OrgService } from '../orgs/org-service.ts';
import type { Db } from '../store/database-types.ts';

export interface Product {
  readonly id: number;
  readonly owner: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface ProductScope extends Scope {
  readonly product: Product;
}

export const PRODUCT_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const DEVICE_ID_PATTERN = /^[0-9a-f]{24}$/i;

/** Products and their devices, minimal: enough for events to carry a device and a product. */
export interface ProductService {
  create(scope: Scope, name: string, slug?: string): Promise<Product>;
  list(scope: Scope): Promise<Product[]>;
  /** The caller's scope on a product (by numeric id or slug); 404 when not theirs. */
  productScope(principal: Principal, idOrSlug: string): Promise<ProductScope>;
  addDevices(scope: ProductScope, ids: readonly string[]): Promise<string[]>;
  devices(scope: ProductScope): Promise<string[]>;
  /** Takes a device out of the product (its events can no longer be published as it there); 404 when it is not in it. */
  removeDevice(scope: ProductScope, id: string): Promise<void>;
  /** Claims a device into the caller's sandbox. */
  claimDevice(scope: Scope, id: string): Promise<void>;
  /** The owner's device `id` (null when it is not one, or not a device id at all). */
  deviceOf(owner: string, id: string): Promise<{ id: string; productId: number | null } | null>;
  /** `GET /v1/devices/:device`: the owner's device, 404 otherwise. Hush keeps no device state. */
  deviceView(scope: Scope, id: string): Promise<{ id: string; name: null; product_id: number | null; online: false; connected: false }>;
}

const slugify = (name: string) =>
  name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'product';

export interface ProductServiceDeps {
  readonly db: Db;
  readonly orgs: Pick<OrgService, 'sandboxScope' | 'orgScope'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly now: () => Date;
}

export function createProductService(deps: ProductServiceDeps): ProductService {
  const { db } = deps;
  const toProduct = (r: { id: number; owner: string; slug: string; name: string; created_at: string }): Product => ({
    id: Number(r.id), owner: r.owner, slug: r.slug, name: r.name, createdAt: r.created_at,
  });
  const requireWrite = (scope: Scope, action: string, target: string) =>
    requirePermission(deps.audit, scope, 'write', { action, target, doing: 'this change' });
  const checkDevice = (id: string) => {
    if (!DEVICE_ID_PATTERN.test(id)) throw new HushError('validation_failed', `device id '${id}' must be 24 hexadecimal characters`);
  };
  const service: ProductService = {
    async create(scope, name, slug) {
      await requireWrite(scope, 'product.create', typeof name === 'string' ? name : 'product');
      if (typeof name !== 'string' || name.trim() === '' || name.length > 100) throw new HushError('validation_failed', 'product name is required (at most 100 characters)');
      let s = slug ?? `${slugify(name)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
      if (!PRODUCT_SLUG_PATTERN.test(s)) throw new HushError('validation_failed', `product slug '${s}' must be lowercase letters, digits and dashes`);
      // An all-digit slug would read as another product's numeric id in every `:productIdOrSlug`.
      if (/^\d+$/.test(s)) throw new HushError('validation_failed', `product slug '${s}' must not be all digits (it would read as a product id)`);
      if (await db.selectFrom('products').select('id').where('slug', '=', s).executeTakeFirst()) {
        if (slug) throw new HushError('conflict', `product slug '${slug}' is already taken`);
        s = `${s}-${Date.now().toString(36)}`;
      }
      const r = await db
        .insertInto('products')
        .values({ owner: scope.owner, slug: s, name: name.trim(), created_at: deps.now().toISOString() })
        .returning(['id', 'owner', 'slug', 'name', 'created_at'])
        .executeTakeFirstOrThrow();
      return toProduct(r);
    },
    async list(scope) {
      return (await db.selectFrom('products').selectAll().where('owner', '=', scope.owner).orderBy('id').execute()).map(toProduct);
    },
    async productScope(principal, idOrSlug) {
      // Ids are PostgreSQL integers: a larger number is no product (not an out-of-range error).
      const asId = /^\d{1,10}$/.test(idOrSlug) && Number(idOrSlug) <= 2_147_483_647 ? Number(idOrSlug) : -1;
      // Ids are resolved before slugs, so no slug (even one stored before digits were refused) can shadow an id.
      const r =
        (asId >= 0 ? await db.selectFrom('products').selectAll().where('id', '=', asId).executeTakeFirst() : undefined) ??
        (await db.selectFrom('products').selectAll().where('slug', '=', idOrSlug).executeTakeFirst());
      const missing = new HushError('not_found', `product '${idOrSlug}' not found`);
      if (!r) throw missing;
      const product = toProduct(r);
      let scope: Scope;
      if (product.owner.startsWith('org:')) {
        scope = await deps.orgs.orgScope(principal, product.owner.slice(4)).catch(() => {
          throw missing;
        });
      } else {
        scope = deps.orgs.sandboxScope(principal);
        if (scope.owner !== product.owner) throw missing;
      }
      return { ...scope, product };
    },
    async addDevices(scope, ids) {
      await requireWrite(scope, 'device.add', scope.product.slug);
      ids.forEach(checkDevice);
      const now = deps.now().toISOString();
      for (const id of ids) {
        const lower = id.toLowerCase();
        const existing = await db.selectFrom('devices').select(['owner']).where('id', '=', lower).executeTakeFirst();
        if (existing && existing.owner !== scope.owner) throw new HushError('conflict', `device '${id}' belongs to someone else`);
        await db
          .insertInto('devices')
          .values({ id: lower, owner: scope.owner, product_id: scope.product.id, name: null, created_at: now })
          .onConflict((oc) => oc.column('id').doUpdateSet({ product_id: scope.product.id }))
          .execute();
      }
      return ids.map((i) => i.toLowerCase());
    },
    async devices(scope) {
      return (await db.selectFrom('devices').select('id').where('product_id', '=', scope.product.id).orderBy('id').execute()).map((r) => r.id);
    },
    async removeDevice(scope, id) {
      await requireWrite(scope, 'device.remove', `${scope.product.slug}/${id.slice(0, 60)}`);
      const r = DEVICE_ID_PATTERN.test(id)
        ? await db.updateTable('devices').set({ product_id: null }).where('id', '=', id.toLowerCase()).where('product_id', '=', scope.product.id).executeTakeFirst()
        : null;
      // The device stays the owner's (as a claimed device would), outside any product.
      if (!r || Number(r.numUpdatedRows) === 0) throw new HushError('not_found', `device '${id.slice(0, 60)}' is not in product '${scope.product.slug}'`);
    },
    async claimDevice(scope, id) {
      await requireWrite(scope, 'device.claim', id);
      checkDevice(id);
      const lower = id.toLowerCase();
      const existing = await db.selectFrom('devices').select(['owner']).where('id', '=', lower).executeTakeFirst();
      if (existing && existing.owner !== scope.owner) throw new HushError('conflict', `device '${id}' is claimed by someone else`);
      if (!existing) {
        await db.insertInto('devices').values({ id: lower, owner: scope.owner, product_id: null, name: null, created_at: deps.now().toISOString() }).execute();
      }
    },
    async deviceOf(owner, id) {
      if (!DEVICE_ID_PATTERN.test(id)) return null;
      const r = await db.selectFrom('devices').select(['id', 'product_id']).where('id', '=', id.toLowerCase()).where('owner', '=', owner).executeTakeFirst();
      return r ? { id: r.id, productId: r.product_id === null ? null : Number(r.product_id) } : null;
    },
    async deviceView(scope, id) {
      const d = await service.deviceOf(scope.owner, id);
      if (!d) throw new HushError('not_found', `device '${id.slice(0, 60)}' not found`);
      return { id: d.id, name: null, product_id: d.productId, online: false, connected: false };
    },
  };
  return service;
}
