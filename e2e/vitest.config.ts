import { defineConfig } from 'vitest/config';

/** Browser tests: each file starts the real server (compiled, built web UI, a copy of the migrated embedded database) and drives Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    setupFiles: ['e2e/setup.ts'],
    pool: 'forks',
    // One file at a time. Two at a time cut the phase by about a third, but under that load the chain journey's recall
    // acknowledgement was lost once (2026-12-01): not on until that is understood.
    fileParallelism: false,
    testTimeout: 120_000,
    // A server with the demo data starts in seconds on a quiet machine, minutes on a loaded one.
    hookTimeout: 600_000,
    // Inherited by the server processes the tests start (src/kernel/auth/crypto.ts: cheap argon2id, tests only).
    env: { PASSWORD_HASH_COST: 'test' },
    // A loaded 2-core CI machine renders slowly: give polled UI assertions time.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
