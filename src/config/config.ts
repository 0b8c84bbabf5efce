import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { NO_AUDIT_STREAM, type AuditStreamConfig } from '../audit/audit-stream-types.ts';
import { PASSWORD_PARAMS } from '../auth/password-fns.ts';

/** Hush's runtime configuration, read once from the environment. */
export interface HushConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `postgres://…` selects PostgreSQL; null means SQLite in `dataDir`. */
  readonly databaseUrl: string | null;
  /** Base64 master keys: first is primary; the rest only unwrap (during rotation). Null: use the key file. */
  readonly masterKeys: readonly Buffer[] | null;
  readonly logLevel: string;
  readonly allowPrivateWebhooks: boolean;
  readonly dbPoolSize: number;
  readonly dbStatementTimeoutMs: number;
  /** The public origin used in links (hookUrl, printed console URL). */
  readonly publicUrl: string | null;
  /** Webhook retry delays (null: Particle's 30 s, 60 s). */
  readonly webhookRetryDelaysMs?: readonly number[] | null;
  /** How long a replaced webhook signing key keeps signing beside the new one (null: 24 h). */
  readonly webhookSigningOverlapMs?: number | null;
  /** Webhook deadline (null: 20 s). */
  readonly webhookTimeoutMs?: number | null;
  /** How long webhook delivery attempts and dead letters are kept, in days (default 7). */
  readonly deadLetterRetentionDays?: number;
  /** Per-host health of webhook targets (HUSH_HOST_HEALTH_*, HUSH_HOST_PROBE_*, HUSH_HOST_PAUSED_MAX_AGE_S). */
  readonly hostHealth?: HostHealthSettings;
  /** How long a claimed delivery stays leased before another node may retry it (null: 60 s). */
  readonly deliveryLeaseMs?: number | null;
  /** How long a claimed Logic run stays leased before another node may retry it (null: 120 s). */
  readonly logicLeaseMs?: number | null;
  /** scrypt N of new password hashes (null: OWASP's minimum, 2^17); lower only for test suites. */
  readonly passwordScryptN?: number | null;
  /** Most sandbox workers one owner's Logic runs may occupy at once (null: workers − 1, at least 1). */
  readonly logicMaxPerOwner?: number | null;
  /** How often each node looks for secret expiry reminders to send (null: 60 s). */
  readonly secretExpirySweepMs?: number | null;
  /** Replaced versions kept per ledger instance (null: 20). */
  readonly ledgerVersionsKept?: number | null;
  /**
   * Proxies whose X-Forwarded-For/-Proto/-Host are believed (Fastify's trustProxy): `true`
   * for any, or a list of addresses and CIDR ranges. False: the socket's peer is the client.
   */
  readonly trustProxy?: boolean | readonly string[];
  /** Most deliveries waiting before publishing answers 429 (null: 100,000). */
  readonly queueMax?: number | null;
  /** Most deliveries (and Logic runs) one owner may have waiting (null: half of queueMax). */
  readonly queueMaxPerOwner?: number | null;
  /** How long sends in flight may finish on SIGTERM (null: 2 s), and the most a stop may take before the process exits anyway (null: 15 s). */
  readonly shutdownGraceMs?: number | null;
  readonly shutdownTimeoutMs?: number | null;
  /** Prometheus metrics (HUSH_METRICS=1): on the API port behind `token`, and/or on a loopback `port`. */
  readonly metrics?: { readonly token: string | null; readonly port: number | null } | null;
  /** Audit sinks besides the database (HUSH_AUDIT_*); none when absent. */
  readonly auditStream?: AuditStreamConfig;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const intIn = (name: string, raw: string | undefined, def: number, min: number, max: number): number => {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return n;
};

const optionalInt = (name: string, raw: string | undefined, min: number, max: number): number | null =>
  raw === undefined || raw.trim() === '' ? null : intIn(name, raw.trim(), 0, min, max);

/** A comma-separated list of delays in ms (`none` for no retries); null when unset. */
const delayList = (name: string, raw: string | undefined): number[] | null => {
  if (raw === undefined || raw.trim() === '') return null;
  if (raw.trim() === 'none') return [];
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > 10) throw new ConfigError(name, `allows at most 10 delays, got ${parts.length}`);
  return parts.map((p) => intIn(name, p, 0, 0, 86_400_000));
};

