import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: a real server in-process plus Debian's Chromium. One fork, files in sequence (each starts a
 * server and a browser), generous timeouts for a cold machine. `npm run test:e2e` builds web/dist first.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    environment: 'node',
  },
});
