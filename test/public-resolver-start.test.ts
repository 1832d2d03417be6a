import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, connect } from '../src/kernel/db/connect.js';
import { PublicResolver } from '../src/modules/public/resolver.js';
import { withDatabase } from './global-setup.js';

/**
 * Issue 19 item 1: the public resolver started on a database without its tables (not migrated yet, or a wrong
 * DATABASE_URL) neither crashes the process nor stays off for good: the failed load is logged, lookups read the
 * database meanwhile, and the load is retried until it succeeds. On PGlite (default) and PostgreSQL
 * (TEST_DATABASE_URL), on an empty database of its own.
 */
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function emptyDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = await connect({ dataDir: 'memory://' });
    cleanup.push(() => database.close());
    return database;
  }
  const name = `suyuan_empty_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const database = await connect({ databaseUrl: withDatabase(url, name), poolSize: 4 });
  cleanup.push(async () => {
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  return database;
}

async function until(ok: () => boolean, ms: number) {
  const t0 = Date.now();
  while (!ok() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 50));
  return ok();
}

describe('the public resolver on a database without its tables', () => {
  it('logs the failed load, answers nothing from memory, keeps the process up and loads once the table exists', async () => {
    const database = await emptyDatabase();
    const warnings: string[] = [];
    const log = { info: () => {}, warn: (o: object, msg: string) => warnings.push(`${msg} ${JSON.stringify(o)}`) };
    const resolver = new PublicResolver(database, { runs: 1000, docs: 10, retryMs: 100 }, log);
    cleanup.unshift(() => resolver.close());
    await resolver.start();
    expect(await resolver.ready()).toBe(false);
    expect(resolver.stats().state).toBe('off');
    // Memory cannot tell: every lookup goes to the database path.
    expect(resolver.code(1, 1)).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/public resolver: loading the issued codes failed.*trace_code/);
    // The database keeps serving other statements through the same pool (nothing left broken by the failure).
    expect((await sql<{ x: number }>`SELECT 1 AS x`.execute(database.db)).rows[0].x).toBe(1);

    // The table appears (as a migration would make it): the next retry loads it.
    await sql`CREATE TABLE trace_code (kind smallint NOT NULL, serial bigint NOT NULL, status char(1) NOT NULL,
              subject_id uuid NOT NULL, batch_id uuid, issued_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (kind, serial))`.execute(
      database.db,
    );
    await sql`INSERT INTO trace_code (kind, serial, status, subject_id, batch_id)
              SELECT 1, s, 'A', '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'
              FROM generate_series(1, 50) s`.execute(database.db);
    expect(await until(() => resolver.stats().state === 'ready', 90_000)).toBe(true);
    expect(resolver.stats().runs).toBe(1);
    expect(resolver.status(1, 7)?.status).toBe('A');
    expect(resolver.status(1, 51)).toBeNull();
    expect(warnings.length).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
