import { defineConfig } from 'vitest/config';

/** Browser tests: each file starts the real server (built web UI, fresh PGlite) and drives Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    setupFiles: ['e2e/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Inherited by the server processes the tests start (src/kernel/auth/crypto.ts: cheap argon2id, tests only).
    env: { PASSWORD_HASH_COST: 'test' },
    // A loaded 2-core CI machine renders slowly: give polled UI assertions time.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
