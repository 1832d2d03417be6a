import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that start several platform processes or run for a fixed time go first, so that neither worker is left
 * with one of them at the end while the other is idle (a clean clone has no timing cache to order by).
 */
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
const rank = (id: string) => {
  const i = SLOW_FIRST.findIndex((name) => id.endsWith(`/${name}.test.ts`));
  return i < 0 ? SLOW_FIRST.length : i;
};
class SlowFirst extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    return [...(await super.sort(files))].sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}

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
    sequence: { sequencer: SlowFirst },
    // Integration tests start apps, platforms and backups; on a loaded 2-core CI machine one can take a minute. Speed
    // is measured in bench/, never by these limits.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Argon2id at 1 MiB / 1 pass instead of 19 MiB / 2 (src/kernel/auth/crypto.ts): the suites create many accounts.
    env: { PASSWORD_HASH_COST: 'test' },
  },
});
