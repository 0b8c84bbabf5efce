/**
 * Keeps webhooks from reaching the server's own network (SSRF): loopback, private,
 * link-local (including cloud metadata), CGNAT, multicast, reserved and similar ranges,
 * in IPv4, IPv6 and IPv4-embedding IPv6 forms.
 *
 * The check runs where the connection is made: the guarded `lookup` filters what DNS
 * returns at connect time (so a name that re-resolves to 127.0.0.1 after validation is
 * still refused), and `checkUrlTarget` covers literal IP hosts, which never go through DNS.
 */
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

export const ALLOW_PRIVATE_HINT = 'set HUSH_ALLOW_PRIVATE_WEBHOOKS=1 to allow';

/** Cloud instance-metadata endpoints (AWS/GCP/Azure IPv4, AWS IPv6): refused even when private targets are allowed. */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set(['169.254.169.254', 'fd00:ec2::254']);

/** A connection Hush refused to make; the message is safe to show to the integration's owner. */
export class OutboundRefusedError extends Error {
  readonly code = 'ERR_HUSH_OUTBOUND_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

const V4_KINDS: Readonly<Record<string, string>> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
};

function v4Kind(addr: ipaddr.IPv4): string | undefined {
  const range = addr.range();
  if (range === 'unicast') return undefined;
  return V4_KINDS[range] ?? 'reserved';
}

/** The IPv4 address embedded in the low 32 bits of an IPv6 address. */
function low32(addr: ipaddr.IPv6): ipaddr.IPv4 {
  const p = addr.parts;
  return new ipaddr.IPv4([(p[6] ?? 0) >> 8, (p[6] ?? 0) & 0xff, (p[7] ?? 0) >> 8, (p[7] ?? 0) & 0xff]);
}

function v6Kind(addr: ipaddr.IPv6): string | undefined {
  const range = addr.range();
  const p = addr.parts;
  switch (range) {
    case 'unicast':
      return undefined;
    case 'ipv4Mapped':
    case 'rfc6145':
      return v4Kind(low32(addr));
    case 'rfc6052': // NAT64: well-known prefix embeds a public or private IPv4 address
      return p[2] === 0 ? v4Kind(low32(addr)) : 'reserved';
    case '6to4': {
      const embedded = new ipaddr.IPv4([(p[1] ?? 0) >> 8, (p[1] ?? 0) & 0xff, (p[2] ?? 0) >> 8, (p[2] ?? 0) & 0xff]);
      return v4Kind(embedded);
    }
    case 'loopback':
      return 'loopback';
    case 'linkLocal':
      return 'link-local';
    case 'uniqueLocal':
      return 'private';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    default:
      return 'reserved';
  }
}

/** Removes brackets and a zone index: `[fe80::1%eth0]` → `fe80::1`. */
function bareAddress(ip: string): string {
  return ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
}

/**
 * Why `ip` must not be contacted (`"private"`, `"loopback"`, ...), or undefined when it
 * is a public unicast address. Unparsable input is `"invalid"`.
 */
export function forbiddenKind(ip: string): string | undefined {
  const bare = bareAddress(ip);
  if (!ipaddr.isValid(bare)) return 'invalid';
  const addr = ipaddr.parse(bare);
  if (addr.kind() === 'ipv4') return v4Kind(addr as ipaddr.IPv4);
  const v6 = addr as ipaddr.IPv6;
  // ::/96 (IPv4-compatible, deprecated) is not singled out by ipaddr.js.
  if (v6.parts.slice(0, 6).every((x) => x === 0) && v6.range() === 'unicast') return 'reserved';
  return v6Kind(v6);
}

/** True for any address a webhook must not reach without `allowPrivate`. */
export function isForbiddenAddress(ip: string): boolean {
  return forbiddenKind(ip) !== undefined;
}

function normalized(ip: string): string {
  const bare = bareAddress(ip);
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}

/** The refusal for `ip` under the given policy, or undefined when it may be contacted. */
export function refusalFor(ip: string, allowPrivate: boolean): OutboundRefusedError | undefined {
  if (METADATA_ADDRESSES.has(normalized(ip))) {
    return new OutboundRefusedError(`refusing to connect to cloud metadata address ${bareAddress(ip)}`);
  }
  if (allowPrivate) return undefined;
  const kind = forbiddenKind(ip);
  if (kind === undefined) return undefined;
  return new OutboundRefusedError(`refusing to connect to ${kind} address ${bareAddress(ip)} (${ALLOW_PRIVATE_HINT})`);
}

/**
 * Refuses a URL whose host is a forbidden literal IP address, or whose scheme is not http(s).
 * Host names are left to the guarded lookup.
 * @throws OutboundRefusedError
 */
export function checkUrlTarget(url: string | URL, allowPrivate: boolean): void {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new OutboundRefusedError(`refusing to connect with scheme ${parsed.protocol} (only http and https)`);
  }
  const host = bareAddress(parsed.hostname);
  if (!ipaddr.isValid(host)) return;
  const refusal = refusalFor(host, allowPrivate);
  if (refusal !== undefined) throw refusal;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** The `lookup` option of `net.connect` / `tls.connect`. */
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;
/** Resolves every address of a name (defaults to `dns.lookup` with `all: true`). */
export type ResolveAll = (hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolveAll: ResolveAll = (hostname, options, callback) =>
  dns.lookup(hostname, { ...options, all: true }, callback);

/**
 * A `dns.lookup`-compatible function that drops forbidden addresses from the answer and
 * fails with an `OutboundRefusedError` when none is left.
 */
export function createGuardedLookup(opts: { readonly allowPrivate: boolean; readonly resolve?: ResolveAll }): LookupFunction {
  const resolve = opts.resolve ?? systemResolveAll;
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, addresses) => {
      if (err !== null) return callback(err, options.all === true ? [] : '');
      const allowed = addresses.filter((a) => refusalFor(a.address, opts.allowPrivate) === undefined);
      const first = allowed[0];
      if (first === undefined) {
        const refusal = addresses[0] === undefined ? undefined : refusalFor(addresses[0].address, opts.allowPrivate);
        const error: NodeJS.ErrnoException = refusal ?? new OutboundRefusedError(`no address found for ${hostname}`);
        return callback(error, options.all === true ? [] : '');
      }
      if (options.all === true) return callback(null, allowed);
      return callback(null, first.address, first.family);
    });
  };
}
