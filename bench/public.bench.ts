/**
 * Public trace lookups under load (issue 6), on PostgreSQL with BENCH_CODES (default 10,000,000) codes stored:
 * JSON (`getPublicTrace`) and HTML (`/t/{code}`) requests per second at 64 connections, as a ratio of a bare Fastify
 * route measured in the same run, with p99 latency, at the platform's default log level. Requests follow what
 * consumers and scanners send (issue 19 item 7): 45% uniform over all issued codes, 35% on a Zipf-like hot set of
 * 10,000 codes (a few products on many shelves), 10% never issued (a well-formed code past the last serial), 6%
 * mistyped (one digit changed: the check digit fails) and 4% of the wrong length (a digit dropped).
 *
 * Before and after in the same run (issue 19 item 1): the platform with `PUBLIC_RESOLVER_RUNS=0` (every lookup reads
 * the database) and the default (the in-process resolver, measured once it has loaded its runs). On PostgreSQL both
 * run side by side and are measured in alternation with the bare route, BENCH_ROUNDS (3) times, each round's ratios
 * against its own bare figure; on PGlite one after the other.
 *
 * Needs a PostgreSQL server: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * Creates the database `suyuan_bench_public` (`suyuan_bench_public_<BENCH_CODES>` for another count; kept between
 * runs: the rows are generated once, set-based with generate_series; BENCH_FRESH=1 recreates it). BENCH_PGLITE=1
 * measures the embedded database instead (a data directory in the temporary directory, kept likewise).
 * BENCH_SKIP_FLUSH=1 leaves out the query-log flush part.
 *
 * Then the query-log flush cost (issue 19: the counterfeit signal kept incrementally) at two log sizes in the same
 * run — BENCH_QUERYLOG_ROWS (default 2,500,000) and a tenth of it — with, beside it, what the former signal's
 * re-count of distinct networks over 7 days of the log costs for the same flushes.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { shortCode } from '../src/kernel/codes.js';
import { QueryLog, type QueryRow } from '../src/modules/public/querylog.js';
import type { DB } from '../src/schema.js';
import { withDatabase } from '../test/global-setup.js';
import { startFloor, startPlatform } from './lib.js';

const CODES_ = Number(process.env.BENCH_CODES ?? 10_000_000);
const DB_NAME = CODES_ === 10_000_000 ? 'suyuan_bench_public' : `suyuan_bench_public_${CODES_}`;
const CODES = Number(process.env.BENCH_CODES ?? 10_000_000);
const PER_BATCH = 10_000;
const CONNECTIONS = 64;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

async function run(url: string, path: (i: number) => string, duration = DURATION, amount?: number) {
  let i = 0;
  const r = await autocannon({
    url,
    connections: amount ? 8 : CONNECTIONS,
    ...(amount ? { amount } : { duration }),
    requests: [{ setupRequest: (req) => ({ ...req, path: path(i++) }) }],
  });
  const status = (prefix: string) =>
    Object.entries(r.statusCodeStats ?? {})
      .filter(([code]) => code.startsWith(prefix))
      .reduce((n, [, v]) => n + (v as { count: number }).count, 0);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    // Socket errors and 5xx: a 404 for a never-issued code or a 400 for a mistyped one is the right answer.
    errors: r.errors + status('5'),
    notFound: status('4'),
    total: r.requests.total,
  };
}

const HOT = 10_000;
/** One code of the realistic mix (see the header); `count` codes are issued. */
export function mixedCode(count: number): string {
  const code = (serial: number) => shortCode({ kind: 'production', platform: '000000', serial });
  const x = Math.random();
  if (x < 0.45) return code(1 + Math.floor(Math.random() * count));
  if (x < 0.8) return code(1 + Math.floor(Math.min(count, HOT) * Math.random() ** 3));
  if (x < 0.9) return code(count + 1 + Math.floor(Math.random() * count));
  const good = code(1 + Math.floor(Math.random() * count));
  if (x < 0.96) {
    const at = 7 + Math.floor(Math.random() * 12);
    return `${good.slice(0, at)}${(Number(good[at]) + 1 + Math.floor(Math.random() * 9)) % 10}${good.slice(at + 1)}`;
  }
  const at = Math.floor(Math.random() * good.length);
  return good.slice(0, at) + good.slice(at + 1);
}

