import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * A test sequencer that starts the named files first (matched by `/<name>.test.ts` or `/<name>.e2e.test.ts`), so
 * that neither of two workers is left with one of them at the end while the other is idle (a clean clone has no
 * timing cache to order by).
 */
export function slowFirst(names: string[]) {
  const rank = (id: string) => {
    const i = names.findIndex((name) => id.endsWith(`/${name}.test.ts`) || id.endsWith(`/${name}.e2e.test.ts`));
    return i < 0 ? names.length : i;
  };
  return class SlowFirst extends BaseSequencer {
    async sort(files: TestSpecification[]) {
      return [...(await super.sort(files))].sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
    }
  };
}
