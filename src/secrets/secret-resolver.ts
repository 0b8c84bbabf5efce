import type { CryptoService } from '../crypto/crypto-service.ts';
import { isHushError } from '../errors/errors.ts';
import type { Db, SecretVersionsTable } from '../store/database-types.ts';
import { firstShownDay, utcDay } from './secret-consumer-fns.ts';
import type { ConsumerKind, ConsumerUse, SecretConsumerStore } from './secret-consumer-store.ts';
import type { SecretLifecycleStore } from './secret-lifecycle-store.ts';
import type { SecretStore } from './secret-store.ts';
import { PENDING_VERSION, type PendingRecord } from './secret-types.ts';

/**
 * How consumers (webhook deliveries, Logic runs, maskers) read secret values. Values are
 * read from the database on every use, so a replace that has returned is what the very
 * next delivery or run sees, on any node; only the unwrapped data keys are cached.
 */
export interface SecretResolver {
  /**
   * Current values of the named secrets; marks them accessed (coalesced). Missing names are
   * absent. With `pending`, a secret's pending value stands in for its current one (a test
   * of a staged rotation).
   */
  values(owner: string, names: readonly string[], opts?: { readonly pending?: boolean }): Promise<Record<string, string>>;
  /** All of an owner's masked values (pending, current and recent previous versions) and the owner's change counter (for the masker). */
  allValues(owner: string): Promise<{ version: number; values: string[] }>;
  ownerVersion(owner: string): Promise<number>;
  /**
   * One secret's current value, when it became current, and the value it replaced (null for
   * a first version or one that cannot be decrypted); null when the secret does not exist.
   * For consumers that honour a rotation overlap (webhook signing keys).
   */
  recentValues(owner: string, name: string): Promise<RecentValues | null>;
  /** Every owner's current values (the server-wide log masker). */
  everyValue(): Promise<string[]>;
  /** Changes whenever any owner's secrets change. */
  globalVersion(): Promise<number>;
  /**
   * Counts one use of the named secrets by a consumer: an in-memory increment, written (with
   * the access times) by the next coalesced flush.
   */
  recordUse(owner: string, names: readonly string[], consumer: { readonly kind: ConsumerKind; readonly id: string }): void;
  /** Drops this node's unwritten access time and counts of a deleted secret (a secret recreated under its name starts at zero). */
  forget(owner: string, name: string): void;
  /** Writes pending last_accessed_at updates and use counts now. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface RecentValues {
  readonly current: string;
  /** When the current value became current (ISO time of its version). */
  readonly currentSince: string;
  readonly previous: string | null;
}

export interface SecretResolverDeps {
  readonly db: Db;
  readonly store: SecretStore;
  readonly lifecycle: Pick<SecretLifecycleStore, 'pending' | 'allPending'>;
  readonly crypto: Pick<CryptoService, 'decrypt'>;
  readonly consumers: Pick<SecretConsumerStore, 'add' | 'trim'>;
  readonly now: () => Date;
  /** How long access times and use counts may wait before being written (default 2 s). */
  readonly flushMs?: number;
}

/**
 * Versions whose values stay masked: the current one and the previous ones, newest first.
 * Why the previous ones: a replaced value is often still valid for a while (rotation with a
 * grace period, a device or cache still sending it), and "the old value cannot be seen" holds
 * only if logs keep masking it. Bounded so that frequent rotation cannot grow the masker
 * without end.
 */
export const MASKED_VERSIONS_PER_SECRET = 10;

const DAY_MS = 86_400_000;

type VersionRow = Pick<SecretVersionsTable, 'owner' | 'name' | 'version' | 'data_key_id' | 'nonce' | 'ciphertext'>;

const pendingRow = (p: PendingRecord): VersionRow => ({ owner: p.owner, name: p.name, version: PENDING_VERSION, data_key_id: p.dataKeyId, nonce: p.nonce, ciphertext: p.ciphertext });

/**
 * The rows of the masked versions of existing secrets (one owner's, or every owner's).
 * Versions are numbered 1, 2, 3… per secret, so the newest ones are a range on the primary
 * key: the cost stays the same however often a secret has been replaced.
 */
async function maskedVersionRows(db: Db, owner: string | undefined, versions: number): Promise<VersionRow[]> {
  let q = db
    .selectFrom('secret_versions as v')
    .innerJoin('secrets as s', (j) => j.onRef('s.owner', '=', 'v.owner').onRef('s.name', '=', 'v.name'))
    .select(['v.owner', 'v.name', 'v.version', 'v.data_key_id', 'v.nonce', 'v.ciphertext'])
    .where((eb) => eb('v.version', '>', eb('s.current_version', '-', versions)));
  if (owner !== undefined) q = q.where('v.owner', '=', owner);
  return q.orderBy('v.owner').orderBy('v.name').orderBy('v.version', 'desc').execute();
}

