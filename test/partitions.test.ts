import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, connect } from '../src/kernel/db/connect.js';
import { migrate, migrationFiles } from '../src/kernel/db/migrate.js';
import { loadConfig } from '../src/config.js';
import { maintainPartitions } from '../src/kernel/db/partitions.js';
import { appendEvent } from '../src/modules/batches/events.js';
import { withDatabase } from './global-setup.js';

/**
 * Issue 19 item 6: audit_log, query_log, trace_event and trace_code are partitioned by migration 202612100101. A
 * database migrated to the level before it, holding rows in all four tables (and rows that reference trace_event),
 * is migrated: every row keeps its values and ids, the references are foreign keys again, identities continue, the
 * resolver's NOTIFY triggers fire, and the partition job adds months ahead and moves stray rows out of DEFAULT.
 * Runs on PGlite and on PostgreSQL (TEST_DATABASE_URL).
 */
const PARTITIONING = '202612100101_partitioned_tables.sql';
const MIGRATIONS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../src/migrations');

let database: Database;
let cleanup: () => Promise<void> = async () => {};
let before: string;

async function emptyDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return connect({ pglite: await PGlite.create('memory://') });
  const name = `suyuan_part_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const db = await connect({ databaseUrl: withDatabase(url, name), poolSize: 1 });
  cleanup = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  return db;
}

const q = <T>(text: string) => sql.raw<T>(text).execute(database.db);
const rows = async <T>(text: string) => (await q<T>(text)).rows;

beforeAll(async () => {
  before = mkdtempSync(path.join(tmpdir(), 'suyuan-mig-'));
  for (const f of migrationFiles(MIGRATIONS))
    if (f < PARTITIONING) copyFileSync(path.join(MIGRATIONS, f), path.join(before, f));
  database = await emptyDatabase();
  await migrate(database, before);
  // Rows in the old, unpartitioned tables; references to batches and subjects are not what this test is about.
  await q(`SET session_replication_role = replica`);
  await q(`INSERT INTO audit_log (at, verb, target_type, division_code)
           SELECT now() - make_interval(days => g * 20), 'test.' || g, 'thing', '4401' FROM generate_series(1, 30) g`);
  await q(`INSERT INTO query_log (at, code, result, channel, viewer)
           SELECT now() - make_interval(days => g * 10), 'C' || g, 'unknown', 'json', 'consumer' FROM generate_series(1, 30) g`);
  await q(`INSERT INTO trace_event (event_type, biz_step, stage, event_time, division_code, content_hash)
           SELECT 'object', 'commissioning', 'production', now() - make_interval(days => g), '440184',
                  CASE WHEN g = 1 THEN 'hash-1' END FROM generate_series(1, 20) g`);
  await q(`INSERT INTO trace_edge (from_batch, to_batch, event_id)
           VALUES (gen_random_uuid(), gen_random_uuid(), (SELECT min(id) FROM trace_event))`);
  await q(`INSERT INTO sale (seller_subject_id, division_code, batch_id, quantity, unit, buyer_kind, buyer_name, status, sold_at, ship_event_id)
           VALUES (gen_random_uuid(), '440184', gen_random_uuid(), 1, 'kg', 'unregistered', 'x', 'pending', now(), (SELECT max(id) FROM trace_event))`);
  await q(
    `INSERT INTO trace_code (kind, serial, status, subject_id) SELECT 1, g, 'A', gen_random_uuid() FROM generate_series(1, 1000) g`,
  );
  await q(`SET session_replication_role = origin`);
}, 120_000);

afterAll(async () => {
  await database?.close();
  await cleanup();
  rmSync(before, { recursive: true, force: true });
});

describe('partitioning an existing database', () => {
  let snapshot: Record<string, unknown[]>;
  it('migrates with the rows in place', async () => {
    snapshot = {
      audit: await rows('SELECT id, at, verb FROM audit_log ORDER BY id'),
      query: await rows('SELECT id, at, code FROM query_log ORDER BY id'),
      events: await rows('SELECT id, event_id, event_time, content_hash FROM trace_event ORDER BY id'),
      codes: await rows('SELECT kind, serial, subject_id FROM trace_code ORDER BY kind, serial'),
    };
    const applied = await migrate(database, MIGRATIONS);
    expect(applied[0]).toBe(PARTITIONING);
    expect(await rows('SELECT id, at, verb FROM audit_log ORDER BY id')).toEqual(snapshot.audit);
    expect(await rows('SELECT id, at, code FROM query_log ORDER BY id')).toEqual(snapshot.query);
    expect(await rows('SELECT id, event_id, event_time, content_hash FROM trace_event ORDER BY id')).toEqual(
      snapshot.events,
    );
    expect(await rows('SELECT kind, serial, subject_id FROM trace_code ORDER BY kind, serial')).toEqual(snapshot.codes);
  });

  it('partitions each table as its reads need', async () => {
    const kinds = await rows<{ t: string; s: string; d: number }>(`
      SELECT c.relname AS t, p.partstrat AS s,
             (SELECT count(*)::int FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid
              WHERE i.inhparent = c.oid AND pg_get_expr(k.relpartbound, k.oid) = 'DEFAULT') AS d
      FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1`);
    expect(kinds).toEqual([
      { t: 'audit_log', s: 'r', d: 1 },
      { t: 'query_log', s: 'r', d: 1 },
      { t: 'trace_code', s: 'h', d: 0 },
      { t: 'trace_event', s: 'r', d: 1 },
    ]);
    // Old rows sit in their month, not in DEFAULT; the months ahead exist.
    const [counts] = await rows<{ a: number; qd: number; ahead: number }>(`
      SELECT (SELECT count(*)::int FROM audit_log_default) AS a, (SELECT count(*)::int FROM query_log_default) AS qd,
             (SELECT count(*)::int FROM pg_class WHERE relname = 'query_log' || to_char((now() AT TIME ZONE 'Asia/Shanghai') + interval '3 months', '"_y"YYYY"m"MM')) AS ahead`);
    expect(counts).toEqual({ a: 0, qd: 0, ahead: 1 });
  });

  it('keeps references, identities and idempotency', async () => {
    await expect(
      q('INSERT INTO trace_edge (from_batch, to_batch, event_id) VALUES (gen_random_uuid(), gen_random_uuid(), -5)'),
    ).rejects.toMatchObject({
      code: '23503',
    });
    await expect(q('DELETE FROM trace_event WHERE id = (SELECT min(id) FROM trace_event)')).rejects.toMatchObject({
      code: '23503',
    });
    const [last] = await rows<{ id: string }>('SELECT max(id)::text AS id FROM trace_event');
    const [ins] = await rows<{
      id: string;
    }>(`INSERT INTO trace_event (event_type, biz_step, stage, event_time, division_code)
      VALUES ('object', 'observing', 'storage', now(), '440184') RETURNING id::text AS id`);
    expect(BigInt(ins?.id ?? 0)).toBeGreaterThan(BigInt(last?.id ?? 0));
    const [audit] = await rows<{ id: string }>(
      `INSERT INTO audit_log (verb, target_type) VALUES ('x', 'y') RETURNING id::text AS id`,
    );
    expect(Number(audit?.id)).toBeGreaterThan(30);
    expect(await rows('SELECT content_hash, event_id FROM trace_event_idempotency')).toHaveLength(1);
    await expect(
      q("INSERT INTO trace_event_idempotency (content_hash, event_id) VALUES ('hash-1', 1)"),
    ).rejects.toMatchObject({
      code: '23505',
    });
    await expect(
      q("INSERT INTO trace_code (kind, serial, status, subject_id) VALUES (1, 5, 'A', gen_random_uuid())"),
    ).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('an event re-sent with the same idempotency key is refused as before', async () => {
    const config = loadConfig({ ...process.env, LOAD_VILLAGES: 'false' });
    const append = () =>
      database.db.transaction().execute((tx) =>
        appendEvent(
          { db: tx, actor: null, ip: null, config },
          {
            eventType: 'object',
            action: 'OBSERVE',
            bizStep: 'inspecting',
            stage: 'production',
            eventTime: new Date(),
            subjectId: '00000000-0000-4000-8000-000000000001',
            divisionCode: '440184',
            idempotencyKey: 'line-7:42',
          },
        ),
      );
    const first = await append();
    await expect(append()).rejects.toMatchObject({ code: '23505' });
    expect(await rows(`SELECT event_id::int AS id FROM trace_event_idempotency WHERE event_id = ${first.id}`)).toEqual([
      { id: Number(first.id) },
    ]);
  });

  it('recreates the triggers on the partitioned tables', async () => {
    const trig = await rows<{ t: string; n: string }>(`SELECT tgrelid::regclass::text AS t, tgname AS n FROM pg_trigger
      WHERE NOT tgisinternal AND tgrelid IN ('trace_event'::regclass, 'trace_code'::regclass) ORDER BY 1, 2`);
    expect(trig).toEqual([
      { t: 'trace_code', n: 'trace_code_notify_delete' },
      { t: 'trace_code', n: 'trace_code_notify_insert' },
      { t: 'trace_code', n: 'trace_code_notify_update' },
      { t: 'trace_event', n: 'public_trace_event' },
    ]);
  });

  it('the daily job moves rows that fell into DEFAULT into their month', async () => {
    // A row two years ahead lands in DEFAULT (no partition yet); the job run "then" would create its month.
    await q(
      `INSERT INTO query_log (at, code, result, channel, viewer) VALUES (now() + interval '2 years', 'F', 'unknown', 'json', 'consumer')`,
    );
    expect(await rows('SELECT code FROM query_log_default')).toEqual([{ code: 'F' }]);
    await q(`SELECT partition_months('query_log', 'at', now(), 26)`);
    expect(await rows('SELECT code FROM query_log_default')).toEqual([]);
    expect(await rows(`SELECT code FROM query_log WHERE at > now() + interval '1 year'`)).toEqual([{ code: 'F' }]);
    const r = await maintainPartitions(database.db);
    expect(r.partitions).toBeGreaterThan(16 + 3 * 4);
  });
});
