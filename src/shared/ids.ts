import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

// Hot paths mint several ids per event; one call to the CSPRNG per 4 KiB instead of per id.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
const randomHex = (bytes: number): string => {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.toString('hex', poolAt - bytes, poolAt);
};

/** A 24-hex id, the shape Particle uses for users, orgs, devices and integrations. */
export const hexId = (): string => randomBytes(12).toString('hex');

export const uuid = (): string => randomUUID();

/**
 * A time-ordered id (sortable as text on both databases): 13 hex digits of epoch
 * milliseconds, then random hex, so "newest first" is an index scan on the id.
 */
export const sortableId = (now: Date = new Date()): string =>
  now.getTime().toString(16).padStart(13, '0') + randomHex(6);

/** Owners are written `user:<id>` (a sandbox) or `org:<id>`. */
export type OwnerRef = `user:${string}` | `org:${string}`;
export const userOwner = (userId: string): OwnerRef => `user:${userId}`;
export const orgOwner = (orgId: string): OwnerRef => `org:${orgId}`;
