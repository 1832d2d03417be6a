/**
 * The public resolver's start-up load at scale (issue 19 items 1 and 6): `npm run bench -- resolver`. Fills a
 * scratch PostgreSQL database with trace codes only, set-based (generate_series, one statement per million codes):
 * kind 1 serials 1…N in batches of 100 (issue times a minute apart per batch, so batches cross Beijing days), one
 * code in 10,007 voided in the middle of its batch, and N/100 printed circulation codes (kind 2) with every 13th
 * activated — then measures, alternating, RESOLVER_ROUNDS times:
 *  - the resolver's load as the platform runs it (PublicResolver.start → ready: chunks of 1M serials, a grouping
 *    each, two in flight; resolver.ts), in seconds;
 *  - the floor: one read of every code (`SELECT count(*) FROM trace_code`), in the same round;
 *  - the old load (one window query over every code, the resolver until 2026-12-01; RESOLVER_OLD=0 skips it: about
 *    3 minutes at 10M codes on the shared machine);
 *  - memory per run (last round): heap and array-buffer bytes the loaded resolver holds (after a full GC, against
 *    before it started), beside the same runs as plain objects (what the resolver held until 2026-12-02).
 * The load must not grow faster than the floor (both linear in the codes) and stays a small multiple of it.
 *
 * Settings: RESOLVER_CODES (default 1,000,000), RESOLVER_ROUNDS (default 3), RESOLVER_OLD (default 1),
 * RESOLVER_DB (default suyuan_resolver), RESOLVER_KEEP=1 keeps the database (a later run with as many or more codes
 * fills only the rest), BENCH_DATABASE_URL or TEST_DATABASE_URL (the server; default
 * postgres://postgres@127.0.0.1:5432/postgres).
 */
import { loadavg } from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'kysely';
import pg from 'pg';
import { connect } from '../src/kernel/db/connect.js';
import { migrate } from '../src/kernel/db/migrate.js';
import { PublicResolver } from '../src/modules/public/resolver.js';
import { withDatabase } from '../test/global-setup.js';
import { oldRuns } from '../test/public-resolver-old-load.js';

const CODES = Number(process.env.RESOLVER_CODES ?? 1_000_000);
const ROUNDS = Number(process.env.RESOLVER_ROUNDS ?? 3);
const OLD = process.env.RESOLVER_OLD !== '0';
const DB_NAME = process.env.RESOLVER_DB ?? 'suyuan_resolver';
const STEP = 1_000_000;
const log = (...a: unknown[]) => console.error(`[resolver ${new Date().toISOString().slice(11, 19)}]`, ...a);
const uid = (p: string, n: string) => `md5('${p}' || (${n}))::uuid`;

async function fill(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const have = Number((await c.query('SELECT count(*) AS n FROM trace_code WHERE kind = 1')).rows[0].n);
    if (have >= CODES) return;
    await c.query('SET session_replication_role = replica'); // no notifications for the fill
    for (let from = have + 1; from <= CODES; from += STEP) {
      const upto = Math.min(CODES, from + STEP - 1);
      const t = performance.now();
      await c.query(`INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, issued_at, activated_at)
        SELECT 1, s, CASE WHEN s % 10007 = 5000 THEN 'V' ELSE 'A' END, ${uid('s', '((s - 1) / 100) % 60000')},
          ${uid('b', '(s - 1) / 100')}, now() - make_interval(mins => ((s - 1) / 100)::int), now()
        FROM generate_series(${from}::bigint, ${upto}::bigint) s`);
      log(`codes ${upto} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
    await c.query(`INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, issued_at)
      SELECT 2, s, CASE WHEN s % 13 = 0 THEN 'A' ELSE 'I' END, ${uid('s', 's / 1000')},
        CASE WHEN s % 13 = 0 THEN ${uid('b', 's / 100')} END, now() - make_interval(hours => (s / 1000)::int)
      FROM generate_series(
        (SELECT coalesce(max(serial), 0) + 1 FROM trace_code WHERE kind = 2)::bigint, ${Math.ceil(CODES / 100)}::bigint) s`);
    await c.query(`UPDATE code_counter SET next = ${CODES + 1} WHERE kind = 1`);
    await c.query('SET session_replication_role = origin');
    await c.query('VACUUM ANALYZE trace_code');
  } finally {
    await c.end();
  }
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Heap plus array buffers (typed arrays' backing stores), after a full collection. */
const held = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(1)} (${s[0].toFixed(1)} – ${s[s.length - 1].toFixed(1)})`;
};

export default async function resolver() {
  const base =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rows.length > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  const url = withDatabase(base, DB_NAME);
  try {
    const database = await connect({ databaseUrl: url, poolSize: 4 });
    await migrate(database);
    await fill(url);
    const figures: Record<string, number | string> = {};
    const load: number[] = [];
    const floor: number[] = [];
    const old: number[] = [];
    const loads: string[] = [];
    let runs = 0;
    let perRun = 0;
    let perObject = 0;
    for (let i = 0; i < ROUNDS; i++) {
      loads.push(loadavg()[0].toFixed(1));
      let t = performance.now();
      await sql`SELECT count(*) FROM trace_code`.execute(database.db);
      floor.push((performance.now() - t) / 1000);
      const before = held();
      t = performance.now();
      const r = new PublicResolver(database, { runs: 2_000_000, docs: 10 });
      await r.start();
      if (!(await r.ready())) throw new Error('the resolver did not load');
      load.push((performance.now() - t) / 1000);
      runs = r.stats().runs;
      if (i === ROUNDS - 1) {
        perRun = (held() - before) / runs;
        const base = held();
        const objects = [1, 2, 3, 4, 5].map((k) => r.runsOf(k));
        perObject = (held() - base) / runs;
        if (objects.flat().length !== runs) throw new Error('runs as objects differ');
      }
      await r.close();
      if (OLD) {
        t = performance.now();
        await oldRuns(database.db);
        old.push((performance.now() - t) / 1000);
      }
      log(`round ${i + 1}: load ${load[i].toFixed(1)} s, floor ${floor[i].toFixed(1)} s, old ${old[i]?.toFixed(1)} s`);
    }
    loads.push(loadavg()[0].toFixed(1));
    const codes = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM trace_code`.execute(database.db)).rows[0].n,
    );
    await database.close();
    figures.codes = codes;
    figures.runs = runs;
    figures['resolver load (s), median (min – max)'] = spread(load);
    figures['floor: read every code once (s)'] = spread(floor);
    figures['floor / load (median of rounds)'] = floor.map((f, i) => f / load[i]).sort((a, b) => a - b)[
      Math.floor(ROUNDS / 2)
    ];
    if (OLD) {
      figures['old load: one window query (s)'] = spread(old);
      figures['old / new (median of rounds)'] = old.map((o, i) => o / load[i]).sort((a, b) => a - b)[
        Math.floor(ROUNDS / 2)
      ];
    }
    figures['memory per run: columns, as loaded (bytes)'] = Math.round(perRun);
    figures['memory per run: the same runs as objects (bytes)'] = Math.round(perObject);
    figures['load average (1 min) at each round'] = loads.join(' · ');
    return figures;
  } finally {
    if (!process.env.RESOLVER_KEEP) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  }
}
