import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from '../src/kernel/db/connect.js';
import { migrate } from '../src/kernel/db/migrate.js';
import { ensureDivisions } from '../src/modules/regions/loader.js';
import { ROOT } from '../test/server.js';

/**
 * Once per browser-test run:
 * - compiles the server to dist/ when it is older than its sources (what `npm start` runs), so each file's server
 *   loads compiled JavaScript instead of transpiling src/ at every start;
 * - migrates one embedded database with the division tree (down to townships) in a data directory that every file's
 *   server starts from a copy of (e2e/harness.ts), instead of migrating its own: on a loaded 2-core machine the
 *   migration took about a minute per file. Start-up from an empty directory keeps its own test
 *   (e2e/start.e2e.test.ts, `fresh`).
 */
export default async function setup(project: TestProject) {
  const built = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building the server failed (exit ${built.status})`);
  const dir = path.join(ROOT, '.tmp', `e2e-template-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const database = await connect({ dataDir: path.join(dir, 'pglite') });
  await migrate(database);
  await ensureDivisions(database);
  await database.close();
  project.provide('e2eDataTemplate', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eDataTemplate?: string;
  }
}
