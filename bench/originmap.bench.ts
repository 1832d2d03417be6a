/**
 * Origin map benchmarks.
 *  1. Import of 100,000 rows: total time of `runImport` (read + validate every row + upsert by key + outcome) over
 *     the time of exceljs's bare `xlsx.load` of the same file, in the same run. Goal ≤ 4×.
 *  2. `queryOriginMap` over 1,000,000 points: a whole-China viewport, a province, a county, with and without a
 *     product filter (rollup `origin_cell`). Goal < 150 ms.
 *  3. The same with scale, product and market-period filters (band rollup `origin_cell_band`, issue 19 item 4):
 *     p50 and p99 of the service call over repeated rounds (median [min–max] of the rounds), next to the same answer
 *     grouped directly from the points (`clustersFromRecords`, the sequential scan the filters used before). Goal
 *     < 150 ms. `BENCH_ROUNDS` (5) rounds of `BENCH_QUERIES` (20) calls each.
 * Database: PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set (a scratch database is created and
 * dropped), else in-memory PGlite. `BENCH_POINTS` overrides the 1,000,000.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import type { Ctx } from '../src/kernel/context.js';
import { type Database, connect } from '../src/kernel/db/connect.js';
import { migrate } from '../src/kernel/db/migrate.js';
import { VERB_TABLE } from '../src/modules/index.js';
import { saveFile } from '../src/kernel/files.js';
import { runImportJob } from '../src/kernel/imports.js';
import { originImport } from '../src/modules/originmap/import.js';
import { exportTable } from '../src/modules/originmap/sheet.js';
import { generateRecords, rebuildAllCells, replicateRecords } from '../src/modules/originmap/generate.js';
import { clustersFromRecords } from '../src/modules/originmap/repo.js';
import { queryMap } from '../src/modules/originmap/service.js';
import { filterOf } from '../src/modules/originmap/service/records.js';
import { ensureDivisions } from '../src/modules/regions/loader.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x: number) => Math.round(x * 10) / 10;
/** "median [min–max]" of one figure over the rounds. */
const spread = (xs: number[]) => `${ms(median(xs))} [${ms(Math.min(...xs))}–${ms(Math.max(...xs))}]`;
const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
const monthEdge = (offset: number, last: boolean) => {
  const d = new Date(`${day(offset).slice(0, 8)}01T00:00:00Z`);
  return last
    ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10)
    : day(offset).slice(0, 8) + '01';
};

