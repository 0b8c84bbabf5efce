/**
 * Property-based "bad input never breaks the server" suite: every route Fastify reports,
 * every method, arbitrary bodies, content types, path parameters, query strings and
 * credentials. For every response: status < 500, a 4xx carries the Particle error body,
 * no stored secret value (or an encoding of it) appears anywhere in the reply, and the
 * server still answers /healthz. Runs are reproducible: a failure prints fast-check's
 * seed and path; set HUSH_FUZZ_SEED to replay and HUSH_FUZZ_RUNS to scale the run count.
 */
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../src/http/auth-hook.ts';
import { orgOwner, userOwner } from '../../src/shared/ids.ts';
import { startHttpSink, type HttpSink } from '../support/http-sink.ts';
import { parseRouteTree, type Route } from '../support/route-tree-fns.ts';
import { testDialects } from '../support/pg-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

// ---------------------------------------------------------------------------------------
// Routes, as Fastify itself reports them
// ---------------------------------------------------------------------------------------

const API_PREFIXES = ['/v1/', '/oauth/', '/healthz'];
const isApi = (url: string) => API_PREFIXES.some((p) => url.startsWith(p));
/** Built console files (`/assets/x.js`, `/favicon.svg`): static bytes, no input to fuzz. */
const isStaticFile = (url: string) => !isApi(url) && /\.[a-z0-9]+$/i.test(url);
/** GET routes that may answer with an open `text/event-stream` (spec §6.2). */
const mayStream = (r: Route) => r.method === 'GET' && /\/events(\/:prefix)?$/.test(r.url);

async function enumerateRoutes(): Promise<Route[]> {
  const s = await startTestServer();
  try {
    const routes = parseRouteTree(s.app.printRoutes());
    // The parse is only trusted when Fastify confirms every route it produced.
    for (const r of routes) if (!s.app.hasRoute(r)) throw new Error(`route tree parse produced ${r.method} ${r.url}, which Fastify does not know`);
    return routes;
  } finally {
    await s.stop();
  }
}

const ALL_ROUTES = await enumerateRoutes();
/** HEAD routes are Fastify's automatic twins of GET routes: sent as a variant of those. */
const FUZZED = ALL_ROUTES.filter((r) => r.method !== 'HEAD' && !isStaticFile(r.url));
const STATIC_FILES = ALL_ROUTES.filter((r) => isStaticFile(r.url));

// ---------------------------------------------------------------------------------------
// Fixture values
// ---------------------------------------------------------------------------------------

/** Distinctive stored values: none of them, nor an encoding, may appear in any reply. */
const CANARIES = {
  sandbox: { CANARY_A: 'hush-canary-sandbox-Q7x9Kp2mW4vT', CANARY_C: 'p@ss/wörd+Canary=9&x "q" Zr8T' },
  org: { CANARY_B: 'hush-canary-org-Zr8Tn3Lv6YbN' },
} as const;
const CANARY_VALUES = [...Object.values(CANARIES.sandbox), ...Object.values(CANARIES.org)];
const DEVICE = '0123456789abcdef01234567';
const ORG = 'fuzzorg';

/** The value and the ways a leak would usually be encoded (base64 at any byte alignment). */
function leakForms(v: string): string[] {
  const bytes = Buffer.from(v, 'utf8');
  const forms = new Set<string>([v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1), bytes.toString('hex')]);
  for (const pad of [0, 1, 2]) {
    for (const enc of ['base64', 'base64url'] as const) {
      const b = Buffer.concat([Buffer.alloc(pad, 0x41), bytes]).toString(enc);
      // Drop the first group (mixes in the padding bytes) and the last (depends on what follows).
      forms.add(b.slice(pad === 0 ? 0 : 4, -4));
    }
  }
  return [...forms];
}
const LEAK_FORMS = CANARY_VALUES.flatMap((v) => leakForms(v).map((form) => ({ v, form })));

const LOGIC_CODES = [
  `export default function main({ secrets }) { console.log('a', secrets.CANARY_A, secrets.CANARY_B); }`,
  `export default function main({ secrets }) { console.log(JSON.stringify(secrets)); console.warn({ nested: secrets }); }`,
  `export default function main({ secrets }) { throw new Error('boom ' + (secrets.CANARY_A ?? secrets.CANARY_B)); }`,
  `import { base64Encode, stringToBytes } from 'particle:encoding';
export default function main({ secrets }) { console.info(base64Encode(stringToBytes(secrets.CANARY_C ?? secrets.CANARY_B))); console.error(encodeURIComponent(secrets.CANARY_C ?? secrets.CANARY_B)); }`,
  `export default async function main({ event }) { return event.eventData; }`,
  `export default function main() { while (true) {} }`,
  `export default function (`,
];

// ---------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------

const QUERY_KEYS = ['access_token', 'limit', 'before', 'today_stats', 'name', 'org', 'id', '__proto__', 'constructor'];
/** Field names the routes read (a union over all routes: each route's own names are in it). */
const FIELD_NAMES = [
  'name', 'value', 'secret', 'username', 'email', 'password', 'role', 'grant_type', 'client_id', 'client_secret', 'expires_in', 'expires_at',
  'data', 'ttl', 'private', 'public', 'as_device_id', 'slug', 'description', 'platform_id', 'id', 'ids', 'import_method', 'template', 'values',
  'device_id', 'event', 'eventName', 'url', 'requestType', 'query', 'headers', 'json', 'form', 'body', 'auth', 'secrets', 'responseTopic',
  'responseTemplate', 'noDefaults', 'rejectUnauthorized', 'integration_type', 'deviceID', 'parameters', 'disabled', 'logic_function', 'source',
  'code', 'type', 'logic_triggers', 'enabled', 'event_name', 'product_id', 'cron', 'start_at', 'end_at', 'api_username', 'use_env',
  'event_data', 'access_token', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
];
const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\uFEFF', '\u202Edlrow', 'null', 'undefined', 'NaN', 'true', '0', '-1', '1e309', '1.5', '0x10',
  '__proto__', 'CANARY_A', 'CANARY_B', 'FUZZ_A', '{{{CANARY_A}}}', '{{{CANARY_B}}}', '{{#open}}', '{{', '{{> partial}}', '%ZZ', '%00', '../../etc/passwd',
  "'; DROP TABLE secrets; --", '" OR 1=1 --', '<script>alert(1)</script>', 'http://127.0.0.1:1/x', 'ftp://x', 'javascript:alert(1)', 'file:///etc/passwd',
  '2147483647', '2147483648', '-2147483649', '9007199254740993', '99999999999999999999', '-0', '1e3', '* * * * *', '* * * * * *', 'every minute', '2001-01-01T00:00:00Z', '2999-01-01T00:00:00Z', 'not a date', 'administrator', 'view-only', 'owner',
  'password', 'particle', 'Bearer x', 'Event', 'Scheduled', 'LedgerChange', 'Webhook', 'GET', 'BREW', DEVICE, 'x@example.com',
];

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 });
const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.constantFrom(300, 5_000, 70_000, 600_000).map((n) => 'A'.repeat(n)) },
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)) },
  // Numbers just past the databases' integer columns, and beyond exact doubles.
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), nastyString, { maxKeys: 4 }) },
);
const fieldName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const junkObject = fc.dictionary(fieldName, nastyValue, { maxKeys: 6 });