type Query = { query(text: string): Promise<{ rows: Record<string, unknown>[] }> };
async function seed(db: Query): Promise<{ seconds: number; created: boolean }> {
  const t0 = Date.now();
  {
    const have = await db.query(`SELECT coalesce(max(serial), 0) AS n FROM trace_code WHERE kind = 1`);
    if (Number(have.rows[0].n) >= CODES) return { seconds: 0, created: false };
    await db.query(`
      WITH o AS (INSERT INTO organisation (name, kind, division_code) VALUES ('压测合作社', 'producer', '440117') RETURNING id)
      INSERT INTO subject (org_id, name, org_form, subject_type, industries, cert_type, cert_no, dedup_key, legal_person_name, contact_name, contact_phone, address, division_code, status, approved_at)
      SELECT id, '从化区压测果蔬合作社', 'cooperative', 'production', '{planting}', 'credit_code', 'BENCH', 'CBENCH', '甲', '甲', '13800000000', '从化区', '440117103', 'approved', now() FROM o`);
    await db.query(
      `INSERT INTO product (subject_id, division_code, name, industry, certifications) SELECT id, '440117103', '豇豆', 'planting', '[{"type":"green","number":"LB-1"}]' FROM subject WHERE dedup_key = 'CBENCH'`,
    );
    await db.query(
      `INSERT INTO base (subject_id, division_code, name) SELECT id, '440117103', '压测基地' FROM subject WHERE dedup_key = 'CBENCH'`,
    );
    const batches = Math.ceil(CODES / PER_BATCH);
    await db.query(`
      INSERT INTO batch (subject_id, division_code, batch_no, product_id, base_id, quantity, unit, produced_at, self_check, stock)
      SELECT s.id, '440117103', 'B' || g, p.id, b.id, 1000, 'kg', now() - (g || ' minutes')::interval, 'pass', 1000
      FROM subject s, product p, base b, generate_series(0, ${batches - 1}) g
      WHERE s.dedup_key = 'CBENCH' AND p.subject_id = s.id AND b.subject_id = s.id`);
    // 10M codes, set-based, in 1M-row statements (each batch gets PER_BATCH consecutive serials).
    for (let from = 1; from <= CODES; from += 1_000_000) {
      const to = Math.min(CODES, from + 999_999);
      await db.query(`
        INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, activated_at)
        SELECT 1, s, 'A', b.subject_id, b.id, now()
        FROM generate_series(${from}::bigint, ${to}::bigint) s
        JOIN batch b ON b.batch_no = 'B' || ((s - 1) / ${PER_BATCH})`);
    }
    await db.query(`UPDATE code_counter SET next = ${CODES + 1} WHERE kind = 1`);
    await db.query('ANALYZE');
  }
  return { seconds: (Date.now() - t0) / 1000, created: true };
}

