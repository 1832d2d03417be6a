/**
 * Public trace lookups under load (issue 6), on PostgreSQL with BENCH_CODES (default 10,000,000) codes stored:
 * JSON (`getPublicTrace`) and HTML (`/t/{code}`) requests per second at 64 connections, each request for a random
 * code among all of them, as a ratio of a bare Fastify route measured in the same run, with p99 latency.
 *
 * Needs a PostgreSQL server: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * Creates the database `suyuan_bench_public` (kept between runs: the 10M rows are generated once, set-based with
 * generate_series; BENCH_FRESH=1 recreates it).
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { shortCode } from '../src/kernel/codes.js';
import { withDatabase } from '../test/global-setup.js';
import { startFloor, startPlatform } from './lib.js';

const DB_NAME = 'suyuan_bench_public';
const CODES = Number(process.env.BENCH_CODES ?? 10_000_000);
const PER_BATCH = 10_000;
const CONNECTIONS = 64;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

async function run(url: string, path: (i: number) => string, duration = DURATION, amount?: number) {
  let i = 0;
  const r = await autocannon({
    url,
    connections: amount ? 8 : CONNECTIONS,
    ...(amount ? { amount } : { duration }),
    requests: [{ setupRequest: (req) => ({ ...req, path: path(i++) }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, total: r.requests.total };
}

async function seed(admin: pg.Client, url: string): Promise<{ seconds: number; created: boolean }> {
  const t0 = Date.now();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const have = await db.query(`SELECT coalesce(max(serial), 0) AS n FROM trace_code WHERE kind = 1`);
    if (Number(have.rows[0].n) >= CODES) return { seconds: 0, created: false };
    await db.query(`
      WITH o AS (INSERT INTO organisation (name, kind, division_code) VALUES ('压测合作社', 'producer', '440117') RETURNING id)
      INSERT INTO subject (org_id, name, org_form, subject_type, industries, cert_type, cert_no, dedup_key, legal_person_name, contact_name, contact_phone, address, division_code, status, approved_at)
      SELECT id, '从化区压测果蔬合作社', 'cooperative', 'production', '{planting}', 'credit_code', 'BENCH', 'CBENCH', '甲', '甲', '13800000000', '从化区', '440117103', 'approved', now() FROM o`);
    await db.query(`INSERT INTO product (subject_id, division_code, name, industry, certifications) SELECT id, '440117103', '豇豆', 'planting', '[{"type":"green","number":"LB-1"}]' FROM subject WHERE dedup_key = 'CBENCH'`);
    await db.query(`INSERT INTO base (subject_id, division_code, name) SELECT id, '440117103', '压测基地' FROM subject WHERE dedup_key = 'CBENCH'`);
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
  } finally {
    await db.end();
  }
  void admin;
  return { seconds: (Date.now() - t0) / 1000, created: true };
}

export default async function publicBench() {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  if (process.env.BENCH_FRESH) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
  if (!exists.rows.length) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  const url = withDatabase(base, DB_NAME);

  // The platform migrates the database on start; then the rows are generated.
  const env = { DATABASE_URL: url, PUBLIC_RATE_LIMIT: '100000000', LOG_LEVEL: 'warn' };
  let server = await startPlatform(env);
  const seeded = await seed(admin, url);
  const stored = await admin.query(`SELECT count(*) AS n FROM trace_code`).catch(() => null);
  void stored;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const count = Number((await db.query('SELECT count(*) AS n FROM trace_code WHERE kind = 1')).rows[0].n);
  // Precompute the projections (what the platform does lazily on first read): one read per batch.
  const batches = Math.ceil(count / PER_BATCH);
  const have = Number((await db.query('SELECT count(*) AS n FROM public_trace')).rows[0].n);
  const t0 = Date.now();
  if (have < batches) await run(server.url, (i) => `/api/v1/public/trace/${shortCode({ kind: 'production', platform: '000000', serial: (i % batches) * PER_BATCH + 1 })}`, 0, batches);
  const warmS = (Date.now() - t0) / 1000;
  const projections = Number((await db.query('SELECT count(*) AS n FROM public_trace')).rows[0].n);
  await db.end();
  await server.stop();
  server = await startPlatform(env);

  const random = () => shortCode({ kind: 'production', platform: '000000', serial: 1 + Math.floor(Math.random() * count) });
  const floor = await startFloor();
  await run(floor.url, () => '/ping', 3); // warm-up
  await run(server.url, () => `/api/v1/public/trace/${random()}`, 3);
  const bare = await run(floor.url, () => '/ping');
  const json = await run(server.url, () => `/api/v1/public/trace/${random()}`);
  const html = await run(server.url, () => `/t/${random()}`);
  const sample = await fetch(`${server.url}/t/${random()}`);
  const page = await sample.text();
  await floor.stop();
  await server.stop();
  await admin.end();
  return {
    'codes stored': count,
    'generate rows (s, 0 = reused)': seeded.seconds,
    'projections built (batches)': projections,
    'projection warm-up (s)': warmS,
    'bare Fastify route (req/s)': bare.rps,
    'bare p99 (ms)': bare.p99,
    'JSON getPublicTrace (req/s)': json.rps,
    'JSON p99 (ms)': json.p99,
    'ratio JSON / bare': json.rps / bare.rps,
    'HTML /t/{code} (req/s)': html.rps,
    'HTML p99 (ms)': html.p99,
    'ratio HTML / bare': html.rps / bare.rps,
    'HTML page size (bytes)': Buffer.byteLength(page),
    errors: bare.errors + json.errors + html.errors,
  };
}