/** A JSON text nested `depth` levels deep, placed under a real field name. */
const deepJson = fc
  .tuple(fc.constantFrom(...FIELD_NAMES), fc.constantFrom(50, 1_000, 20_000), fc.boolean())
  .map(([field, depth, arrays]) => (arrays ? `{"${field}":${'['.repeat(depth)}${']'.repeat(depth)}}` : `{"${field}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`));

type Body = { readonly kind: string; readonly contentType?: string; readonly payload?: string | Buffer; readonly fields?: Record<string, unknown> };

const CONTENT_TYPES_WRONG = [
  'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1',
  'application/x-www-form-urlencoded; charset=utf-16', 'application/jsonx', 'json', 'garbage/', ';;;', 'application/json, text/plain', 'image/png',
];
const MALFORMED_JSON = ['{', '{"a":', '[1,2', 'nul', '"', '{"a":1}}', '\u0000', '\uFEFF{}', '{name: A}', "{'a': 1}", '{"a":1,}', '{"a" 1}', '01', '-', '1e', '{"\\u12"}', '[', ']'];

function formText(fields: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    try {
      p.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    } catch {
      // a lone surrogate cannot be form-encoded: leave the field out
    }
  }
  return p.toString();
}

const safeJson = (v: unknown): string => JSON.stringify(v) ?? 'null';

/** Bodies of every kind; `near` (a valid body with one thing wrong) reaches deep validation. */
function bodyArb(near: fc.Arbitrary<Record<string, unknown>> | null): fc.Arbitrary<Body> {
  const objects = near ? fc.oneof({ weight: 3, arbitrary: near }, { weight: 2, arbitrary: junkObject }) : junkObject;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Body>({ kind: 'none' }) },
    { weight: 6, arbitrary: objects.map((o): Body => ({ kind: 'json', contentType: 'application/json', payload: safeJson(o), fields: o })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v): Body => ({ kind: 'json-any', contentType: 'application/json', payload: safeJson(v) })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.constantFrom(...MALFORMED_JSON), fc.string({ maxLength: 40 }), objects.chain((o) => fc.nat({ max: Math.max(0, safeJson(o).length - 1) }).map((n) => safeJson(o).slice(0, n))))
        .map((payload): Body => ({ kind: 'malformed-json', contentType: 'application/json', payload })),
    },
    {
      weight: 3,
      arbitrary: fc.oneof(objects.map((o) => ({ text: formText(o), fields: o as Record<string, unknown> | undefined })), fc.constantFrom('a=%ZZ', '&&&', '=', '=x&y', 'a&a=1&a=2', '%', 'value', 'x'.repeat(3000)).map((text) => ({ text, fields: undefined })))
        .map(({ text, fields }): Body => ({ kind: 'form', contentType: 'application/x-www-form-urlencoded', payload: text, fields })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...CONTENT_TYPES_WRONG), fc.oneof(objects.map(safeJson), fc.string({ maxLength: 40 })))
        .map(([contentType, payload]): Body => ({ kind: 'wrong-content-type', contentType, payload })),
    },
    { weight: 1, arbitrary: deepJson.map((payload): Body => ({ kind: 'deep-json', contentType: 'application/json', payload })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(
        { kind: 'bad-utf8', contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]) },
        { kind: 'proto-json', contentType: 'application/json', payload: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}' },
        { kind: 'duplicate-keys', contentType: 'application/json', payload: '{"name":"A","name":"B","value":"x","value":{"a":1}}' },
        { kind: 'charset-json', contentType: 'application/json; charset=utf-8', payload: '{"name":"A"}' },
        { kind: 'upper-json', contentType: 'APPLICATION/JSON', payload: '{}' },
        { kind: 'too-large', contentType: 'application/json', payload: `{"value":"${'x'.repeat(1024 * 1024 + 8)}"}` },
        { kind: 'empty-json', contentType: 'application/json', payload: '' },
        { kind: 'empty-form', contentType: 'application/x-www-form-urlencoded', payload: '' },
      ),
    },
  );
}

/** Marks a path parameter sent exactly as generated (already encoded, or deliberately not). */
const RAW = '\u0001raw:';

/** Junk path segments: encodings, unicode, ids that do not exist, lengths around the limit. */
const junkSegment: fc.Arbitrary<string> = fc.oneof(
  // (Not the fixtures' secret names: a valid PUT or DELETE would legitimately change them.)
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS.filter((x) => x.length > 0 && x.length < 100 && !/^(CANARY|FUZZ)_/.test(x))).map(encodeURIComponent) },
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.constantFrom('%2F', 'a%2Fb', '..', '%2e%2e', '%00', '%ZZ', '%', '%E2%82', '%C0%AF', '%ED%A0%80', '%F0%9F%98%80', '%20', '+', ';', ':x', '*', '~', "'", '"') },
  { weight: 1, arbitrary: fc.constantFrom(499, 500, 501, 4_000).map((n) => 'A'.repeat(n)) },
  { weight: 1, arbitrary: fc.oneof(fc.integer().map(String), fc.stringMatching(/^[0-9a-f]{24}$/), fc.stringMatching(/^[0-9a-f]{32}$/)) },
  { weight: 1, arbitrary: fc.constantFrom('0', '2147483647', '2147483648', '4294967296', '9007199254740993', '99999999999999999999', '1e3', '-0', '0x1F') },
);
const segmentArb = junkSegment.map((segment) => `${RAW}${segment}`);
/** The rest of the path under a `*` route. */
const wildcardArb = fc.array(fc.oneof(junkSegment, fc.constantFrom('a', 'x', 'secrets', 'index.html')), { maxLength: 4 }).map((parts) => `${RAW}${parts.join('/')}`);

const queryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), fc.oneof(nastyString.filter((x) => x.length < 2000), fc.constantFrom('true', '1', '1000', '1001', 'abc', ''))), { maxLength: 4 })
      .map((pairs) => {
        try {
          return new URLSearchParams(pairs).toString();
        } catch {
          return 'x=1';
        }
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom('a=%ZZ', '&&&', '=', 'limit=1&limit=2', 'before[]=x', '__proto__=1', 'constructor[prototype][x]=1', 'limit=1e3', 'limit=%00', 'today_stats=true', 'access_token=', 'access_token=zz&access_token=yy') },
);

type AuthMode = 'none' | 'owner' | 'outsider' | 'viewer' | 'bad-bearer' | 'empty-bearer' | 'basic' | 'query' | 'body' | 'cookie' | 'cookie-csrf';
const authArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant<AuthMode>('owner') },
  { weight: 8, arbitrary: fc.constantFrom<AuthMode>('none', 'outsider', 'viewer', 'bad-bearer', 'empty-bearer', 'basic', 'query', 'body', 'cookie', 'cookie-csrf') },
);
/** Odd request headers (content-type and credentials are generated separately). */
const extraHeadersArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('accept', 'accept-encoding', 'content-encoding', 'origin', 'referer', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-csrf-token', 'x-request-id', 'user-agent', 'if-none-match', 'range', 'expect-ct'),
  fc.oneof(fc.constantFrom('gzip', 'br, deflate', 'identity', '*/*', 'text/event-stream', 'text/html', 'application/json', 'null', 'https://evil.example', '127.0.0.1, ::1', 'bytes=0-1', 'bytes=9-1', '', 'x'.repeat(4000)), fc.string({ maxLength: 30 }).map((v) => v.replace(/[^\x20-\x7e]/g, '?'))),
  { maxKeys: 3 },
);
const badTokenArb = fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/), fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x21-\x7e]/g, 'x')), fc.constant('x'.repeat(300)));

// ---------------------------------------------------------------------------------------
// A raw HTTP client: any method with any body, exact paths, never waits on a stream
// ---------------------------------------------------------------------------------------

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly stream: boolean;
}

const REQUEST_TIMEOUT_MS = 15_000;