async function open(): Promise<{ database: Database; label: string; drop: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url)
    return { database: await connect({ dataDir: 'memory://' }), label: 'PGlite (in memory)', drop: async () => {} };
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
    const org = await db
      .insertInto('organisation')
      .values({
        name: '基准测试监管站',
        kind: 'supervision',
        division_code: '44',
        contact_name: null,
        contact_phone: null,
        address: null,
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const acc = await db
      .insertInto('account')
      .values({
        username: 'bench',
        display_name: 'bench',
        phone: null,
        org_id: org.id,
        roles: ['collector'],
        password_hash: 'x',
        must_change_password: false,
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // ── 1. import of 100,000 rows ──
    const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
    await generateRecords(db, { count: ROWS, within: ['44'], keyPrefix: 'imp', seed: 11 });
    let t = performance.now();
    const chunks: Buffer[] = [];
    const sink = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
    await exportTable(db, { scope: '' }, sink);
    const file = Buffer.concat(chunks);
    out.export_rows_ms = Math.round(performance.now() - t);
    out.import_file_mb = Math.round((file.length / 1048576) * 10) / 10;
    await sql`DELETE FROM origin_record`.execute(db);
    t = performance.now();
    const bare = new ExcelJS.Workbook();
    await bare.xlsx.load(file as never);
    const bareMs = performance.now() - t;
    const config = loadConfig({
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'suyuan-bench-origin-')),
      LOG_LEVEL: 'silent',
    });
    const stored = await db
      .transaction()
      .execute((trx) =>
        saveFile({ db: trx, actor: null, ip: null, config }, { name: 'bench.xlsx', data: file, rule: 'spreadsheet' }),
      );
    const job = {
      db,
      config,
      payload: {
        fileId: stored.id,
        fileName: 'bench.xlsx',
        scope: '44',
        actor: {
          id: acc.id,
          username: 'bench',
          displayName: 'bench',
          orgId: org.id,
          orgName: '基准测试监管站',
          orgKind: 'supervision',
          scope: '44',
          roles: ['collector'],
          verbs: ['origin.collect'],
        },
      },
      progress: async () => {},
      jobId: '00000000-0000-4000-8000-000000000001',
    };
    t = performance.now();
    const res = await runImportJob(originImport, job);
    const importMs = performance.now() - t;
    out.import_rows = res.total;
    out.import_created = res.inserted;
    out.import_errors = res.rejected;
    out.exceljs_bare_read_ms = Math.round(bareMs);
    out.import_total_ms = Math.round(importMs);
    out.import_over_bare_read = Math.round((importMs / bareMs) * 100) / 100;
    t = performance.now();
    const again = await runImportJob(originImport, job);
    out.reimport_unchanged = again.unchanged;
    out.reimport_over_bare_read = Math.round(((performance.now() - t) / bareMs) * 100) / 100;

    // ── 2. cluster query over 1,000,000 points ──
    const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
    if (!POINTS) return out;
    // The imported rows count towards the million once approved (on the map).
    await sql`UPDATE origin_record SET status = 'approved', approved_at = now()`.execute(db);
    const have = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_record`.execute(db)).rows[0].n);
    // A tenth generated record by record (points inside county polygons), the rest copied from them set-based
    // (`replicateRecords`: moved ~200 m, scale ±30 %, market ±30 days), the band triggers running as for any insert.
    const COPIES = Number(process.env.BENCH_COPIES ?? 9);
    t = performance.now();
    await generateRecords(db, {
      count: Math.max(0, Math.round((POINTS - have) / (COPIES + 1))),
      within: ['1', '2', '3', '4', '5', '6'],
      keyPrefix: 'pt',
      seed: 5,
      approvedShare: 1,
    });
    out.generate_points_s = Math.round((performance.now() - t) / 100) / 10;
    t = performance.now();
    await replicateRecords(db, { copies: COPIES, keyPrefix: 'pt' });
    out.copy_points_s = Math.round((performance.now() - t) / 100) / 10;
    t = performance.now();
    await rebuildAllCells(db);
    out.rebuild_rollup_s = Math.round((performance.now() - t) / 100) / 10;
    // Steady state: vacuumed (visibility map set, as autovacuum leaves a table), statistics current.
    await sql`VACUUM ANALYZE origin_record`.execute(db);
    await sql`VACUUM ANALYZE origin_cell`.execute(db);
    await sql`VACUUM ANALYZE origin_cell_band`.execute(db);
    await sql`VACUUM ANALYZE origin_cell_scale`.execute(db);
    await sql`VACUUM ANALYZE origin_cell_month`.execute(db);
    out.points = Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_record WHERE approved_at IS NOT NULL`.execute(db))
        .rows[0].n,
    );
    out.rollup_rows = Number(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_cell`.execute(db)).rows[0].n,
    );
    for (const table of ['origin_cell_band', 'origin_cell_scale', 'origin_cell_month'])
      out[`${table}_rows`] = Number(
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0].n,
      );
    const ctx = {
      db,
      actor: {
        id: acc.id,
        username: 'bench',
        displayName: 'bench',
        orgId: org.id,
        orgName: '',
        orgKind: 'supervision',
        scope: '',
        roles: ['supervisor'],
        verbs: new Set(Object.keys(VERB_TABLE)),
        mustChangePassword: false,
      },
      ip: null,
      config: loadConfig({}),
    } as Ctx;
    const cases: [string, Parameters<typeof queryMap>[1]][] = [
      ['map_china_ms', { west: 73, south: 3, east: 136, north: 54, zoom: 4 }],
      ['map_china_product_ms', { west: 73, south: 3, east: 136, north: 54, zoom: 4, product: 'pig' }],
      ['map_guangdong_ms', { west: 109.6, south: 20.2, east: 117.2, north: 25.6, zoom: 7 }],
      ['map_county_ms', { west: 113.28, south: 23.36, east: 114.07, north: 23.94, zoom: 10, within: '440117' }],
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

    // ── 3. filtered viewport queries (band rollup) next to grouping the points ──
    const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
    const QUERIES = Number(process.env.BENCH_QUERIES ?? 20);
    // Viewports at three zooms: all China (level 4), south China (level 6), Guangdong as a province (level 8).
    const views: [string, Parameters<typeof queryMap>[1]][] = [
      ['china_z4', { west: 73, south: 3, east: 136, north: 54, zoom: 4 }],
      ['south_z6', { west: 104, south: 20, east: 120, north: 30, zoom: 6 }],
      ['gd_z8', { west: 109.6, south: 20.2, east: 117.2, north: 25.6, zoom: 8, within: '44' }],
    ];
    // What the map page sends (scale band edges from its lists, market period in whole months) is answered from the
    // rollups alone; the `api_*` cases are values only an API caller can send (a scale or a day inside a band or a
    // month), which also read the records of the band or month they cut.
    const months = { marketFrom: monthEdge(60, false), marketTo: monthEdge(150, true) };
    const filters: [string, Partial<Parameters<typeof queryMap>[1]>][] = [
      ['none', {}],
      ['product', { product: 'pig,cowpea' }],
      ['scale_edge', { minScale: 100 }],
      ['scale_edges', { minScale: 30, maxScale: 3000 }],
      ['months', months],
      ['product_scale_months', { product: 'pig,cowpea', minScale: 30, maxScale: 3000, ...months }],
      ['scale_months', { minScale: 30, maxScale: 3000, ...months }],
      ['api_scale_cut', { minScale: 37.5, maxScale: 2400 }],
      ['api_days', { marketFrom: day(75), marketTo: day(140) }],
      [
        'api_combined',
        { product: 'pig,cowpea', minScale: 37.5, maxScale: 2400, marketFrom: day(75), marketTo: day(140) },
      ],
    ];
    for (const [vname, view] of views)
      for (const [fname, filter] of filters) {
        const q = { ...view, ...filter } as Parameters<typeof queryMap>[1];
        const name = `${vname}_${fname}`;
        const p50: number[] = [];
        const p99: number[] = [];
        const direct: number[] = [];
        let answer = await queryMap(ctx, q); // warm-up
        const f = filterOf(ctx, q, true);
        for (let round = 0; round < ROUNDS; round++) {
          const times: number[] = [];
          for (let i = 0; i < QUERIES; i++) {
            const s = performance.now();
            answer = await queryMap(ctx, q);
            times.push(performance.now() - s);
          }
          p50.push(pct(times, 0.5));
          p99.push(pct(times, 0.99));
          const s = performance.now();
          await clustersFromRecords(db, answer.level, q, f);
          direct.push(performance.now() - s);
        }
        out[`map_${name}`] =
          `${answer.source} L${answer.level} ${answer.total} pts; p50 ${spread(p50)} p99 ${spread(p99)}; ` +
          `grouping the points ${spread(direct)} ms`;
      }
    out.load_average = (await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  } finally {
    await drop();
  }
  return out;
}
