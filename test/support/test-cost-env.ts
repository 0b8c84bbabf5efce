/**
 * The environment every test server and CLI run starts with: scrypt at N=1024 for new
 * password hashes instead of the production 2^17 (about 100x cheaper in CPU and memory),
 * so suites that create many users or sign in often do not depend on a quiet machine.
 * Configuration only: `HUSH_PASSWORD_SCRYPT_N` below the production cost is refused
 * unless NODE_ENV=test. A test that checks the production cost passes
 * `HUSH_PASSWORD_SCRYPT_N: ''` (unset) in its own env.
 *
 * Host health is off (`HUSH_HOST_HEALTH_MIN_SAMPLES=0`): every test sink listens on
 * 127.0.0.1, one host name, so a suite's deliberate failures would pause its other sinks.
 * Host health tests turn it on in their own env.
 */
export const TEST_COST_ENV: Readonly<Record<string, string>> = { NODE_ENV: 'test', HUSH_PASSWORD_SCRYPT_N: '1024', HUSH_HOST_HEALTH_MIN_SAMPLES: '0' };
