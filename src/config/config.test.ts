import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseMasterKeys } from './config.ts';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

/** The ConfigError `loadConfig(env)` throws (fails the test when it does not throw one). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  // toMatchObject: other modules add their own variables; these are the foundation's.
  it('has defaults for everything', () => {
    expect(loadConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: path.resolve('./data'),
      databaseUrl: null,
      masterKeys: null,
      logLevel: 'info',
      allowPrivateWebhooks: false,
      dbPoolSize: 10,
      dbStatementTimeoutMs: 15_000,
      publicUrl: null,
    });
  });

  it('treats empty and blank variables as unset', () => {
    const blank = { HUSH_HOST: ' ', HUSH_PORT: '', HUSH_DATA_DIR: '  ', HUSH_DATABASE_URL: ' ', HUSH_MASTER_KEY: ' ', HUSH_LOG_LEVEL: '', HUSH_PUBLIC_URL: ' ' };
    expect(loadConfig(blank)).toEqual(loadConfig({}));
  });

  it('reads every variable', () => {
    const c = loadConfig({
      HUSH_HOST: '0.0.0.0',
      HUSH_PORT: '0',
      HUSH_DATA_DIR: '/var/lib/hush',
      HUSH_DATABASE_URL: 'postgresql://u:p@db:5432/hush',
      HUSH_MASTER_KEY: `${KEY_A.toString('base64')}, ${KEY_B.toString('base64')}`,
      HUSH_LOG_LEVEL: 'debug',
      HUSH_ALLOW_PRIVATE_WEBHOOKS: 'TRUE',
      HUSH_DB_POOL_SIZE: '500',
      HUSH_DB_STATEMENT_TIMEOUT_MS: '0',
      HUSH_PUBLIC_URL: 'https://hush.example.com//',
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      dataDir: '/var/lib/hush',
      databaseUrl: 'postgresql://u:p@db:5432/hush',
      masterKeys: [KEY_A, KEY_B],
      logLevel: 'debug',
      allowPrivateWebhooks: true,
      dbPoolSize: 500,
      dbStatementTimeoutMs: 0,
      publicUrl: 'https://hush.example.com',
    });
  });

  it('reads the delivery and Logic tunables', () => {
    expect(
      loadConfig({
        HUSH_WEBHOOK_RETRY_DELAYS_MS: '500, 1000',
        HUSH_WEBHOOK_TIMEOUT_MS: '3000',
        HUSH_DELIVERY_LEASE_MS: '5000',
        HUSH_LOGIC_LEASE_MS: '7000',
        HUSH_QUEUE_MAX: '42',
        HUSH_QUEUE_MAX_PER_OWNER: '40',
        HUSH_LOGIC_MAX_PER_OWNER: '2',
      }),
    ).toMatchObject({ webhookRetryDelaysMs: [500, 1000], webhookTimeoutMs: 3000, deliveryLeaseMs: 5000, logicLeaseMs: 7000, queueMax: 42, queueMaxPerOwner: 40, logicMaxPerOwner: 2 });
    expect(loadConfig({ HUSH_WEBHOOK_RETRY_DELAYS_MS: 'none' }).webhookRetryDelaysMs).toEqual([]);
    expect(loadConfig({ HUSH_WEBHOOK_SIGNING_OVERLAP_S: '3600' }).webhookSigningOverlapMs).toBe(3_600_000);
    expect(loadConfig({ HUSH_WEBHOOK_SIGNING_OVERLAP_S: '0' }).webhookSigningOverlapMs).toBe(0);
    expect(loadConfig({}).webhookSigningOverlapMs).toBeNull();
    expect(loadConfig({}).deadLetterRetentionDays).toBe(7);
    expect(loadConfig({ HUSH_DEAD_LETTER_RETENTION_DAYS: '30' }).deadLetterRetentionDays).toBe(30);
    expect(loadConfig({}).hostHealth).toEqual({ windowMs: 60_000, minSamples: 10, errorPercent: 50, probeMs: 10_000, probeMaxMs: 300_000, maxAgeMs: 86_400_000 });
    expect(loadConfig({ HUSH_HOST_HEALTH_WINDOW_S: '30', HUSH_HOST_HEALTH_MIN_SAMPLES: '0', HUSH_HOST_HEALTH_ERROR_PERCENT: '75', HUSH_HOST_PROBE_MS: '500', HUSH_HOST_PROBE_MAX_MS: '4000', HUSH_HOST_PAUSED_MAX_AGE_S: '60' }).hostHealth)
      .toEqual({ windowMs: 30_000, minSamples: 0, errorPercent: 75, probeMs: 500, probeMaxMs: 4000, maxAgeMs: 60_000 });
    expect(loadConfig({})).toMatchObject({ webhookRetryDelaysMs: null, webhookTimeoutMs: null, deliveryLeaseMs: null, logicLeaseMs: null, queueMax: null, queueMaxPerOwner: null, logicMaxPerOwner: null });
  });

  it.each([
    [undefined, false],
    ['0', false],
    ['true', true],
    ['1', true],
    ['10.0.0.0/8, 127.0.0.1,::1, fd00::/8', ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']],
  ])('HUSH_TRUST_PROXY=%s is %j', (raw, expected) => {
    expect(loadConfig(raw === undefined ? {} : { HUSH_TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each([
    ['1', true],
    ['true', true],
    ['0', false],
    ['false', false],
    ['False', false],
  ])('HUSH_ALLOW_PRIVATE_WEBHOOKS=%s is %s', (raw, expected) => {
    expect(loadConfig({ HUSH_ALLOW_PRIVATE_WEBHOOKS: raw }).allowPrivateWebhooks).toBe(expected);
  });

  it.each([
    ['HUSH_PORT', 'abc', "must be a whole number from 0 to 65535, got 'abc'"],
    ['HUSH_PORT', '-1', "must be a whole number from 0 to 65535, got '-1'"],
    ['HUSH_PORT', '65536', "must be a whole number from 0 to 65535, got '65536'"],
    ['HUSH_PORT', '80.5', "must be a whole number from 0 to 65535, got '80.5'"],
    ['HUSH_DB_POOL_SIZE', '0', "must be a whole number from 1 to 500, got '0'"],
    ['HUSH_DB_POOL_SIZE', 'many', "must be a whole number from 1 to 500, got 'many'"],
    ['HUSH_DB_STATEMENT_TIMEOUT_MS', '-5', "must be a whole number from 0 to 3600000, got '-5'"],
    ['HUSH_DATABASE_URL', 'mysql://x', 'must be a postgres:// URL (leave it unset for the embedded SQLite store)'],
    ['HUSH_DATABASE_URL', 'db.example.com:5432', 'must be a postgres:// URL (leave it unset for the embedded SQLite store)'],
    ['HUSH_DATABASE_URL', 'postgres://[::1', 'is not a valid URL'],
    ['HUSH_MASTER_KEY', 'short', 'key 1 must be base64 of exactly 32 bytes (e.g. from `openssl rand -base64 32`)'],
    ['HUSH_MASTER_KEY', Buffer.alloc(31).toString('base64'), 'key 1 must be base64 of exactly 32 bytes (e.g. from `openssl rand -base64 32`)'],
    ['HUSH_MASTER_KEY', `${KEY_A.toString('base64')},not*base64*at*all*!!!!!!!!!!!!!!!!!!!!!!`, 'key 2 must be base64 of exactly 32 bytes (e.g. from `openssl rand -base64 32`)'],
    ['HUSH_MASTER_KEY', ',,', 'is empty'],
    ['HUSH_LOG_LEVEL', 'loud', "must be one of fatal, error, warn, info, debug, trace, silent; got 'loud'"],
    ['HUSH_PUBLIC_URL', 'hush.example.com', 'must be an http(s) origin such as https://hush.example.com'],
    ['HUSH_PUBLIC_URL', 'ftp://hush.example.com', 'must be an http(s) origin such as https://hush.example.com'],
    ['HUSH_ALLOW_PRIVATE_WEBHOOKS', 'yes', "must be 1/true or 0/false, got 'yes'"],
    ['HUSH_TRUST_PROXY', 'yes', "must be true, false or a comma list of IP addresses or CIDR ranges; 'yes' is neither"],
    ['HUSH_TRUST_PROXY', '10.0.0.0/33', "must be true, false or a comma list of IP addresses or CIDR ranges; '10.0.0.0/33' is neither"],
    ['HUSH_LOGIC_LEASE_MS', '50', "must be a whole number from 100 to 3600000, got '50'"],
    ['HUSH_WEBHOOK_SIGNING_OVERLAP_S', '-1', "must be a whole number from 0 to 2592000, got '-1'"],
    ['HUSH_LOGIC_MAX_PER_OWNER', '0', "must be a whole number from 1 to 1000, got '0'"],
    ['HUSH_DEAD_LETTER_RETENTION_DAYS', '0', "must be a whole number from 1 to 3650, got '0'"],
    ['HUSH_HOST_HEALTH_ERROR_PERCENT', '100', "must be a whole number from 1 to 99, got '100'"],
    ['HUSH_HOST_PROBE_MAX_MS', '50', "must be a whole number from 100 to 86400000, got '50'"],
    ['HUSH_DELIVERY_LEASE_MS', '1h', "must be a whole number from 100 to 3600000, got '1h'"],
    ['HUSH_AUDIT_HTTP_URL', 'siem.example.com', 'must be an http(s) URL'],
    ['HUSH_METRICS', '1', 'needs HUSH_METRICS_TOKEN (served at /metrics on the API port) or HUSH_METRICS_PORT (a loopback port of its own)'],
    ['HUSH_AUDIT_FAIL_CLOSED', '1', 'needs HUSH_AUDIT_FILE or HUSH_AUDIT_HTTP_URL'],
    ['HUSH_AUDIT_FILE_MAX_BYTES', '10', "must be a whole number from 1024 to 1099511627776, got '10'"],
  ])('refuses %s=%s, naming the variable', (variable, raw, message) => {
    const e = configError({ [variable]: raw });
    expect(e.variable).toBe(variable);
    expect(e.message).toBe(`${variable}: ${message}`);
    expect(e.name).toBe('ConfigError');
  });

  it('reads the metrics settings, off by default, and never echoes a short token', () => {
    expect(loadConfig({}).metrics).toBeNull();
    expect(loadConfig({ HUSH_METRICS: '1', HUSH_METRICS_PORT: '9464' }).metrics).toEqual({ token: null, port: 9464 });
    expect(loadConfig({ HUSH_METRICS: '1', HUSH_METRICS_TOKEN: 'a-metrics-token-of-length' }).metrics).toEqual({ token: 'a-metrics-token-of-length', port: null });
    const e = configError({ HUSH_METRICS: '1', HUSH_METRICS_TOKEN: 'short-tok' });
    expect(e.message).toBe('HUSH_METRICS_TOKEN: must be at least 16 characters');
  });

  it('lowers the scrypt cost only for test suites, and only to a power of two', () => {
    expect(loadConfig({}).passwordScryptN).toBeNull();
    expect(loadConfig({ HUSH_PASSWORD_SCRYPT_N: '262144' }).passwordScryptN).toBe(262_144);
    expect(loadConfig({ HUSH_PASSWORD_SCRYPT_N: '1024', NODE_ENV: 'test' }).passwordScryptN).toBe(1024);
    expect(configError({ HUSH_PASSWORD_SCRYPT_N: '1024' }).message).toBe('HUSH_PASSWORD_SCRYPT_N: below 131072 is allowed only for test suites (NODE_ENV=test)');
    expect(configError({ HUSH_PASSWORD_SCRYPT_N: '3000', NODE_ENV: 'test' }).message).toBe("HUSH_PASSWORD_SCRYPT_N: must be a power of two, got '3000'");
    expect(configError({ HUSH_PASSWORD_SCRYPT_N: '512', NODE_ENV: 'test' }).message).toMatch(/^HUSH_PASSWORD_SCRYPT_N: must be a whole number from 1024/);
  });

  it('reads the audit stream settings', () => {
    const c = loadConfig({
      HUSH_AUDIT_FILE: 'audit/hush.log',
      HUSH_AUDIT_FILE_MAX_BYTES: '4096',
      HUSH_AUDIT_FILE_KEEP: '0',
      HUSH_AUDIT_HTTP_URL: 'https://siem.example.com/in',
      HUSH_AUDIT_HTTP_BATCH: '7',
      HUSH_AUDIT_HTTP_FLUSH_MS: '250',
      HUSH_AUDIT_HTTP_BUFFER_MAX: '99',
      HUSH_AUDIT_FAIL_CLOSED: 'true',
    });
    expect(c.auditStream).toEqual({
      file: path.resolve('audit/hush.log'),
      fileMaxBytes: 4096,
      fileKeep: 0,
      httpUrl: 'https://siem.example.com/in',
      httpBatch: 7,
      httpFlushMs: 250,
      httpBufferMax: 99,
      failClosed: true,
    });
    expect(loadConfig({}).auditStream).toMatchObject({ file: null, httpUrl: null, failClosed: false });
  });

  it('never echoes a master key in its error', () => {
    const secretish = Buffer.alloc(20, 0xab).toString('base64');
    expect(configError({ HUSH_MASTER_KEY: secretish }).message).not.toContain(secretish);
  });
});

describe('parseMasterKeys', () => {
  it('parses comma-separated keys in order, primary first', () => {
    expect(parseMasterKeys('K', ` ${KEY_B.toString('base64')} ,${KEY_A.toString('base64')}`)).toEqual([KEY_B, KEY_A]);
  });

  it('names the variable it was given', () => {
    expect(() => parseMasterKeys('new key', 'nope')).toThrow('new key: key 1 must be base64 of exactly 32 bytes');
  });
});
