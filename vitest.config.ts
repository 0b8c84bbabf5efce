import { defineConfig } from 'vitest/config';

// Two cores on CI: keep worker count low; HTTP and browser suites start real servers.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.tsx', 'web/src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Builds web/dist when it is missing or older than web/src (the browser suite serves it).
    globalSetup: ['test/browser/global-setup.ts'],
  },
});