/** `true`/`1`: trust every proxy; a comma list of IPs or CIDR ranges; unset/`false`/`0`: none. */
const trustList = (name: string, raw: string | undefined): boolean | string[] => {
  const text = raw?.trim() ?? '';
  if (text === '' || text === '0' || text.toLowerCase() === 'false') return false;
  if (text === '1' || text.toLowerCase() === 'true') return true;
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    const [addr, bits, extra] = p.split('/');
    const v = addr === undefined ? 0 : isIP(addr);
    const max = v === 4 ? 32 : 128;
    if (v === 0 || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max))) {
      throw new ConfigError(name, `must be true, false or a comma list of IP addresses or CIDR ranges; '${p}' is neither`);
    }
  }
  return parts;
};

const bool = (name: string, raw: string | undefined): boolean => {
  if (raw === undefined || raw === '' || raw === '0' || raw.toLowerCase() === 'false') return false;
  if (raw === '1' || raw.toLowerCase() === 'true') return true;
  throw new ConfigError(name, `must be 1/true or 0/false, got '${raw}'`);
};

/** Parses one or more comma-separated base64 keys of 32 bytes each. */
export function parseMasterKeys(name: string, raw: string): Buffer[] {
  const parts = raw.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new ConfigError(name, 'is empty');
  return parts.map((p, i) => {
    const ok = z.base64().safeParse(p).success;
    const key = Buffer.from(p, 'base64');
    if (!ok || key.length !== 32) {
      throw new ConfigError(name, `key ${i + 1} must be base64 of exactly 32 bytes (e.g. from \`openssl rand -base64 32\`)`);
    }
    return key;
  });
}

/** HUSH_AUDIT_FILE / HUSH_AUDIT_HTTP_URL and their tunables; HUSH_AUDIT_FAIL_CLOSED needs one of them. */
function auditStreamConfig(env: NodeJS.ProcessEnv): AuditStreamConfig {
  const d = NO_AUDIT_STREAM;
  const file = env.HUSH_AUDIT_FILE?.trim() || null;
  const httpUrl = env.HUSH_AUDIT_HTTP_URL?.trim() || null;
  if (httpUrl !== null && !/^https?:\/\/[^/]+/.test(httpUrl)) throw new ConfigError('HUSH_AUDIT_HTTP_URL', 'must be an http(s) URL');
  const failClosed = bool('HUSH_AUDIT_FAIL_CLOSED', env.HUSH_AUDIT_FAIL_CLOSED);
  if (failClosed && !file && !httpUrl) throw new ConfigError('HUSH_AUDIT_FAIL_CLOSED', 'needs HUSH_AUDIT_FILE or HUSH_AUDIT_HTTP_URL');
  return {
    file: file ? path.resolve(file) : null,
    fileMaxBytes: intIn('HUSH_AUDIT_FILE_MAX_BYTES', env.HUSH_AUDIT_FILE_MAX_BYTES, d.fileMaxBytes, 1024, 2 ** 40),
    fileKeep: intIn('HUSH_AUDIT_FILE_KEEP', env.HUSH_AUDIT_FILE_KEEP, d.fileKeep, 0, 1000),
    httpUrl,
    httpBatch: intIn('HUSH_AUDIT_HTTP_BATCH', env.HUSH_AUDIT_HTTP_BATCH, d.httpBatch, 1, 10_000),
    httpFlushMs: intIn('HUSH_AUDIT_HTTP_FLUSH_MS', env.HUSH_AUDIT_HTTP_FLUSH_MS, d.httpFlushMs, 10, 600_000),
    httpBufferMax: intIn('HUSH_AUDIT_HTTP_BUFFER_MAX', env.HUSH_AUDIT_HTTP_BUFFER_MAX, d.httpBufferMax, 1, 10_000_000),
    failClosed,
  };
}

/**
 * A test suite that signs in hundreds of times lowers the scrypt cost here; below the
 * production minimum it is refused unless NODE_ENV=test, so a server cannot be weakened by accident.
 */