/** Waits until the platform's public resolver has loaded its runs (it logs a line); false after `ms`. */
async function resolverReady(server: { output(): string }, ms = 300_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (server.output().includes('public resolver ready')) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export default async function publicBench() {
  const lite = !!process.env.BENCH_PGLITE;
  const base =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let url = '';
  let admin: pg.Client | null = null;
  // PGlite: a kept data directory (the rows are generated once, by this process, while no platform runs).
  const liteDir = path.join(tmpdir(), `suyuan-bench-public-${CODES}`);
  if (lite) {
    if (process.env.BENCH_FRESH) rmSync(liteDir, { recursive: true, force: true });
    mkdirSync(liteDir, { recursive: true });
  } else {
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
    if (process.env.BENCH_FRESH) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!exists.rows.length) await admin.query(`CREATE DATABASE ${DB_NAME}`);
    url = withDatabase(base, DB_NAME);
  }
  /** Runs `fn` with a connection to the bench database (PGlite: opened here, so no platform may be running). */
  async function withDb<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    if (lite) {
      const { PGlite } = await import('@electric-sql/pglite');
      const p = await PGlite.create(path.join(liteDir, 'pglite'));
      try {
        return await fn({ query: (text) => p.query(text) as Promise<{ rows: Record<string, unknown>[] }> });
      } finally {
        await p.close();
      }
    }
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  // The default log level (issue 19 item 7); the platform migrates the database on start; then the rows are generated.
  const env = { DATABASE_URL: url, PUBLIC_RATE_LIMIT: '100000000', LOG_LEVEL: 'info' };
  const start = (extra: Record<string, string> = {}) =>
    startPlatform({ ...env, ...extra }, lite ? { dataDir: liteDir, timeoutMs: 600_000 } : {});
  let server = await start({ PUBLIC_RESOLVER_RUNS: '0' });
  if (lite) await server.stop();
  const seeded = await withDb(seed);
  if (lite) server = await start({ PUBLIC_RESOLVER_RUNS: '0' });
  const count = await withDb(async (q) =>
    Number((await q.query('SELECT count(*) AS n FROM trace_code WHERE kind = 1')).rows[0].n),
  );
  // Precompute the projections (what the platform does lazily on first read): one read per batch.
  const batches = Math.ceil(count / PER_BATCH);
  const t0 = Date.now();
  await run(
    server.url,
    (i) =>
      `/api/v1/public/trace/${shortCode({ kind: 'production', platform: '000000', serial: (i % batches) * PER_BATCH + 1 })}`,
    0,
    batches,
  );
  const warmS = (Date.now() - t0) / 1000;
  await server.stop();
  const projections = await withDb(async (q) =>
    Number((await q.query('SELECT count(*) AS n FROM public_trace')).rows[0].n),
  );

  const random = () => mixedCode(count);
  const floor = await startFloor();
  await run(floor.url, () => '/ping', 3); // warm-up
  type R = Awaited<ReturnType<typeof run>>;
  const rounds: { bare: R; dbJson: R; dbHtml: R; json: R; html: R }[] = [];
  const json = (srv: { url: string }) => run(srv.url, () => `/api/v1/public/trace/${random()}`);
  const html = (srv: { url: string }) => run(srv.url, () => `/t/${random()}`);
  let loadS = 0;
  let loadLine = '';
  let loaded = false;
  let page = '';
  const afterStart = async () => {
    const t1 = Date.now();
    const srv = await start();
    loaded = await resolverReady(srv);
    loadS = (Date.now() - t1) / 1000;
    loadLine =
      srv
        .output()
        .split('\n')
        .find((l) => l.includes('public resolver ready')) ?? '';
    await run(srv.url, () => `/api/v1/public/trace/${random()}`, 3);
    page = await (
      await fetch(`${srv.url}/t/${shortCode({ kind: 'production', platform: '000000', serial: 1 })}`)
    ).text();
    return srv;
  };
  if (!lite) {
    // PostgreSQL: both platforms run side by side on the one database and are measured in alternation, ROUNDS times,
    // each round against its own bare figure (the machine is shared: its load moves between rounds).
    const before = await start({ PUBLIC_RESOLVER_RUNS: '0' });
    await run(before.url, () => `/api/v1/public/trace/${random()}`, 3);
    const after = await afterStart();
    for (let i = 0; i < ROUNDS; i++)
      rounds.push({
        bare: await run(floor.url, () => '/ping'),
        dbJson: await json(before),
        json: await json(after),
        dbHtml: await html(before),
        html: await html(after),
      });
    await before.stop();
    await after.stop();
  } else {
    // PGlite: one process owns the data directory, so before, then after.
    const bare = await run(floor.url, () => '/ping');
    const before = await start({ PUBLIC_RESOLVER_RUNS: '0' });
    await run(before.url, () => `/api/v1/public/trace/${random()}`, 3);
    const dbJson = await json(before);
    const dbHtml = await html(before);
    await before.stop();
    const after = await afterStart();
    rounds.push({ bare, dbJson, dbHtml, json: await json(after), html: await html(after) });
    await after.stop();
  }
  await floor.stop();
  await admin?.end();
  const flushes = lite || process.env.BENCH_SKIP_FLUSH ? {} : await flushCost(url, count);
  const med = (xs: number[]) => quantile(xs, 0.5);
  const span = (xs: number[], digits = 2) =>
    `${med(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
  const of = (k: 'bare' | 'dbJson' | 'dbHtml' | 'json' | 'html') => ({
    rps: span(
      rounds.map((r) => r[k].rps),
      0,
    ),
    p99: span(
      rounds.map((r) => r[k].p99),
      0,
    ),
    ratio: span(rounds.map((r) => r[k].rps / r.bare.rps)),
  });
  const [bare, dbJ, dbH, aJ, aH] = (['bare', 'dbJson', 'dbHtml', 'json', 'html'] as const).map(of);
  return {
    database: lite ? 'PGlite' : 'PostgreSQL',
    'codes stored': count,
    'generate rows (s, 0 = reused)': seeded.seconds,
    'projections built (batches)': projections,
    'projection warm-up (s)': warmS,
    'resolver loaded (start to ready, s)': loaded ? loadS : 'not ready',
    'resolver load line': loadLine.slice(0, 200),
    rounds: rounds.length,
    'figures below': 'median (min–max) over the rounds',
    'bare Fastify route (req/s)': bare.rps,
    'bare p99 (ms)': bare.p99,
    'before (database path): JSON req/s': dbJ.rps,
    'before: JSON p99 (ms)': dbJ.p99,
    'before: ratio JSON / bare': dbJ.ratio,
    'before: HTML req/s': dbH.rps,
    'before: HTML p99 (ms)': dbH.p99,
    'before: ratio HTML / bare': dbH.ratio,
    'after (resolver): JSON getPublicTrace req/s': aJ.rps,
    'after: JSON p99 (ms)': aJ.p99,
    'after: ratio JSON / bare': aJ.ratio,
    'after: HTML /t/{code} req/s': aH.rps,
    'after: HTML p99 (ms)': aH.p99,
    'after: ratio HTML / bare': aH.ratio,
    'HTML page size (bytes)': Buffer.byteLength(page),
    'JSON answers 4xx (never issued, mistyped: share)':
      rounds.reduce((n, r) => n + r.json.notFound, 0) /
      Math.max(
        1,
        rounds.reduce((n, r) => n + r.json.total, 0),
      ),
    errors: rounds.reduce(
      (n, r) => n + r.bare.errors + r.dbJson.errors + r.dbHtml.errors + r.json.errors + r.html.errors,
      0,
    ),
    ...flushes,
  };
}

const LOG_ROWS = Number(process.env.BENCH_QUERYLOG_ROWS ?? 2_500_000);
const FLUSH_ROWS = 1000;
const FLUSHES = 30;
const NETS = 100_000;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

/**
 * Flush cost at two sizes of the query log. The log is filled set-based with a realistic scan mix: 80% of scans on a
 * Zipf-like hot set of 200,000 codes, 20% uniform over all codes; nine codes in ten are scanned from a few networks
 * of their own (a shop, a household: never flagged), one in ten from anywhere (flagged), over the last 6 days. The
 * signal's tables are then rebuilt from the log as the flushes would have left them (networks per code, verdicts).
 * Each measured flush writes 1,000 new scans of the same mix through the real QueryLog.
 */
async function flushCost(url: string, codes: number) {
  // Statement times by part: writing the log rows; the upkeep every flush does (per-code counts, networks, the
  // windowed count of codes to evaluate, verdicts); raising signals (owner look-ups, batch allowances, notifications).
  const spent = { write: 0, upkeep: 0, raise: 0 };
  const partOf = (text: string) => {
    if (/^\s*INSERT INTO query_log /.test(text)) return 'write';
    if (/^\s*(INSERT INTO query_(count|net)|WITH v AS|SELECT q\.code_kind|UPDATE query_count q)/.test(text))
      return 'upkeep';
    return 'raise';
  };
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
    log: (e) => {
      if (e.level === 'query') spent[partOf(e.query.sql)] += e.queryDurationMillis;
    },
  });
  const cfg = { ...loadConfig({ LOAD_VILLAGES: 'false' }).publicTrace, logFlushMs: 3_600_000, logFlushRows: 1e9 };
  const log = new QueryLog(db, cfg, { error: () => {} });
  const subject = (await sql<{ id: string }>`SELECT id FROM subject WHERE dedup_key = 'CBENCH'`.execute(db)).rows[0].id;
  const hot = Math.min(codes, 200_000);
  await sql`TRUNCATE query_log, query_count, query_net`.execute(db);
  await sql`DELETE FROM notification WHERE kind = 'counterfeit_signal'`.execute(db);

  const netId = (serial: number) =>
    serial % 10 === 0 ? Math.floor(Math.random() * NETS) : (serial * 31 + Math.floor(Math.random() * 6)) % NETS;
  const ipOf = (x: number) => `${10 + (x >> 16)}.${(x >> 8) & 255}.${x & 255}.7`;
  const scanRow = (): QueryRow => {
    const serial =
      Math.random() < 0.8 ? 1 + Math.floor(hot * Math.random() ** 3) : 1 + Math.floor(Math.random() * codes);
    return {
      at: new Date(),
      code: shortCode({ kind: 'production', platform: '000000', serial }),
      kind: 1,
      serial,
      result: 'active',
      channel: 'html',
      viewer: 'consumer',
      actorId: null,
      subjectId: subject,
      divisionCode: '440117103',
      ip: ipOf(netId(serial)),
      userAgent: 'Mozilla/5.0 (Linux; Android 14) bench',
      latitude: null,
      longitude: null,
    };
  };

  async function fillTo(rows: number) {
    const have = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM query_log`.execute(db)).rows[0].n);
    for (let done = have; done < rows; done += 500_000) {
      const n = Math.min(500_000, rows - done);
      await sql`
        INSERT INTO query_log (at, code, code_kind, code_serial, result, channel, viewer, subject_id, division_code, client_ip, client_net, user_agent)
        SELECT now() - random() * interval '6 days', 'bench' || s, 1, s, 'active', 'html', 'consumer', ${subject}::uuid, '440117103',
               format('%s.%s.%s.7', 10 + (x >> 16), (x >> 8) & 255, x & 255), format('%s.%s.%s.0/24', 10 + (x >> 16), (x >> 8) & 255, x & 255),
               'Mozilla/5.0 (Linux; Android 14) bench'
        FROM (SELECT s, CASE WHEN s % 10 = 0 THEN floor(random() * ${NETS})::int ELSE ((s * 31 + floor(random() * 6)::int) % ${NETS})::int END AS x
              FROM (SELECT CASE WHEN random() < 0.8 THEN 1 + floor(${hot} * random() ^ 3)::bigint
                                ELSE 1 + floor(random() * ${codes})::bigint END AS s
                    FROM generate_series(1, ${n})) a) b`.execute(db);
    }
    // What the flushes would have left: the networks per code and the verdicts (flagged codes are never re-checked).
    await sql`TRUNCATE query_count, query_net`.execute(db);
    await sql`INSERT INTO query_net (code_kind, code_serial, client_net, last_at)
              SELECT code_kind, code_serial, client_net, max(at) FROM query_log WHERE at > now() - interval '7 days' GROUP BY 1, 2, 3`.execute(
      db,
    );
    await sql`
      INSERT INTO query_count (code_kind, code_serial, subject_id, n, first_at, last_at, places_flagged_at, scans_flagged_at, scans_allowed, scans_checked_at)
      SELECT l.code_kind, l.code_serial, ${subject}::uuid, l.n, l.first_at, l.last_at,
             CASE WHEN q.nets >= ${cfg.alertNetworks} THEN now() END, CASE WHEN l.n > ${cfg.alertMinScans} THEN now() END, ${cfg.alertMinScans}, now()
      FROM (SELECT code_kind, code_serial, count(*) AS n, min(at) AS first_at, max(at) AS last_at FROM query_log GROUP BY 1, 2) l
      LEFT JOIN (SELECT code_kind, code_serial, count(*) AS nets FROM query_net GROUP BY 1, 2) q USING (code_kind, code_serial)`.execute(
      db,
    );
    await sql`DELETE FROM query_net n USING query_count c
              WHERE c.code_kind = n.code_kind AND c.code_serial = n.code_serial
                AND (c.places_flagged_at IS NOT NULL OR c.n < ${cfg.alertNetworks})`.execute(db);
    // Settle: no autovacuum of the fill running during the measurement.
    await sql`VACUUM (ANALYZE) query_log, query_count, query_net`.execute(db);
    await sql`CHECKPOINT`.execute(db);
  }

  /**
   * FLUSHES flushes of FLUSH_ROWS scans (after 3 unmeasured ones): the flush's time, its signal part (every statement
   * but the insert of the log rows), and the former re-count's.
   */
  async function measure() {
    const times: number[] = [];
    const upkeep: number[] = [];
    const write: number[] = [];
    const raised: number[] = [];
    const former: number[] = [];
    const signalsSent = async () =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM notification WHERE kind = 'counterfeit_signal'`.execute(db))
          .rows[0].n,
      );
    for (let f = 0; f < FLUSHES + 3; f++) {
      const rows = Array.from({ length: FLUSH_ROWS }, scanRow);
      for (const r of rows) log.push(r);
      spent.upkeep = 0;
      spent.write = 0;
      const sent = await signalsSent();
      const t0 = performance.now();
      await log.flush();
      const ms = performance.now() - t0;
      const upkeepMs = spent.upkeep;
      const writeMs = spent.write;
      const newSignals = (await signalsSent()) - sent;
      // The former signal: every code of the flush with ≥ alertNetworks scans and no "places" alert yet was
      // re-counted over 7 days of the log, one statement per code, after every flush.
      const serials = [...new Set(rows.map((r) => r.serial as number))];
      const recount = await sql<{ code_serial: string }>`
        SELECT code_serial FROM query_count WHERE code_kind = 1 AND code_serial = ANY(${serials}::bigint[])
          AND n >= ${cfg.alertNetworks} AND places_flagged_at IS NULL`.execute(db);
      const t1 = performance.now();
      for (const r of recount.rows)
        await sql`SELECT count(DISTINCT client_net) FROM query_log
                  WHERE code_kind = 1 AND code_serial = ${r.code_serial} AND at > now() - interval '7 days'`.execute(
          db,
        );
      if (f >= 3) {
        times.push(ms);
        upkeep.push(upkeepMs);
        write.push(writeMs);
        raised.push(newSignals);
        former.push(performance.now() - t1);
      }
    }
    return { times, upkeep, write, raised, former };
  }

  await fillTo(Math.round(LOG_ROWS / 10));
  const small = await measure();
  const smallRows = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM query_log`.execute(db)).rows[0].n);
  await fillTo(LOG_ROWS);
  const big = await measure();
  const bigRows = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM query_log`.execute(db)).rows[0].n);
  await log.close();
  await db.destroy();
  const med = (xs: number[]) => quantile(xs, 0.5);
  /** The ratio's range from the quartiles of both sides: low p25 / high p75 to high p75 / low p25. */
  const ratioRange = (a: number[], b: number[]) =>
    `${(quantile(a, 0.25) / quantile(b, 0.75)).toFixed(2)}–${(quantile(a, 0.75) / quantile(b, 0.25)).toFixed(2)}`;
  const spread = (xs: number[]) => `${quantile(xs, 0.1).toFixed(1)}–${quantile(xs, 0.9).toFixed(1)}`;
  return {
    [`flush of ${FLUSH_ROWS} scans, log ${smallRows} rows (ms, median)`]: med(small.times),
    [`flush, log ${smallRows} rows (ms, p10–p90)`]: spread(small.times),
    [`flush of ${FLUSH_ROWS} scans, log ${bigRows} rows (ms, median)`]: med(big.times),
    [`flush, log ${bigRows} rows (ms, p10–p90)`]: spread(big.times),
    'ratio flush big / small log (median)': med(big.times) / med(small.times),
    'ratio flush big / small log (range, p25/p75–p75/p25)': ratioRange(big.times, small.times),
    [`upkeep part of the flush, log ${smallRows} rows (ms, median)`]: med(small.upkeep),
    [`upkeep part, log ${smallRows} rows (ms, p10–p90)`]: spread(small.upkeep),
    [`upkeep part of the flush, log ${bigRows} rows (ms, median)`]: med(big.upkeep),
    [`upkeep part, log ${bigRows} rows (ms, p10–p90)`]: spread(big.upkeep),
    'ratio upkeep big / small log (median)': med(big.upkeep) / med(small.upkeep),
    'ratio upkeep big / small log (range, p25/p75–p75/p25)': ratioRange(big.upkeep, small.upkeep),
    [`floor: the insert of the log rows, log ${smallRows} rows (ms, median)`]: med(small.write),
    [`floor: the insert of the log rows, log ${bigRows} rows (ms, median)`]: med(big.write),
    'ratio floor big / small log (median)': med(big.write) / med(small.write),
    'ratio floor big / small log (range, p25/p75–p75/p25)': ratioRange(big.write, small.write),
    'signals raised per flush, small log (mean)': small.raised.reduce((a, b) => a + b, 0) / small.raised.length,
    'signals raised per flush, big log (mean)': big.raised.reduce((a, b) => a + b, 0) / big.raised.length,
    'former re-count per flush, small log (ms, median)': med(small.former),
    'former re-count per flush, big log (ms, median)': med(big.former),
    'ratio former re-count big / small log (median)': med(big.former) / Math.max(0.001, med(small.former)),
  };
}
