import { defineConfig } from 'vitest/config';
import { slowFirst } from './test/slow-first.js';

/** The files that start several platform processes or run for a fixed time go first. */
const SLOW_FIRST = [
  'sharing-crash',
  'shutdown',
  'fuzz',
  'backup',
  'scale-out',
  'read-replica',
  'trust-jobs',
  'trust-auth',
];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Each test file gets fresh module state (vitest's default isolation). Every file's database is cloned from one
    // template, so ids and code serials repeat across files; module-level caches keyed by them (the catalogue in
    // force, public code documents, the jobs counter) must not carry over from one file's app to the next.
    isolate: true,
    sequence: { sequencer: slowFirst(SLOW_FIRST) },
    // Integration tests start apps, platforms and backups; on a loaded 2-core CI machine one can take a minute. Speed
    // is measured in bench/, never by these limits.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Argon2id at 1 MiB / 1 pass instead of 19 MiB / 2 (src/kernel/auth/crypto.ts): the suites create many accounts.
    env: { PASSWORD_HASH_COST: 'test' },
  },
});
