import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connect } from '../src/kernel/db/connect.js';
import { migrate } from '../src/kernel/db/migrate.js';
import { ensureDivisions } from '../src/modules/regions/loader.js';

/**
 * Builds one migrated database with the division tree (down to townships) per test run; every test file then
 * starts from a copy of it: PGlite loads a dump of the template's data directory, PostgreSQL (TEST_DATABASE_URL)
 * creates a database `TEMPLATE` the template database.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const tpl = `suyuan_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${tpl}`);
    await admin.query(`CREATE DATABASE ${tpl}`);
    const tplUrl = withDatabase(url, tpl);
    const database = await connect({ databaseUrl: tplUrl, poolSize: 2 });
    await migrate(database);
    await ensureDivisions(database);
    await database.close();
    project.provide('pgTemplate', tpl);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${tpl} WITH (FORCE)`);
      await admin.end();
    };
  }
  const lite = await PGlite.create('memory://');
  const database = await connect({ pglite: lite });
  await migrate(database);
  await ensureDivisions(database);
  const dump = await lite.dumpDataDir('none');
  await database.close();
  mkdirSync('.tmp', { recursive: true });
  const file = `.tmp/test-template-${process.pid}.tar`;
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  // The dump is ~71 MB: remove it when the run ends.
  return () => rmSync(file, { force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate?: string;
    pgliteTemplate?: string;
  }
}