function passwordScryptN(env: NodeJS.ProcessEnv): number | null {
  const name = 'HUSH_PASSWORD_SCRYPT_N';
  const n = optionalInt(name, env[name], 1024, 1 << 20);
  if (n === null) return null;
  if ((n & (n - 1)) !== 0) throw new ConfigError(name, `must be a power of two, got '${env[name]}'`);
  if (n < PASSWORD_PARAMS.N && env.NODE_ENV !== 'test') throw new ConfigError(name, `below ${PASSWORD_PARAMS.N} is allowed only for test suites (NODE_ENV=test)`);
  return n;
}

function metricsConfig(env: NodeJS.ProcessEnv): HushConfig['metrics'] {
  if (!bool('HUSH_METRICS', env.HUSH_METRICS)) return null;
  const token = env.HUSH_METRICS_TOKEN?.trim() || null;
  if (token !== null && token.length < 16) throw new ConfigError('HUSH_METRICS_TOKEN', 'must be at least 16 characters');
  const port = optionalInt('HUSH_METRICS_PORT', env.HUSH_METRICS_PORT, 0, 65535);
  if (token === null && port === null) {
    throw new ConfigError('HUSH_METRICS', 'needs HUSH_METRICS_TOKEN (served at /metrics on the API port) or HUSH_METRICS_PORT (a loopback port of its own)');
  }
  return { token, port };
}

/** Whole seconds (0 to `max`) as ms; null when unset. */
function secondsAsMs(name: string, raw: string | undefined, max: number): number | null {
  const s = optionalInt(name, raw, 0, max);
  return s === null ? null : s * 1000;
}

export interface HostHealthSettings {
  readonly windowMs: number;
  readonly minSamples: number;
  readonly errorPercent: number;
  readonly probeMs: number;
  readonly probeMaxMs: number;
  readonly maxAgeMs: number;
}

/** When a webhook target host is paused, how it is probed, how long its deliveries wait. */
function hostHealthSettings(env: NodeJS.ProcessEnv): HostHealthSettings {
  const probeMs = intIn('HUSH_HOST_PROBE_MS', env.HUSH_HOST_PROBE_MS, 10_000, 100, 3_600_000);
  const probeMaxMs = intIn('HUSH_HOST_PROBE_MAX_MS', env.HUSH_HOST_PROBE_MAX_MS, Math.max(probeMs, 300_000), 100, 86_400_000);
  if (probeMaxMs < probeMs) throw new ConfigError('HUSH_HOST_PROBE_MAX_MS', `must be at least HUSH_HOST_PROBE_MS (${probeMs}), got '${probeMaxMs}'`);
  return {
    windowMs: intIn('HUSH_HOST_HEALTH_WINDOW_S', env.HUSH_HOST_HEALTH_WINDOW_S, 60, 1, 3600) * 1000,
    minSamples: intIn('HUSH_HOST_HEALTH_MIN_SAMPLES', env.HUSH_HOST_HEALTH_MIN_SAMPLES, 10, 0, 1_000_000),
    errorPercent: intIn('HUSH_HOST_HEALTH_ERROR_PERCENT', env.HUSH_HOST_HEALTH_ERROR_PERCENT, 50, 1, 99),
    probeMs,
    probeMaxMs,
    maxAgeMs: intIn('HUSH_HOST_PAUSED_MAX_AGE_S', env.HUSH_HOST_PAUSED_MAX_AGE_S, 86_400, 1, 30 * 86_400) * 1000,
  };
}

