import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditInput } from '../audit/audit-service.ts';
import type { Role, Scope } from '../auth/scope-types.ts';
import type { CryptoService, EncryptedValue } from '../crypto/crypto-service.ts';
import { HushError } from '../errors/errors.ts';
import type { Db } from '../store/database-types.ts';
import { createFakeSecretLifecycleStore } from './fake-secret-lifecycle-store.ts';
import { createFakeSecretStore } from './fake-secret-store.ts';
import { createSecretService, type SecretService } from './secret-service.ts';
import type { SecretStore } from './secret-store.ts';
import type { SecretChange } from './secret-types.ts';

/** A reversible "cipher" that, like the real one, refuses a ciphertext read as another (owner, name, version). */
const fakeCrypto: Pick<CryptoService, 'encrypt' | 'decrypt'> = {
  async encrypt(_trx, owner, name, version, value): Promise<EncryptedValue> {
    return { dataKeyId: 'dk', nonce: Buffer.alloc(12), ciphertext: Buffer.from(JSON.stringify({ owner, name, version, value })) };
  },
  async decrypt(owner, name, version, v) {
    const p = JSON.parse(v.ciphertext.toString()) as { owner: string; name: string; version: number; value: string };
    if (p.owner !== owner || p.name !== name || p.version !== version) throw new HushError('integrity_error', `secret ${name} could not be decrypted`);
    return p.value;
  },
};

/** Runs a "transaction" by handing the callback the same fake db (the fake store ignores it). */
const fakeDb = { transaction: () => ({ execute: <T>(fn: (trx: unknown) => Promise<T>) => fn(fakeDb) }) } as unknown as Db;

const principal = (userId: string) => ({ userId, email: `${userId}@example.com`, tokenHash: '', clientId: 'test', expiresAt: null });
const orgScope = (role: Role, userId = `${role}-user`): Scope => ({ owner: 'org:o1', kind: 'org', orgId: 'o1', orgSlug: 'acme', role, principal: principal(userId) });
const sandbox = (userId = 'alice'): Scope => ({ owner: `user:${userId}`, kind: 'sandbox', orgId: null, orgSlug: null, role: 'owner', principal: principal(userId) });

/** The HushError a call rejects with. */
async function rejection(p: Promise<unknown>): Promise<HushError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(HushError);
  return e as HushError;
}