export function createSecretResolver(deps: SecretResolverDeps): SecretResolver {
  /** Decrypts rows; a row failing with an error `skip` accepts is left out, any other error is thrown. */
  const decryptAll = async (rows: readonly VersionRow[], skip: (e: unknown) => boolean): Promise<string[]> => {
    const out: string[] = [];
    for (const r of rows) {
      try {
        out.push(await deps.crypto.decrypt(r.owner, r.name, Number(r.version), { dataKeyId: r.data_key_id, nonce: Buffer.from(r.nonce), ciphertext: Buffer.from(r.ciphertext) }));
      } catch (e) {
        if (!skip(e)) throw e;
      }
    }
    return out;
  };

  // (owner, name) → newest access time not yet written.
  const pending = new Map<string, { owner: string; name: string; at: string }>();
  // (day number, consumer, owner, name) → uses not yet written. Times stay numbers until the
  // flush: a use costs a map lookup and an increment.
  type Uses = { owner: string; name: string; kind: ConsumerKind; id: string; dayNo: number; uses: number; lastMs: number };
  const uses = new Map<string, Uses>();
  const toUse = (u: Uses): ConsumerUse => ({
    owner: u.owner, secretName: u.name, kind: u.kind, consumerId: u.id, day: utcDay(new Date(u.dayNo * DAY_MS)), uses: u.uses, lastUsedAt: new Date(u.lastMs).toISOString(),
  });
  let trimmedDay = '';
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = [...pending.values()];
    const counts = [...uses.values()].map(toUse);
    pending.clear();
    uses.clear();
    const run = async () => {
      for (const p of batch) await deps.store.touch(deps.db, p.owner, p.name, p.at);
      for (const u of counts) await deps.consumers.add(deps.db, u);
      // Old day rows go once a day per node (a delete by the day index).
      const now = deps.now();
      if (counts.length > 0 && utcDay(now) !== trimmedDay) {
        await deps.consumers.trim(deps.db, firstShownDay(now));
        trimmedDay = utcDay(now);
      }
    };
    flushing = flushing.then(run, run);
    await flushing;
  };

  const scheduleFlush = () => {
    if (!timer) {
      timer = setTimeout(() => void flush().catch(() => undefined), deps.flushMs ?? 2000);
      timer.unref();
    }
  };

  const markAccessed = (owner: string, names: readonly string[]) => {
    const at = deps.now().toISOString();
    for (const name of names) pending.set(`${owner}\0${name}`, { owner, name, at });
    scheduleFlush();
  };

  const recordUse: SecretResolver['recordUse'] = (owner, names, consumer) => {
    if (names.length === 0) return;
    const ms = deps.now().getTime();
    const dayNo = Math.floor(ms / DAY_MS);
    for (const name of names) {
      const key = `${dayNo}\0${consumer.kind}\0${consumer.id}\0${owner}\0${name}`;
      const u = uses.get(key);
      if (u === undefined) uses.set(key, { owner, name, kind: consumer.kind, id: consumer.id, dayNo, uses: 1, lastMs: ms });
      else {
        u.uses += 1;
        if (ms > u.lastMs) u.lastMs = ms;
      }
    }
    scheduleFlush();
  };

  return {
    async values(owner, names, opts) {
      const rows = await deps.store.currentVersions(deps.db, owner, names);
      const out: Record<string, string> = {};
      for (const r of rows) out[r.name] = await deps.crypto.decrypt(owner, r.name, r.version, r);
      if (opts?.pending === true && rows.length > 0) {
        for (const p of await deps.lifecycle.pending(deps.db, owner, rows.map((r) => r.name))) out[p.name] = await deps.crypto.decrypt(owner, p.name, PENDING_VERSION, p);
      }
      if (rows.length > 0) markAccessed(owner, rows.map((r) => r.name));
      return out;
    },
    async allValues(owner) {
      const version = await deps.store.ownerVersion(deps.db, owner);
      const rows = [...(await deps.lifecycle.pending(deps.db, owner)).map(pendingRow), ...(await maskedVersionRows(deps.db, owner, MASKED_VERSIONS_PER_SECRET))];
      // A value that cannot be decrypted cannot be used either; it must not stop the
      // owner's other values from being masked.
      return { version, values: await decryptAll(rows, () => true) };
    },
    ownerVersion: (owner) => deps.store.ownerVersion(deps.db, owner),
    async recentValues(owner, name) {
      // Every write (replace, restore, promote of a pending value) makes a new version numbered current + 1 and points
      // the secret at it, so the value it replaced is always the version just below.
      const rec = await deps.store.get(deps.db, owner, name);
      if (rec === null) return null;
      const cur = await deps.store.version(deps.db, owner, name, rec.currentVersion);
      if (cur === null) return null;
      const prev = rec.currentVersion > 1 ? await deps.store.version(deps.db, owner, name, rec.currentVersion - 1) : null;
      const current = await deps.crypto.decrypt(owner, name, cur.version, cur);
      const previous = prev === null ? null : await deps.crypto.decrypt(owner, name, prev.version, prev).catch(() => null);
      return { current, currentSince: cur.createdAt, previous };
    },
    async everyValue() {
      // A value this node cannot decrypt (a data key only an older master key wraps,
      // mid-rotation; a damaged row) is one it cannot use either, so it cannot reach
      // this node's log: skip it rather than refuse to start.
      // Current values only: the server never logs a value by design, so this masker is a
      // second line of defence, rebuilt after every change on any owner; previous values are
      // masked where users read logs (the owner maskers above).
      // Pending values too: a test run or send uses them before they are current.
      const rows = [...(await deps.lifecycle.allPending(deps.db)).map(pendingRow), ...(await maskedVersionRows(deps.db, undefined, 1))];
      return decryptAll(rows, (e) => isHushError(e) && e.code === 'integrity_error');
    },
    async globalVersion() {
      const r = await deps.db.selectFrom('owner_state').select((eb) => eb.fn.sum<number>('secrets_version').as('v')).executeTakeFirst();
      return Number(r?.v ?? 0);
    },
    recordUse,
    forget(owner, name) {
      pending.delete(`${owner}\0${name}`);
      for (const [key, u] of uses) if (u.owner === owner && u.name === name) uses.delete(key);
    },
    flush,
    close: flush,
  };
}