/** Reads and validates the configuration; throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HushConfig {
  const host = env.HUSH_HOST?.trim() || '127.0.0.1';
  const port = intIn('HUSH_PORT', env.HUSH_PORT, 8080, 0, 65535);
  const dataDir = path.resolve(env.HUSH_DATA_DIR?.trim() || './data');
  const rawUrl = env.HUSH_DATABASE_URL?.trim() || '';
  let databaseUrl: string | null = null;
  if (rawUrl !== '') {
    if (!/^postgres(ql)?:\/\//.test(rawUrl)) {
      throw new ConfigError('HUSH_DATABASE_URL', 'must be a postgres:// URL (leave it unset for the embedded SQLite store)');
    }
    try {
      new URL(rawUrl);
    } catch {
      throw new ConfigError('HUSH_DATABASE_URL', 'is not a valid URL');
    }
    databaseUrl = rawUrl;
  }
  const rawKey = env.HUSH_MASTER_KEY?.trim();
  const masterKeys = rawKey ? parseMasterKeys('HUSH_MASTER_KEY', rawKey) : null;
  const logLevel = env.HUSH_LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('HUSH_LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent; got '${logLevel}'`);
  }
  const publicUrl = env.HUSH_PUBLIC_URL?.trim() || null;
  if (publicUrl !== null && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new ConfigError('HUSH_PUBLIC_URL', 'must be an http(s) origin such as https://hush.example.com');
  }
  return {
    host,
    port,
    dataDir,
    databaseUrl,
    masterKeys,
    logLevel,
    allowPrivateWebhooks: bool('HUSH_ALLOW_PRIVATE_WEBHOOKS', env.HUSH_ALLOW_PRIVATE_WEBHOOKS),
    dbPoolSize: intIn('HUSH_DB_POOL_SIZE', env.HUSH_DB_POOL_SIZE, 10, 1, 500),
    dbStatementTimeoutMs: intIn('HUSH_DB_STATEMENT_TIMEOUT_MS', env.HUSH_DB_STATEMENT_TIMEOUT_MS, 15_000, 0, 3_600_000),
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    webhookRetryDelaysMs: delayList('HUSH_WEBHOOK_RETRY_DELAYS_MS', env.HUSH_WEBHOOK_RETRY_DELAYS_MS),
    webhookSigningOverlapMs: secondsAsMs('HUSH_WEBHOOK_SIGNING_OVERLAP_S', env.HUSH_WEBHOOK_SIGNING_OVERLAP_S, 30 * 86_400),
    hostHealth: hostHealthSettings(env),
    deadLetterRetentionDays: intIn('HUSH_DEAD_LETTER_RETENTION_DAYS', env.HUSH_DEAD_LETTER_RETENTION_DAYS, 7, 1, 3650),
    webhookTimeoutMs: optionalInt('HUSH_WEBHOOK_TIMEOUT_MS', env.HUSH_WEBHOOK_TIMEOUT_MS, 1, 600_000),
    deliveryLeaseMs: optionalInt('HUSH_DELIVERY_LEASE_MS', env.HUSH_DELIVERY_LEASE_MS, 100, 3_600_000),
    logicLeaseMs: optionalInt('HUSH_LOGIC_LEASE_MS', env.HUSH_LOGIC_LEASE_MS, 100, 3_600_000),
    logicMaxPerOwner: optionalInt('HUSH_LOGIC_MAX_PER_OWNER', env.HUSH_LOGIC_MAX_PER_OWNER, 1, 1000),
    passwordScryptN: passwordScryptN(env),
    secretExpirySweepMs: optionalInt('HUSH_SECRET_EXPIRY_SWEEP_MS', env.HUSH_SECRET_EXPIRY_SWEEP_MS, 100, 86_400_000),
    ledgerVersionsKept: optionalInt('HUSH_LEDGER_VERSIONS', env.HUSH_LEDGER_VERSIONS, 1, 1000),
    trustProxy: trustList('HUSH_TRUST_PROXY', env.HUSH_TRUST_PROXY),
    queueMax: optionalInt('HUSH_QUEUE_MAX', env.HUSH_QUEUE_MAX, 1, 100_000_000),
    queueMaxPerOwner: optionalInt('HUSH_QUEUE_MAX_PER_OWNER', env.HUSH_QUEUE_MAX_PER_OWNER, 1, 100_000_000),
    shutdownGraceMs: optionalInt('HUSH_SHUTDOWN_GRACE_MS', env.HUSH_SHUTDOWN_GRACE_MS, 0, 600_000),
    shutdownTimeoutMs: optionalInt('HUSH_SHUTDOWN_TIMEOUT_MS', env.HUSH_SHUTDOWN_TIMEOUT_MS, 1_000, 3_600_000),
    auditStream: auditStreamConfig(env),
    metrics: metricsConfig(env),
  };
}
