/**
 * The environment every test server and CLI run starts with: scrypt at N=1024 for new
 * password hashes instead of the production 2^17 (about 100x cheaper in CPU and memory),
 * so suites that create many users or sign in often do not depend on a quiet machine.
 * Configuration only: `HUSH_PASSWORD_SCRYPT_N` below the production cost is refused
 * unless NODE_ENV=test. A test that checks the production cost passes
 * `HUSH_PASSWORD_SCRYPT_N: ''` (unset) in its own env.
 */
export const TEST_COST_ENV: Readonly<Record<string, string>> = { NODE_ENV: 'test', HUSH_PASSWORD_SCRYPT_N: '1024' };
