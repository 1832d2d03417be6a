/**
 * Origin map benchmarks.
 *  1. Import of 100,000 rows: total time of `runImport` (read + validate every row + upsert by key + outcome) over
 *     the time of exceljs's bare `xlsx.load` of the same file, in the same run. Goal ≤ 4×.
 *  2. `queryOriginMap` over 1,000,000 points: a whole-China viewport, a province, a county, with and without a
 *     product filter (rollup), and the records-grouping fallback (scale filter). Goal < 150 ms.
 * Database: PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set (a scratch database is created and
 * dropped), else in-memory PGlite. `BENCH_POINTS` overrides the 1,000,000.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import type { Ctx } from '../src/kernel/context.js';
import { type Database, connect } from '../src/kernel/db/connect.js';
import { migrate } from '../src/kernel/db/migrate.js';
import { VERB_TABLE } from '../src/modules/index.js';
import { exportTable, runImport } from '../src/modules/originmap/importer.js';
import { generateRecords, rebuildAllCells } from '../src/modules/originmap/generate.js';
import { queryMap } from '../src/modules/originmap/service.js';
import { ensureDivisions } from '../src/modules/regions/loader.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function open(): Promise<{ database: Database; label: string; drop: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) return { database: await connect({ dataDir: 'memory://' }), label: 'PGlite (in memory)', drop: async () => {} };
  const name = `suyuan_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await connect({ databaseUrl: u.toString(), poolSize: 4 });
  const ver = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(database.db);
  return {
    database,
    label: `PostgreSQL ${ver.rows[0].v}`,
    drop: async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export default async function bench(): Promise<Record<string, number | string>> {
  const { database, label, drop } = await open();
  const db = database.db;
  const out: Record<string, number | string> = { database: label };
  try {
    await migrate(database);
    await ensureDivisions(database);
    const org = await db.insertInto('organisation').values({ name: '基准测试监管站', kind: 'supervision', division_code: '44', contact_name: null, contact_phone: null, address: null, created_by: null }).returning('id').executeTakeFirstOrThrow();
    const acc = await db.insertInto('account').values({ username: 'bench', display_name: 'bench', phone: null, org_id: org.id, roles: ['collector'], password_hash: 'x', must_change_password: false, created_by: null }).returning('id').executeTakeFirstOrThrow();

    // ── 1. import of 100,000 rows ──
    const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
    await generateRecords(db, { count: ROWS, within: ['44'], keyPrefix: 'imp', seed: 11 });
    let t = performance.now();
    const file = (await exportTable(db, { scope: '' })).buffer;
    out.export_rows_ms = Math.round(performance.now() - t);
    out.import_file_mb = Math.round((file.length / 1048576) * 10) / 10;
    await sql`DELETE FROM origin_record`.execute(db);
    t = performance.now();
    const bare = new ExcelJS.Workbook();
    await bare.xlsx.load(file as never);
    const bareMs = performance.now() - t;
    const imp = await db.insertInto('origin_import').values({ file_name: 'bench.xlsx', content: file, division_code: '44', created_by: acc.id, job_id: null, total_rows: null, created_rows: null, updated_rows: null, unchanged_rows: null, error_rows: null, errors: null, error_file: null }).returning('id').executeTakeFirstOrThrow();
    t = performance.now();
    const res = await runImport({ db, payload: { importId: imp.id }, progress: async () => {} });
    const importMs = performance.now() - t;
    out.import_rows = res.total;
    out.import_created = res.created;
    out.import_errors = res.errors;
    out.exceljs_bare_read_ms = Math.round(bareMs);
    out.import_total_ms = Math.round(importMs);
    out.import_over_bare_read = Math.round((importMs / bareMs) * 100) / 100;
    t = performance.now();
    const again = await runImport({ db, payload: { importId: imp.id }, progress: async () => {} });
    out.reimport_unchanged = again.unchanged;
    out.reimport_over_bare_read = Math.round(((performance.now() - t) / bareMs) * 100) / 100;

    // ── 2. cluster query over 1,000,000 points ──
    const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
    if (!POINTS) return out;
    // The imported rows count towards the million once approved (on the map).
    await sql`UPDATE origin_record SET status = 'approved', approved_at = now()`.execute(db);
    const have = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_record`.execute(db)).rows[0].n);
    t = performance.now();
    await generateRecords(db, { count: POINTS - have, within: ['1', '2', '3', '4', '5', '6'], keyPrefix: 'pt', seed: 5, approvedShare: 1 });
    out.generate_points_s = Math.round((performance.now() - t) / 100) / 10;
    t = performance.now();
    await rebuildAllCells(db);
    out.rebuild_rollup_s = Math.round((performance.now() - t) / 100) / 10;
    await sql`ANALYZE origin_record`.execute(db);
    await sql`ANALYZE origin_cell`.execute(db);
    out.points = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_record WHERE approved_at IS NOT NULL`.execute(db)).rows[0].n);
    out.rollup_rows = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_cell`.execute(db)).rows[0].n);
    const ctx = { db, actor: { id: acc.id, username: 'bench', displayName: 'bench', orgId: org.id, orgName: '', orgKind: 'supervision', scope: '', roles: ['supervisor'], verbs: new Set(Object.keys(VERB_TABLE)), mustChangePassword: false }, ip: null, config: loadConfig({}) } as Ctx;
    const cases: [string, Parameters<typeof queryMap>[1]][] = [
      ['map_china_ms', { west: 73, south: 3, east: 136, north: 54, zoom: 4 }],
      ['map_china_product_ms', { west: 73, south: 3, east: 136, north: 54, zoom: 4, product: ['pig'] }],
      ['map_guangdong_ms', { west: 109.6, south: 20.2, east: 117.2, north: 25.6, zoom: 7 }],
      ['map_county_ms', { west: 113.28, south: 23.36, east: 114.07, north: 23.94, zoom: 10, within: '440117' }],
      ['map_china_scale_filter_records_ms', { west: 73, south: 3, east: 136, north: 54, zoom: 4, minScale: 100 }],
    ];
    for (const [name, q] of cases) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < 7; i++) {
        const s = performance.now();
        const r = await queryMap(ctx, q);
        times.push(performance.now() - s);
        total = r.total;
      }
      out[name] = Math.round(median(times) * 10) / 10;
      out[name.replace(/_ms$/, '_points')] = total;
    }
  } finally {
    await drop();
  }
  return out;
}