function send(base: string, agent: http.Agent, method: string, path: string, headers: Record<string, string>, payload?: string | Buffer): Promise<Reply> {
  const u = new URL(base);
  // Node sends a GET/DELETE body without framing unless told its length.
  if (payload !== undefined) headers = { ...headers, 'content-length': String(Buffer.byteLength(payload)) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      const stream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), stream });
      // An open event stream never ends: its first frame (or, for HEAD, its headers) shows
      // it opened; the socket is then closed so the server ends the subscription.
      const finishStream = () => {
        done();
        req.destroy();
      };
      if (stream && method === 'HEAD') return finishStream();
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (stream) finishStream();
      });
      res.on('end', done);
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer to ${method} ${path.slice(0, 200)} within ${REQUEST_TIMEOUT_MS} ms (a hang)`)));
    req.on('error', (e) => reject(e));
    req.end(payload);
  });
}

const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_token', 'invalid_grant', 'invalid_client', 'unsupported_grant_type']);

/** The assertions every reply must pass. */
function checkReply(what: string, method: string, r: Reply): void {
  if (r.status >= 500) throw new Error(`${what} → ${r.status} ${r.text.slice(0, 500)}`);
  const everything = `${JSON.stringify(r.headers)}\n${r.text}`;
  for (const { v, form } of LEAK_FORMS) {
    if (everything.includes(form)) throw new Error(`${what} → ${r.status}: the reply contains the secret value ${JSON.stringify(v)} (as ${JSON.stringify(form)}): ${r.text.slice(0, 500)}`);
  }
  if (r.status >= 400 && method !== 'HEAD') {
    let body: unknown;
    try {
      body = JSON.parse(r.text);
    } catch {
      throw new Error(`${what} → ${r.status} with a non-JSON body: ${r.text.slice(0, 300)}`);
    }
    const b = body as { ok?: unknown; error?: unknown; error_description?: unknown };
    if (b === null || typeof b !== 'object' || b.ok !== false || typeof b.error !== 'string' || b.error.trim() === '') {
      throw new Error(`${what} → ${r.status} without the Particle error body {ok:false, error}: ${r.text.slice(0, 300)}`);
    }
    if (OAUTH_ERRORS.has(b.error) && (typeof b.error_description !== 'string' || b.error_description.trim() === '')) {
      throw new Error(`${what} → ${r.status}: OAuth-style error '${b.error}' without an error_description: ${r.text.slice(0, 300)}`);
    }
  }
  if (r.status >= 200 && r.status < 300 && method !== 'HEAD' && !r.stream && r.status !== 204 && r.headers['content-type']?.startsWith('application/json')) {
    JSON.parse(r.text); // a 2xx JSON reply must be valid JSON (the SDK parses every one)
  }
}

const RUN_SCALE = Number(process.env.HUSH_FUZZ_RUNS ?? '1') || 1;
const SEED = Number(process.env.HUSH_FUZZ_SEED) || Math.floor(Math.random() * 2 ** 31);
/** One seed per route (derived from the run's seed), so routes do not all draw the same inputs. */
const seedFor = (key: string) => [...key].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, SEED);
const runsFor = (r: Route) => Math.max(1, Math.round((mayStream(r) ? 6 : isApi(r.url) ? 25 : 8) * RUN_SCALE));

// ---------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------

type User = Awaited<ReturnType<TestServer['user']>>;

/**
 * What one run breaks; everything else is sent valid (real targets, the owner's token, a
 * valid body), so that each kind of bad input reaches the code behind the checks before it.
 */
type Focus = 'baseline' | 'auth' | 'params' | 'query' | 'headers' | 'body' | 'everything';

/** Routes whose valid baseline request is, by design, not a 2xx. */
const BASELINE_NOT_2XX: Readonly<Record<string, number>> = {
  'GET /v1/events': 400,
  // A replay takes a dead letter once: the fuzz asks for one that does not exist (404) every run.
  ...Object.fromEntries(
    ['/v1', '/v1/orgs/:org', '/v1/products/:product'].flatMap((p) => ['integrations', 'webhooks'].map((k) => [`POST ${p}/${k}/:id/deliveries/:deliveryId/replay`, 404])),
  ),
  // Resuming a host that is not paused (none is, in the fuzz): 404 every run.
  ...Object.fromEntries(['/v1', '/v1/orgs/:org', '/v1/products/:product'].flatMap((p) => ['integrations', 'webhooks'].map((k) => [`POST ${p}/${k}/hosts/:hostId/resume`, 404]))),
};

describe.each(testDialects())('route fuzz: bad input never breaks the server (%s)', (dialect) => {
  let s: TestServer;
  let sink: HttpSink;
  let agent: http.Agent;
  let alice: User; // owns the sandbox fixtures, administrator of the org
  let bob: User; // another tenant
  let carol: User; // view-only member of the org
  let dave: User; // acts on token-revoking routes (they may revoke all his tokens)
  let erin: User; // re-added to the org before each member removal
  let aliceCookie = '';
  /** `§` in a body becomes a fresh number per request, so creates do not collide. */
  let seq = 0;
  /** Replies by status, printed at the end: shows how far past the first checks the inputs got. */
  const tally = new Map<number, number>();
  const fx = {
    product: { slug: '', id: 0 },
    orgProduct: { slug: '', id: 0 },
    hook: '', orgHook: '', productHook: '', fn: '', orgFn: '', productFn: '', run: '', orgRun: '', productRun: '',
    decoyHook: '', decoyOrgHook: '', decoyProductHook: '', decoyFn: '', decoyOrgFn: '', decoyProductFn: '',
    orgId: '',
  };
  const call = (method: string, path: string, opts: Parameters<typeof api>[3] = {}) => api(s.url, method, path, { token: alice.token, ...opts });
  const ok = async (p: Promise<{ status: number; text: string; body: any }>) => {
    const r = await p;
    if (r.status < 200 || r.status > 299) throw new Error(`fixture setup failed: ${r.status} ${r.text}`);
    return r.body;
  };

  const webhook = (secrets: Record<string, string>, event = 'fuzz-hook') => {
    const names = Object.keys(secrets);
    return {
      integration_type: 'Webhook', event, url: `${sink.url}/hook`, requestType: 'POST',
      headers: { Authorization: `Bearer {{{${names[0]}}}}` }, json: { k: `{{{${names[names.length - 1]}}}}`, v: '{{{PARTICLE_EVENT_VALUE}}}' },
      query: { q: `{{{${names[0]}}}}` }, secrets: names,
    };
  };
  const logicFunction = (secrets: Record<string, string>, code: string, event = 'fuzz-logic', name = `fuzz fn ${++seq}`) => ({
    logic_function: { name, description: 'fuzz', enabled: true, source: { type: 'JavaScript', code }, secrets: Object.keys(secrets), logic_triggers: [{ type: 'Event', event_name: event, product_id: 0 }] },
  });
  const firstRun = async (fnPath: string): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const id = (await call('GET', `${fnPath}/runs`)).body?.logic_runs?.[0]?.id;
      if (id) return id;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`fixture setup failed: ${fnPath} did not run`);
  };

  beforeAll(async () => {
    console.info(`[route-fuzz] seed ${SEED} (HUSH_FUZZ_SEED=${SEED} replays the inputs; HUSH_FUZZ_RUNS=<n> scales the run counts)`);
    s = await startTestServer({ dialect, node: { logicTimeoutMs: 1_000, retryDelaysMs: [100], webhookTimeoutMs: 2_000, schedulerIntervalMs: 3_600_000 } });
    agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    // Echoes every webhook request back: a test delivery's reply would carry the secret unless masked.
    sink = await startHttpSink({
      handler: (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ headers: req.headers, url: req.url, body: req.body }));
      },
    });
    [alice, bob, carol, dave, erin] = [await s.user(), await s.user(), await s.user(), await s.user(), await s.user()];
    aliceCookie = (await s.services.auth.issueToken(alice.id, 'hush-console')).accessToken;
    await s.services.orgs.create(ORG, 'Fuzz org', alice.email);
    await s.services.orgs.setMember(await s.services.orgs.operatorScope(ORG), carol.email, 'view-only');

    for (const [name, value] of Object.entries(CANARIES.sandbox)) await ok(call('PUT', `/v1/secrets/${name}`, { json: { value } }));
    for (const [name, value] of Object.entries(CANARIES.org)) await ok(call('PUT', `/v1/orgs/${ORG}/secrets/${name}`, { json: { value } }));
    for (const prefix of ['/v1', `/v1/orgs/${ORG}`]) {
      for (const v of ['fuzz-target-one', 'fuzz-target-two']) await ok(call('PUT', `${prefix}/secrets/FUZZ_A`, { json: { value: v } }));
    }
    fx.product = (await ok(call('POST', '/v1/user/products', { json: { name: 'Fuzz product', slug: 'fuzz-product' } }))).product;
    fx.orgProduct = (await ok(call('POST', `/v1/orgs/${ORG}/products`, { json: { name: 'Fuzz org product', slug: 'fuzz-org-product' } }))).product;
    await ok(call('POST', `/v1/products/${fx.product.slug}/devices`, { json: { id: DEVICE } }));

    const P = `/v1/products/${fx.product.slug}`;
    const O = `/v1/orgs/${ORG}`;
    fx.orgId = (await ok(call('GET', O))).organization.id;
    // Ledgers (issue #14): one to read and write (with kept versions 1 and 2), one whose instance DELETE runs remove.
    for (const [prefix, ownerId] of [['/v1', alice.id], [O, fx.orgId]] as const) {
      for (const name of ['fuzz-ledger', 'fuzz-del-ledger']) await ok(call('POST', `${prefix}/ledgers`, { json: { ledger: { name, scope: 'Owner', direction: 'Downstream' } } }));
      for (let i = 0; i < 3; i++) await ok(call('PUT', `${prefix}/ledgers/fuzz-ledger/instances/${ownerId}`, { json: { instance: { data: { i } } } }));
    }
    fx.hook = (await ok(call('POST', '/v1/integrations', { json: webhook(CANARIES.sandbox) }))).id;
    fx.orgHook = (await ok(call('POST', `${O}/integrations`, { json: webhook(CANARIES.org) }))).id;
    fx.productHook = (await ok(call('POST', `${P}/integrations`, { json: webhook(CANARIES.sandbox) }))).id;
    fx.fn = (await ok(call('POST', '/v1/logic/functions', { json: logicFunction(CANARIES.sandbox, LOGIC_CODES[0]) }))).logic_function.id;
    fx.orgFn = (await ok(call('POST', `${O}/logic/functions`, { json: logicFunction(CANARIES.org, LOGIC_CODES[1]) }))).logic_function.id;
    // Decoys: the targets of PUT (the fixtures above must survive the run; DELETE gets fresh ones).
    fx.decoyHook = (await ok(call('POST', '/v1/integrations', { json: webhook(CANARIES.sandbox, 'fuzz-decoy') }))).id;
    fx.decoyOrgHook = (await ok(call('POST', `${O}/integrations`, { json: webhook(CANARIES.org, 'fuzz-decoy') }))).id;
    fx.decoyProductHook = (await ok(call('POST', `${P}/integrations`, { json: webhook(CANARIES.sandbox, 'fuzz-decoy') }))).id;
    fx.decoyFn = (await ok(call('POST', '/v1/logic/functions', { json: logicFunction(CANARIES.sandbox, LOGIC_CODES[2], 'fuzz-decoy') }))).logic_function.id;
    fx.decoyOrgFn = (await ok(call('POST', `${O}/logic/functions`, { json: logicFunction(CANARIES.org, LOGIC_CODES[2], 'fuzz-decoy') }))).logic_function.id;
    fx.productFn = (await ok(call('POST', `${P}/logic/functions`, { json: logicFunction(CANARIES.sandbox, LOGIC_CODES[0]) }))).logic_function.id;
    fx.decoyProductFn = (await ok(call('POST', `${P}/logic/functions`, { json: logicFunction(CANARIES.sandbox, LOGIC_CODES[2], 'fuzz-decoy') }))).logic_function.id;
    // One run each, so /runs/:run routes have real targets (their logs print the secrets, masked).
    await ok(call('POST', '/v1/devices/events', { json: { name: 'fuzz-logic', data: 'x' } }));
    await ok(call('POST', `${O}/events`, { json: { name: 'fuzz-logic', data: 'x' } }));
    await ok(call('POST', `${P}/events`, { json: { name: 'fuzz-logic', data: 'x' } }));
    fx.run = await firstRun(`/v1/logic/functions/${fx.fn}`);
    fx.orgRun = await firstRun(`${O}/logic/functions/${fx.orgFn}`);
    fx.productRun = await firstRun(`${P}/logic/functions/${fx.productFn}`);
  });

  afterAll(async () => {
    const total = [...tally.values()].reduce((a, b) => a + b, 0);
    const byStatus = [...tally.entries()].sort(([a], [b]) => a - b).map(([k, n]) => `${k}×${n}`).join(' ');
    console.info(`[route-fuzz] ${dialect}: ${total} requests over ${FUZZED.length} routes (${STATIC_FILES.length} static-file routes skipped); statuses ${byStatus}`);
    agent?.destroy();
    await s?.stop();
    await sink?.close();
  });

  it('sees the routes Fastify reported, and fuzzes all but static files', () => {
    expect(parseRouteTree(s.app.printRoutes())).toEqual(ALL_ROUTES);
    expect(FUZZED.length).toBeGreaterThan(100);
    for (const anchor of ['PUT /v1/secrets/:name', 'POST /v1/orgs/:org/members', 'GET /v1/orgs/:org/logic/functions/:id/runs/:run/logs', 'POST /oauth/token', 'GET /orgs/*']) {
      expect(FUZZED.map((r) => `${r.method} ${r.url}`)).toContain(anchor);
    }
    // Every HEAD route is the twin of a GET route (and is sent as a variant of it).
    for (const r of ALL_ROUTES.filter((x) => x.method === 'HEAD')) expect(ALL_ROUTES).toContainEqual({ method: 'GET', url: r.url });
    expect(STATIC_FILES.every((r) => r.method === 'GET' || r.method === 'HEAD')).toBe(true);
    for (const key of Object.keys(BASELINE_NOT_2XX)) expect(FUZZED.map((r) => `${r.method} ${r.url}`)).toContain(key);
  });

  const scopeOf = (url: string) => (url.startsWith('/v1/orgs/:org') ? 'org' : url.startsWith('/v1/products/:product') ? 'product' : 'sandbox');

  /** A valid body for a route (null: the route takes none). `§` makes created names unique. */
  function validBody(route: Route): Record<string, unknown> | null {
    const secrets = scopeOf(route.url) === 'org' ? CANARIES.org : CANARIES.sandbox;
    const { method, url } = route;
    if (method === 'POST' && url === '/oauth/token') return { grant_type: 'password', username: dave.email, password: dave.password, client_id: 'particle', client_secret: 'particle', expires_in: 600 };
    if (method === 'POST' && url === '/v1/console/session') return { email: dave.email, password: dave.password };
    if (method === 'POST' && url.endsWith('/members')) return { username: carol.email, role: 'view-only' };
    if (method === 'PUT' && url.endsWith('/members/:member')) return { role: 'view-only' };
    if (method === 'POST' && url.endsWith('/ledgers')) return { ledger: { name: 'fuzz-new-§', description: 'd', scope: 'Owner', direction: 'Downstream' } };
    if (method === 'PUT' && url.endsWith('/ledgers/:name')) return { ledger: { description: 'fuzz description' } };
    if (method === 'PUT' && url.endsWith('/instances/:value')) return { instance: { data: { fuzz: 1, nested: { a: [1] } } } };
    // Environment variables (issue #15): every scope's routes end in `/env…`.
    if (method === 'PATCH' && /\/env(\/:target)?$/.test(url)) return { ops: [{ op: 'Set', key: 'FUZZ_ENV', value: 'fuzz-env' }, { op: 'Unset', key: 'FUZZ_GONE' }] };
    if (method === 'PUT' && /\/env(\/:target)?\/:(key|target)$/.test(url)) return { value: 'fuzz-env-value' };
    if (method === 'POST' && /\/env(\/:target)?\/rollout$/.test(url)) return { when: 'Connect' };
    if (method === 'POST' && url.endsWith('/secrets')) return { name: 'FUZZ_NEW_§', value: 'fuzz-new-value' };
    if (method === 'PUT' && url.endsWith('/secrets/:name')) return { value: 'fuzz-put-value' };
    if (method === 'POST' && url.endsWith('/events')) return { name: 'fuzz-event', data: 'x', ttl: 60, private: true, ...(url.includes(':product') ? { as_device_id: DEVICE } : {}) };
    if (method === 'POST' && url.endsWith('/products')) return { name: 'Fuzz product §', slug: 'fuzz-product-§', description: 'd', platform_id: 12 };
    if (method === 'POST' && url === '/v1/devices') return { id: 'abcdefabcdefabcdefabcdef' };
    if (method === 'POST' && url.endsWith('/devices')) return { id: DEVICE, ids: [DEVICE], import_method: 'many' };
    if ((method === 'POST' && /\/(integrations|webhooks)$/.test(url)) || (method === 'PUT' && /\/(integrations|webhooks)\/:id$/.test(url))) return webhook(secrets, 'fuzz-new-hook');
    if (method === 'POST' && url.endsWith('/from_template')) return { template: 'http-bearer', values: { event: 'fuzz-template', url: `${sink.url}/t`, method: 'POST', secret: Object.keys(secrets)[0] } };
    if (method === 'POST' && url.endsWith('/:id/test')) return { data: 'fuzz', device_id: DEVICE };
    if (method === 'POST' && url.endsWith('/:id/deliveries/replay')) return { since: '2026-01-01T00:00:00.000Z' };
    if ((method === 'POST' && url.endsWith('/logic/functions')) || (method === 'PUT' && url.endsWith('/logic/functions/:id'))) return logicFunction(secrets, LOGIC_CODES[0], 'fuzz-new-fn', 'fuzz fn §');
    if (method === 'POST' && url.endsWith('/logic/execute')) return { event: { event_name: 'fuzz', event_data: 'x', device_id: DEVICE, product_id: null }, source: { type: 'JavaScript', code: LOGIC_CODES[0] }, secrets: Object.keys(secrets) };
    return null;
  }

  /** A valid body with one field changed (to anything), dropped or added; or other Logic code. */
  function nearValid(route: Route, b: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
    const paths = leafPaths(b);
    const isLogic = route.url.endsWith('/logic/execute') || route.url.includes('/logic/functions');
    const code = fc.constantFrom(...LOGIC_CODES).map((c) => setAt(b, route.url.endsWith('/execute') ? ['source', 'code'] : ['logic_function', 'source', 'code'], c));
    return fc.oneof(
      { weight: isLogic ? 2 : 0, arbitrary: code },
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...paths), nastyValue).map(([p, v]) => setAt(b, p, v)) },
      { weight: 1, arbitrary: fc.constantFrom(...paths).map((p) => setAt(b, p, undefined)) },
      { weight: 1, arbitrary: fc.tuple(fieldName, nastyValue).map(([k, v]) => ({ ...b, [k]: v })) },
    );
  }

  /** Real values for a path parameter: fixtures for reads, decoys for writes, `<fresh-…>` for deletes. */
  function realParams(route: Route, param: string): string[] {
    const read = route.method === 'GET' || route.url.endsWith('/test');
    const scope = scopeOf(route.url);
    const logic = route.url.includes('/logic/');
    const ledger = route.url.includes('/ledgers/');
    const ledgerOwner = scope === 'org' ? fx.orgId : alice.id;
    switch (param) {
      case 'org': return [ORG];
      case 'name':
        if (!ledger) break;
        if (route.url.endsWith('/instances/:value') && route.method === 'DELETE') return ['fuzz-del-ledger'];
        return route.method === 'DELETE' && route.url.endsWith('/ledgers/:name') ? ['<fresh-ledger>'] : ['fuzz-ledger'];
      case 'value': return route.method === 'DELETE' ? ['<fresh-ledger-instance>'] : [ledgerOwner];
    }
    switch (param) {
      case 'name': if (route.url.includes('/pending')) return ['<fresh-pending>'];
        return read ? (scope === 'org' ? ['CANARY_B', 'FUZZ_A'] : ['CANARY_A', 'CANARY_C', 'FUZZ_A']) : route.method === 'DELETE' ? ['<fresh-secret>'] : ['FUZZ_A'];
      case 'version': return ['1', '2'];
      case 'id':
        if (route.method === 'DELETE') return ['<fresh-id>'];
        if (logic) return [scope === 'org' ? (read ? fx.orgFn : fx.decoyOrgFn) : scope === 'product' ? (read ? fx.productFn : fx.decoyProductFn) : read ? fx.fn : fx.decoyFn];
        return [scope === 'org' ? (read ? fx.orgHook : fx.decoyOrgHook) : scope === 'product' ? (read ? fx.productHook : fx.decoyProductHook) : read ? fx.hook : fx.decoyHook];
      case 'run': return [scope === 'org' ? fx.orgRun : scope === 'product' ? fx.productRun : fx.run];
      case 'product': return scope === 'org' ? [fx.orgProduct.slug, String(fx.orgProduct.id)] : [fx.product.slug, String(fx.product.id)];
      case 'device': return [DEVICE];
      case 'deliveryId': return ['0000000000000fuzz'];
      case 'hostId': return ['0000000000000000000000000000fuzz'];
      case 'key': return route.method === 'DELETE' ? ['<fresh-env-key>'] : ['FUZZ_ENV'];
      // `/v1/env/:target`: the sandbox's key on PUT and DELETE, a device everywhere else.
      case 'target':
        if (route.url !== '/v1/env/:target' || route.method === 'GET' || route.method === 'PATCH') return [DEVICE];
        return route.method === 'DELETE' ? ['<fresh-env-key>'] : ['FUZZ_ENV'];
      case 'prefix': return ['fuzz', 'fuzz/sub'];
      case 'member': return route.method === 'DELETE' ? ['<fresh-member>'] : [carol.email];
      case 'token': return ['<fresh-token>'];
      default: return [];
    }
  }

  /** Deletes what runs created when an owner nears its limit (20 Logic functions, 500 integrations). */
  async function prune(prefix: string, kind: 'logic' | 'integrations'): Promise<void> {
    const keep = new Set(Object.values(fx).filter((v): v is string => typeof v === 'string'));
    const path = kind === 'logic' ? `${prefix}/logic/functions` : `${prefix}/integrations`;
    const body = await ok(call('GET', path));
    const list = (kind === 'logic' ? body.logic_functions : body) as Array<{ id: string }>;
    if (list.length < (kind === 'logic' ? 15 : 300)) return;
    for (const x of list) if (!keep.has(x.id)) await ok(call('DELETE', `${path}/${x.id}`));
  }

  /** Creates the target a DELETE run removes (in the real scope), so every run has one. */
  async function resolveParam(route: Route, value: string): Promise<string> {
    const prefix = route.url.slice(0, route.url.search(/\/(secrets|integrations|webhooks|logic|ledgers)\b/)).replace(':org', ORG).replace(':product', fx.product.slug);
    const secrets = scopeOf(route.url) === 'org' ? CANARIES.org : CANARIES.sandbox;
    switch (value) {
      case '<fresh-token>': return (await s.services.auth.issueToken(dave.id, 'particle-api')).accessToken;
      case '<fresh-member>':
        await s.services.orgs.setMember(await s.services.orgs.operatorScope(ORG), erin.email, 'view-only');
        return erin.email;
      case '<fresh-ledger>': {
        const name = `fuzz-del-${++seq}`;
        await ok(call('POST', `${prefix}/ledgers`, { json: { ledger: { name, scope: 'Owner', direction: 'Downstream' } } }));
        return name;
      }
      case '<fresh-ledger-instance>': {
        const ownerId = scopeOf(route.url) === 'org' ? fx.orgId : alice.id;
        await ok(call('PUT', `${prefix}/ledgers/fuzz-del-ledger/instances/${ownerId}`, { json: { instance: { data: { gone: true } } } }));
        return ownerId;
      }
      case '<fresh-env-key>': {
        const key = `FUZZ_DEL_ENV_${++seq}`;
        const base = route.url.replace(/\/:(key|target)$/, '').replace(':org', ORG).replace(':product', fx.product.slug).replace(':target', DEVICE);
        await ok(call('PUT', `${base}/${key}`, { json: { value: 'fuzz-delete-me' } }));
        return key;
      }
      case '<fresh-pending>': {
        // Promote and discard need a pending value: a fresh secret with one per run.
        const name = `FUZZ_PENDING_${++seq}`;
        await ok(call('PUT', `${prefix}/secrets/${name}`, { json: { value: 'fuzz-current-value' } }));
        await ok(call('PUT', `${prefix}/secrets/${name}`, { json: { value: 'fuzz-pending-value', pending: true } }));
        return name;
      }
      case '<fresh-secret>': {
        const name = `FUZZ_DEL_${++seq}`;
        await ok(call('PUT', `${prefix}/secrets/${name}`, { json: { value: 'fuzz-delete-me' } }));
        return name;
      }
      case '<fresh-id>':
        await prune(prefix, route.url.includes('/logic/') ? 'logic' : 'integrations');
        return route.url.includes('/logic/')
          ? (await ok(call('POST', `${prefix}/logic/functions`, { json: logicFunction(secrets, LOGIC_CODES[0], 'fuzz-delete-me') }))).logic_function.id
          : (await ok(call('POST', `${prefix}/integrations`, { json: webhook(secrets, 'fuzz-delete-me') }))).id;
      default: return value;
    }
  }

  /** Credentials for a request; token-revoking routes act as dave, with fresh tokens. */
  async function credentials(route: Route, mode: AuthMode, badToken: string): Promise<{ headers: Record<string, string>; query: string; bodyToken: string | null }> {
    const revokes = route.method === 'DELETE' && (route.url.startsWith('/v1/access_tokens') || route.url === '/v1/console/session');
    const token = revokes ? (await s.services.auth.issueToken(dave.id, 'particle-api')).accessToken : alice.token;
    const cookie = revokes ? (await s.services.auth.issueToken(dave.id, 'hush-console')).accessToken : aliceCookie;
    const none = { headers: {}, query: '', bodyToken: null };
    const bearer = (t: string) => ({ ...none, headers: { authorization: `Bearer ${t}` } });
    switch (mode) {
      case 'none': return none;
      case 'owner': return bearer(token);
      case 'outsider': return bearer(bob.token);
      case 'viewer': return bearer(carol.token);
      case 'bad-bearer': return bearer(badToken);
      case 'empty-bearer': return { ...none, headers: { authorization: 'Bearer ' } };
      case 'basic': return { ...none, headers: { authorization: `Basic ${Buffer.from(`${alice.email}:${alice.password}`).toString('base64')}` } };
      case 'query': return { ...none, query: `access_token=${token}` };
      case 'body': return { ...none, bodyToken: token };
      case 'cookie': return { ...none, headers: { cookie: `hush_session=${cookie}` } };
      case 'cookie-csrf': return { ...none, headers: { cookie: `hush_session=${cookie}`, 'x-csrf-token': csrfTokenFor(cookie) } };
    }
  }

  interface Attempt {
    readonly focus: Focus;
    readonly head: boolean;
    readonly auth: AuthMode;
    readonly badToken: string;
    readonly params: readonly string[];
    readonly query: string;
    readonly headers: Record<string, string>;
    readonly body: Body;
  }

  /** Sends one attempt and checks the reply; returns it for the baseline check. */
  async function attempt(route: Route, paramNames: readonly string[], x: Attempt): Promise<Reply> {
    const method = x.head ? 'HEAD' : route.method;
    const params: Record<string, string> = {};
    for (let i = 0; i < paramNames.length; i++) params[paramNames[i]] = await resolveParam(route, x.params[i]);
    const path = route.url.replace(/:([A-Za-z_]+)|\*/g, (_m, name: string | undefined) => {
      const v = params[name ?? '*'];
      return v.startsWith(RAW) ? v.slice(RAW.length) : encodeURIComponent(v);
    });
    const cred = await credentials(route, x.auth, x.badToken);
    let body = x.body;
    if (cred.bodyToken !== null) {
      // The deprecated body token: only a JSON object or a form body can carry it.
      if (body.kind === 'json' && body.fields) body = { ...body, payload: safeJson({ ...body.fields, access_token: cred.bodyToken }) };
      else if (body.kind === 'form') body = { ...body, payload: `${body.payload ? `${String(body.payload)}&` : ''}access_token=${cred.bodyToken}` };
    }
    const payload = typeof body.payload === 'string' ? body.payload.replaceAll('§', String(++seq)) : body.payload;
    const query = [x.query, cred.query].filter((q) => q !== '').join('&');
    const headers: Record<string, string> = { ...x.headers, ...cred.headers };
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    const url = query ? `${path}?${query}` : path;
    const what = `${method} ${url.slice(0, 300)} [focus ${x.focus}, auth ${x.auth}, body ${body.kind}${payload !== undefined ? ` ${String(payload).slice(0, 200)}` : ''}]`;
    const r = await send(s.url, agent, method, url, headers, method === 'HEAD' ? undefined : payload);
    tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
    checkReply(what, method, r);
    if (r.stream) expect(mayStream(route) && r.status === 200, `${what} opened an event stream`).toBe(true);
    return r;
  }

  for (const route of FUZZED) {
    const runs = runsFor(route);
    it(`${route.method} ${route.url} (${runs} runs)`, async () => {
      const paramNames = [...route.url.matchAll(/:([A-Za-z_]+)|\*/g)].map((m) => m[1] ?? '*');
      const real = paramNames.map((p) => (p === '*' ? [`${RAW}sandbox`, `${RAW}x/y`] : realParams(route, p)));
      const valid = validBody(route);
      const validAsBody: Body = valid ? { kind: 'json', contentType: 'application/json', payload: safeJson(valid), fields: valid } : { kind: 'none' };
      const routeKey = `${route.method} ${route.url}`;

      if (route.url.includes('/logic/')) for (const prefix of ['/v1', `/v1/orgs/${ORG}`]) await prune(prefix, 'logic');
      if (/\/(integrations|webhooks)\b/.test(route.url)) for (const prefix of ['/v1', `/v1/orgs/${ORG}`, `/v1/products/${fx.product.slug}`]) await prune(prefix, 'integrations');
      // The valid request first: it must succeed, or the fuzz below would only ever meet
      // the first check in its way (and a stale fixture or body would go unnoticed).
      const baseline: Attempt = { focus: 'baseline', head: false, auth: 'owner', badToken: '', params: real.map((r) => r[0]), query: '', headers: {}, body: validAsBody };
      const base = await attempt(route, paramNames, baseline);
      const expected = BASELINE_NOT_2XX[routeKey];
      if (expected !== undefined) expect(base.status, routeKey).toBe(expected);
      else expect(base.status, `${routeKey}: the valid request answered ${base.status} ${base.text.slice(0, 300)}`).toBeLessThan(300);
      // And its HEAD twin answers too (an event stream's HEAD once never did).
      if (route.method === 'GET') expect((await attempt(route, paramNames, { ...baseline, head: true })).status).toBe(base.status);

      const hasBody = route.method !== 'GET';
      const focus = fc.oneof(
        { weight: 1, arbitrary: fc.constant<Focus>('baseline') },
        { weight: 2, arbitrary: fc.constant<Focus>('auth') },
        { weight: paramNames.length > 0 ? 3 : 0, arbitrary: fc.constant<Focus>('params') },
        { weight: 1, arbitrary: fc.constant<Focus>('query') },
        { weight: 1, arbitrary: fc.constant<Focus>('headers') },
        { weight: hasBody ? 5 : 1, arbitrary: fc.constant<Focus>('body') },
        { weight: 2, arbitrary: fc.constant<Focus>('everything') },
      );
      const input = fc.record({
        focus,
        head: route.method === 'GET' ? fc.boolean() : fc.constant(false),
        realParams: fc.tuple(...real.map((r) => fc.constantFrom(...r))),
        junkParams: fc.tuple(...paramNames.map((p) => (p === '*' ? wildcardArb : segmentArb))),
        brokenParam: fc.nat({ max: Math.max(0, paramNames.length - 1) }),
        auth: authArb,
        badToken: badTokenArb,
        query: queryArb,
        headers: extraHeadersArb,
        body: hasBody ? bodyArb(valid ? nearValid(route, valid) : null) : fc.oneof({ weight: 4, arbitrary: fc.constant<Body>({ kind: 'none' }) }, { weight: 1, arbitrary: bodyArb(null) }),
      });
      await fc.assert(
        fc.asyncProperty(input, async (x) => {
          const all = x.focus === 'everything';
          const params = x.realParams.map((v, i) => (all || (x.focus === 'params' && i === x.brokenParam) ? x.junkParams[i] : v));
          await attempt(route, paramNames, {
            focus: x.focus,
            head: x.head,
            auth: all || x.focus === 'auth' ? x.auth : 'owner',
            badToken: x.badToken,
            params,
            query: all || x.focus === 'query' ? x.query : '',
            headers: all || x.focus === 'headers' ? x.headers : {},
            body: all || x.focus === 'body' ? x.body : validAsBody,
          });
        }),
        { numRuns: runs, seed: seedFor(routeKey), interruptAfterTimeLimit: 40_000 },
      );
      const health = await send(s.url, agent, 'GET', '/healthz', {});
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toEqual({ ok: true, database: 'up' });
    }, 60_000);
  }

  it('answers an unregistered method on every path with a 4xx Particle body', async () => {
    const paths = [...new Set(FUZZED.map((r) => r.url))];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom('PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'DELETE', 'PUT', 'POST'), fc.boolean(), async (url, method, authed) => {
        if (FUZZED.some((r) => r.url === url && r.method === method)) return;
        const path = url.replace(/:[A-Za-z_]+|\*/g, 'x');
        const r = await send(s.url, agent, method, path, authed ? { authorization: `Bearer ${alice.token}` } : {});
        checkReply(`${method} ${path}`, method, r);
        expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: Math.round(60 * RUN_SCALE), seed: SEED },
    );
  });

  it('a Logic trigger product_id beyond the integer range is refused with 400 (found by this fuzzer)', async () => {
    // A fuzzed PUT/PATCH may have left a short pending value on FUZZ_A, masked like every value
    // (in this very message too): drop it, as an owner would.
    await call('DELETE', '/v1/secrets/FUZZ_A/pending');
    const r = await call('POST', '/v1/logic/functions', {
      json: { logic_function: { name: `too big ${++seq}`, source: { code: 'export default function main() {}' }, logic_triggers: [{ type: 'Event', event_name: 'e', product_id: 3_000_000_000 }] } },
    });
    expect(r.status, r.text).toBe(400);
    expect(r.body.error_description ?? r.body.error).toContain('product_id must be a product id');
  });

  it('lost nothing: fixtures, stored values and credentials survive the fuzzing', async () => {
    expect(await s.services.resolver.values(userOwner(alice.id), Object.keys(CANARIES.sandbox))).toEqual(CANARIES.sandbox);
    const org = (await call('GET', `/v1/orgs/${ORG}`)).body.organization;
    expect(await s.services.resolver.values(orgOwner(org.id), Object.keys(CANARIES.org))).toEqual(CANARIES.org);
    const O = `/v1/orgs/${ORG}`;
    for (const path of [
      `/v1/integrations/${fx.hook}`, `${O}/integrations/${fx.orgHook}`, `/v1/products/${fx.product.slug}/integrations/${fx.productHook}`,
      `/v1/logic/functions/${fx.fn}/runs/${fx.run}`, `${O}/logic/functions/${fx.orgFn}/runs/${fx.orgRun}`, '/v1/user', `${O}/members`,
    ]) {
      const r = await call('GET', path);
      expect(r.status, path).toBe(200);
    }
    expect((await call('GET', `${O}/members`)).body.members).toContainEqual(expect.objectContaining({ username: alice.email, role: 'administrator' }));
  });

  it('logged no server error, only JSON lines, and no stored value', () => {
    const notJson = s.logLines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson.map((l) => l.slice(0, 300))).toEqual([]);
    const errors = s.logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errors.map((l) => l.slice(0, 600))).toEqual([]);
    for (const { v, form } of LEAK_FORMS) {
      const hit = s.logLines.find((l) => l.includes(form));
      expect(hit, `server log contains ${JSON.stringify(v)}`).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------
// Helpers for near-valid bodies
// ---------------------------------------------------------------------------------------

type PathKey = readonly (string | number)[];

function leafPaths(v: unknown, prefix: PathKey = []): PathKey[] {
  if (v === null || typeof v !== 'object') return [prefix];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  const out: PathKey[] = prefix.length > 0 ? [prefix] : [];
  for (const [k, x] of entries) out.push(...leafPaths(x, [...prefix, k]));
  return out;
}

/** A copy of `v` with the value at `path` replaced (`undefined` removes it). */
function setAt(v: Record<string, unknown>, path: PathKey, value: unknown): Record<string, unknown> {
  const copy = structuredClone(v);
  let cur: any = copy;
  for (const k of path.slice(0, -1)) cur = cur[k];
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy;
}