describe('SecretService (fake store, fake crypto)', () => {
  let store: SecretStore;
  let audit: AuditInput[];
  let changes: string[];
  let changeLog: SecretChange[];
  let clock: number;
  let service: SecretService;
  const valueOf = async (owner: string, name: string) => {
    const [v] = await store.currentVersions(fakeDb, owner, [name]);
    return v ? fakeCrypto.decrypt(owner, name, v.version, v) : undefined;
  };

  beforeEach(() => {
    store = createFakeSecretStore();
    audit = [];
    changes = [];
    changeLog = [];
    clock = Date.UTC(2026, 0, 1);
    service = createSecretService({
      db: fakeDb,
      store,
      lifecycle: createFakeSecretLifecycleStore(),
      consumers: { forSecret: async () => ({ consumers: [], days: [] }), deleteForSecret: async () => undefined },
      crypto: fakeCrypto,
      audit: { record: async (input) => void audit.push(input) },
      auth: { emailsByIds: async (ids) => new Map(ids.map((id) => [id, `${id}@example.com`])) },
      now: () => new Date((clock += 1000)),
      onChange: (owner, change) => {
        changes.push(owner);
        changeLog.push(change);
      },
    });
  });

  describe('role checks', () => {
    it.each([['create'], ['put'], ['remove'], ['restore']] as const)('view-only is refused %s with 403 and a denied audit entry', async (op) => {
      await service.put(orgScope('developer'), 'KEY', 'developer-value');
      audit.length = 0;
      const viewer = orgScope('view-only');
      const call =
        op === 'create' ? service.create(viewer, 'NEW_KEY', 'v-value-1') : op === 'put' ? service.put(viewer, 'KEY', 'v-value-2') : op === 'remove' ? service.remove(viewer, 'KEY') : service.restore(viewer, 'KEY', 1);
      const e = await rejection(call);
      expect(e.code).toBe('forbidden');
      expect(e.status).toBe(403);
      expect(e.message).toBe("your role 'view-only' in organization 'acme' does not allow changing secrets");
      const action = { create: 'secret.create', put: 'secret.replace', remove: 'secret.delete', restore: 'secret.restore' }[op];
      expect(audit).toEqual([{ owner: 'org:o1', actorId: 'view-only-user', action, target: op === 'create' ? 'NEW_KEY' : 'KEY', outcome: 'denied', detail: 'role view-only' }]);
      expect(await valueOf('org:o1', 'KEY')).toBe('developer-value');
      expect(changes).toEqual(['org:o1']);
    });

    it('view-only may list and get', async () => {
      await service.put(orgScope('administrator'), 'KEY', 'admin-value-1');
      expect((await service.list(orgScope('view-only'))).map((s) => s.name)).toEqual(['KEY']);
      expect((await service.get(orgScope('view-only'), 'KEY')).created_by).toBe('administrator-user');
    });

    it.each([['developer'], ['administrator'], ['owner']] as const)('%s may create, replace and delete', async (role) => {
      const scope = role === 'owner' ? sandbox() : orgScope(role);
      const created = await service.create(scope, 'KEY', 'first-value');
      expect(created).toMatchObject({ created: true, warning: null, secret: { name: 'KEY', version: 1, usage_count: 0, integrations: [], logic_functions: [] } });
      const replaced = await service.put(scope, 'KEY', 'second-value');
      expect(replaced).toMatchObject({ created: false, secret: { version: 2, created_by: scope.principal.userId, updated_by: scope.principal.userId } });
      expect(await valueOf(scope.owner, 'KEY')).toBe('second-value');
      await service.remove(scope, 'KEY');
      expect(await store.get(fakeDb, scope.owner, 'KEY')).toBeNull();
      expect(audit.map((a) => [a.action, a.outcome ?? 'ok'])).toEqual([['secret.create', 'ok'], ['secret.replace', 'ok'], ['secret.delete', 'ok']]);
      expect(await store.ownerVersion(fakeDb, scope.owner)).toBe(3);
      expect(changeLog.map((c) => [c.kind, c.name, c.version, c.actorId])).toEqual([
        ['created', 'KEY', 1, scope.principal.userId], ['replaced', 'KEY', 2, scope.principal.userId], ['deleted', 'KEY', 2, scope.principal.userId],
      ]);
    });
  });

  describe('names and values', () => {
    it('refuses a second create of a name in use, and keeps the first value', async () => {
      await service.create(sandbox(), 'TAKEN', 'original-value');
      const e = await rejection(service.create(sandbox(), 'TAKEN', 'another-value'));
      expect([e.code, e.status, e.message]).toEqual(['name_in_use', 400, 'Failed to create secret: Name already in use']);
      expect(await valueOf('user:alice', 'TAKEN')).toBe('original-value');
      // Another owner may use the same name.
      expect((await service.create(sandbox('bob'), 'TAKEN', 'bobs-value-1')).created).toBe(true);
    });

    it('refuses bad names and values with the shared messages', async () => {
      expect((await rejection(service.put(sandbox(), '1BAD', 'value-12345'))).message).toBe(
        "Secret name may contain only uppercase letters, numbers and underscores, and cannot begin with a number: '1BAD'",
      );
      expect((await rejection(service.put(sandbox(), 'OK', ''))).message).toBe('Secret value must not be empty');
      expect((await rejection(service.put(sandbox(), 'OK', 42))).message).toBe('secret value must be a string');
      expect(await service.list(sandbox())).toEqual([]);
    });

    it('warns about short values', async () => {
      expect((await service.put(sandbox(), 'SHORT', 'abc')).warning).toMatch(/^Values shorter than 8 characters/);
    });

    it('answers not_found for a missing secret', async () => {
      for (const p of [service.get(sandbox(), 'NONE'), service.remove(sandbox(), 'NONE'), service.versions(sandbox(), 'NONE')]) {
        const e = await rejection(p);
        expect([e.code, e.message]).toEqual(['not_found', "secret 'NONE' not found"]);
      }
    });
  });

  describe('delete while in use', () => {
    it('is refused naming every user; allowed once unused', async () => {
      await service.put(sandbox(), 'USED', 'used-value-1');
      await store.setUsages(fakeDb, 'user:alice', { consumerType: 'integration', consumerId: 'i1', consumerName: 'Blynk hook', productSlug: null }, ['USED']);
      await store.setUsages(fakeDb, 'user:alice', { consumerType: 'logic', consumerId: 'f1', consumerName: 'Averager', productSlug: null }, ['USED']);
      const e = await rejection(service.remove(sandbox(), 'USED'));
      expect([e.code, e.status]).toEqual(['secret_in_use', 400]);
      expect(e.message).toBe("Secret USED is in use by integrations or Logic Functions and cannot be deleted: Logic function 'Averager', integration 'Blynk hook'");
      expect((await service.get(sandbox(), 'USED')).usage_count).toBe(2);
      await store.setUsages(fakeDb, 'user:alice', { consumerType: 'integration', consumerId: 'i1', consumerName: 'Blynk hook', productSlug: null }, []);
      await store.setUsages(fakeDb, 'user:alice', { consumerType: 'logic', consumerId: 'f1', consumerName: 'Averager', productSlug: null }, []);
      await service.remove(sandbox(), 'USED');
      expect(await service.list(sandbox())).toEqual([]);
    });
  });

  describe('versions and restore', () => {
    it('restores an old value as a new version, recording where it came from', async () => {
      await service.put(sandbox(), 'ROT', 'value-one-1');
      await service.put(sandbox(), 'ROT', 'value-two-2');
      await service.put(sandbox(), 'ROT', 'value-three');
      const r = await service.restore(sandbox(), 'ROT', 1);
      expect(r).toMatchObject({ created: false, warning: null, secret: { name: 'ROT', version: 4 } });
      expect(await valueOf('user:alice', 'ROT')).toBe('value-one-1');
      const versions = await service.versions(sandbox(), 'ROT');
      expect(versions.map((v) => [v.version, v.current, v.restored_from])).toEqual([
        [4, true, 1],
        [3, false, null],
        [2, false, null],
        [1, false, null],
      ]);
      expect(versions[0].created_by_username).toBe('alice@example.com');
      expect(audit.at(-1)).toEqual({ owner: 'user:alice', actorId: 'alice', action: 'secret.restore', target: 'ROT', detail: 'restored version 1 as version 4' });
    });

    it('refuses a version that does not exist', async () => {
      await service.put(sandbox(), 'ROT', 'value-one-1');
      const e = await rejection(service.restore(sandbox(), 'ROT', 7));
      expect([e.code, e.message]).toEqual(['not_found', "secret 'ROT' has no version 7"]);
    });

    it('never returns a value from any call', async () => {
      const results = [await service.put(sandbox(), 'HIDDEN', 'hidden-value-xyz'), await service.list(sandbox()), await service.versions(sandbox(), 'HIDDEN')];
      expect(JSON.stringify(results)).not.toContain('hidden-value-xyz');
      expect(JSON.stringify(audit)).not.toContain('hidden-value-xyz');
    });
  });
});
