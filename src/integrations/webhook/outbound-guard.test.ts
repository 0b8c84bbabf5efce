import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  checkUrlTarget,
  createGuardedLookup,
  forbiddenKind,
  isForbiddenAddress,
  OutboundRefusedError,
  type ResolveAll,
} from './outbound-guard.ts';

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['169.254.1.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a00:1::', 'private'],
    ['2001:db8::1', 'reserved'],
    ['not-an-ip', 'invalid'],
  ])('%s is forbidden (%s)', (ip, kind) => {
    expect(isForbiddenAddress(ip)).toBe(true);
    expect(forbiddenKind(ip)).toBe(kind);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is allowed',
    (ip) => {
      expect(isForbiddenAddress(ip)).toBe(false);
    },
  );
});

describe('checkUrlTarget', () => {
  it('refuses literal private hosts with a message that says how to allow them', () => {
    expect(() => checkUrlTarget('http://10.0.0.1/x', false)).toThrow(
      'refusing to connect to private address 10.0.0.1 (set HUSH_ALLOW_PRIVATE_WEBHOOKS=1 to allow)',
    );
    expect(() => checkUrlTarget('http://[::1]:8080/', false)).toThrow(OutboundRefusedError);
    // The WHATWG parser normalizes numeric IPv4 forms, so they cannot sneak through.
    expect(() => checkUrlTarget('http://2130706433/', false)).toThrow(/loopback address 127.0.0.1/);
    expect(() => checkUrlTarget('http://0x7f.1/', false)).toThrow(/loopback/);
  });

  it('allows public literals, host names, and private literals when allowed', () => {
    expect(() => checkUrlTarget('https://8.8.8.8/', false)).not.toThrow();
    expect(() => checkUrlTarget('https://localhost/', false)).not.toThrow(); // the lookup guards names
    expect(() => checkUrlTarget('http://127.0.0.1/', true)).not.toThrow();
  });

  it('always refuses cloud metadata and non-http schemes', () => {
    expect(() => checkUrlTarget('http://169.254.169.254/latest', true)).toThrow(/cloud metadata address/);
    expect(() => checkUrlTarget('file:///etc/passwd', true)).toThrow(/scheme file:/);
  });
});

function fakeResolver(answers: Record<string, string[]>): ResolveAll {
  return (hostname, _options, callback) => {
    const list = answers[hostname];
    if (list === undefined) {
      const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      callback(err, []);
      return;
    }
    callback(null, list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

function lookupOnce(
  lookup: ReturnType<typeof createGuardedLookup>,
  host: string,
  options: LookupOptions,
): Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) => lookup(host, options, (err, address, family) => resolve({ err, address, family })));
}

describe('createGuardedLookup', () => {
  const resolve = fakeResolver({
    'public.test': ['93.184.216.34'],
    'private.test': ['10.0.0.1'],
    'mixed.test': ['127.0.0.1', '93.184.216.34', '::1'],
    'metadata.test': ['169.254.169.254'],
  });

  it('returns public addresses in both callback styles', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect(await lookupOnce(lookup, 'public.test', {})).toMatchObject({ err: null, address: '93.184.216.34', family: 4 });
    expect(await lookupOnce(lookup, 'public.test', { all: true })).toMatchObject({ err: null, address: [{ address: '93.184.216.34', family: 4 }] });
  });

  it('refuses names that resolve only to forbidden addresses (DNS rebinding)', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    const { err } = await lookupOnce(lookup, 'private.test', {});
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect(err?.message).toBe('refusing to connect to private address 10.0.0.1 (set HUSH_ALLOW_PRIVATE_WEBHOOKS=1 to allow)');
  });

  it('drops forbidden addresses from a mixed answer', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect((await lookupOnce(lookup, 'mixed.test', { all: true })).address).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('passes private answers when allowed, but never cloud metadata', async () => {
    const lookup = createGuardedLookup({ allowPrivate: true, resolve });
    expect((await lookupOnce(lookup, 'private.test', {})).address).toBe('10.0.0.1');
    expect((await lookupOnce(lookup, 'metadata.test', {})).err?.message).toMatch(/cloud metadata/);
  });

  it('passes DNS errors through', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect((await lookupOnce(lookup, 'missing.test', {})).err?.code).toBe('ENOTFOUND');
  });
});
