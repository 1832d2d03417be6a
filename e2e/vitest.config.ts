import { defineConfig } from 'vitest/config';
import { slowFirst } from '../test/slow-first.js';

/** Browser tests: each file starts the real server (built web UI, fresh PGlite) and drives Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    setupFiles: ['e2e/setup.ts'],
    pool: 'forks',
    // Two files at a time: a browser test mostly waits (for its pages' requests to go quiet, for polled assertions),
    // so two of them keep the two cores of a CI machine busy where one left them half idle.
    maxWorkers: 2,
    // The longest first: the page walk of every role, the platforms of the network and single sign-on, the demo data.
    sequence: { sequencer: slowFirst(['overflow', 'network', 'sso', 'labels-en', 'decision', 'field']) },
    testTimeout: 120_000,
    // A server with the demo data starts in seconds on a quiet machine, minutes on a loaded one running two files.
    hookTimeout: 600_000,
    // Inherited by the server processes the tests start (src/kernel/auth/crypto.ts: cheap argon2id, tests only).
    env: { PASSWORD_HASH_COST: 'test' },
    // A loaded 2-core CI machine renders slowly: give polled UI assertions time.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
