/**
 * National-scale data (issue 19 item 6): `npm run bench -- scale`. Fills a scratch PostgreSQL database with
 * producers, batches, trace codes and trace events, set-based (generate_series, one statement per million rows), in
 * two stages — a tenth of the target, then the target — and measures at each stage, in the same run:
 *  - the public lookup over HTTP (JSON `getPublicTrace`, the realistic mix of bench/public: uniform, hot, never
 *    issued, mistyped, wrong length; 64 connections, default log level) against a bare Fastify route; nothing is
 *    warmed, so most uniform lookups build their batch's projection (reads of batch, codes and events); and the hot
 *    set alone once its projections are built (what the in-process resolver answers from memory); then, as a live
 *    platform runs, every batch's document built ahead by the platform's builder (prebuild.ts; timed: batches per
 *    second) and the realistic mix again on a freshly started platform, whose first scans now read stored documents;
 *  - lineage of the same ~500-node graph (250 lots upstream of a hub, 250 downstream) over HTTP as a regulator, and
 *    the bare recursive query the endpoint runs (lineage/repo.traceSql), 16 in flight each;
 *  - storage: bytes per trace event and per trace code (pg_total_relation_size over every partition: heap, TOAST
 *    and indexes, divided by the rows), the database size, and the time each fill step took.
 * The figures that matter are the target stage's against the tenth's (goal: lookup and lineage within 20 %) and bytes
 * per event (goal ≤ 1 KB).
 *
 * Settings (environment): SCALE_CODES (default 1,000,000; the issue's national figure is 100,000,000),
 * SCALE_EVENTS (default 3 × codes), SCALE_PRODUCERS (default codes / 166, i.e. 600k at 100M), SCALE_CODES_PER_BATCH
 * (default 100), SCALE_SECONDS (seconds per measured side, default 8), SCALE_KEEP=1 keeps the database (default: it is
 * dropped at the end), SCALE_DB (default suyuan_scale), BENCH_DATABASE_URL or TEST_DATABASE_URL (the server; default
 * postgres://postgres@127.0.0.1:5432/postgres). The fill runs with session_replication_role = replica (no foreign-key
 * checks and no triggers: the generator writes consistent rows, and the public projection's triggers are for live
 * changes); the partitions are those the migration and the daily job make.
 */
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { hashPassword } from '../src/kernel/auth/crypto.js';
import { shortCode } from '../src/kernel/codes.js';
import { connect } from '../src/kernel/db/connect.js';
import { migrate } from '../src/kernel/db/migrate.js';
import { traceSql } from '../src/modules/lineage/repo.js';
import { buildDue } from '../src/modules/public/prebuild.js';
import { MAX_DEPTH } from '../src/modules/lineage/schemas.js';
import { ensureDivisions } from '../src/modules/regions/loader.js';
import { withDatabase } from '../test/global-setup.js';
import { startFloor, startPlatform } from './lib.js';
import { mixedCode } from './public.bench.js';

const CODES = Number(process.env.SCALE_CODES ?? 1_000_000);
const EVENTS = Number(process.env.SCALE_EVENTS ?? 3 * CODES);
const PRODUCERS = Number(process.env.SCALE_PRODUCERS ?? Math.max(100, Math.round(CODES / 166)));
const PER_BATCH = Number(process.env.SCALE_CODES_PER_BATCH ?? 100);
const SECONDS = Number(process.env.SCALE_SECONDS ?? 8);
const DB_NAME = process.env.SCALE_DB ?? 'suyuan_scale';
const STEP = 1_000_000;
const HOT = 10_000;
const hotCode = (serial: number) => shortCode({ kind: 'production', platform: '000000', serial });

type Client = pg.Client;
const log = (...a: unknown[]) => console.error(`[scale ${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Deterministic ids, so codes and events name their batch and owner without a join. */
const uid = (prefix: string, n: string) => `md5('${prefix}' || (${n}))::uuid`;

interface Counts {
  producers: number;
  batches: number;
  codes: number;
  events: number;
}

/** Fills up to the given counts (from what is there), in million-row statements; returns seconds per step. */
async function fill(c: Client, have: Counts, to: Counts): Promise<Record<string, number>> {
  const took: Record<string, number> = {};
  const timed = async (name: string, fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    took[name] = (took[name] ?? 0) + (performance.now() - t) / 1000;
  };
  await c.query('SET session_replication_role = replica');
  await c.query(`CREATE TABLE IF NOT EXISTS scale_town AS
    SELECT row_number() OVER (ORDER BY code) - 1 AS i, code FROM division WHERE level = 4`);
  const towns = Number((await c.query('SELECT count(*) AS n FROM scale_town')).rows[0].n);
  await timed('producers', async () => {
    for (let from = have.producers; from < to.producers; from += STEP) {
      const upto = Math.min(to.producers, from + STEP);
      const g = `generate_series(${from}, ${upto - 1}) g`;
      await c.query(`INSERT INTO organisation (id, name, kind, division_code)
        SELECT ${uid('o', 'g')}, '规模测试主体' || g, 'producer', t.code FROM ${g} JOIN scale_town t ON t.i = g % ${towns}`);
      await c.query(`INSERT INTO subject (id, org_id, name, org_form, subject_type, industries, cert_type, cert_no, dedup_key,
          legal_person_name, contact_name, contact_phone, address, division_code, status, approved_at, identity_code)
        SELECT ${uid('s', 'g')}, ${uid('o', 'g')}, '规模测试主体' || g, 'cooperative', 'production', '{planting}', 'credit_code',
          'SCALE' || g, 'SCALE' || g, '甲', '甲', '13800000000', '测试地址', t.code, 'approved', now(), 'SCALEID' || g
        FROM ${g} JOIN scale_town t ON t.i = g % ${towns}`);
      await c.query(`INSERT INTO product (id, subject_id, division_code, name, industry)
        SELECT ${uid('p', 'g')}, ${uid('s', 'g')}, t.code, '豇豆', 'planting' FROM ${g} JOIN scale_town t ON t.i = g % ${towns}`);
      await c.query(`INSERT INTO base (id, subject_id, division_code, name)
        SELECT ${uid('a', 'g')}, ${uid('s', 'g')}, t.code, '基地' FROM ${g} JOIN scale_town t ON t.i = g % ${towns}`);
    }
  });
  const P = to.producers;
  await timed('batches', async () => {
    for (let from = have.batches; from < to.batches; from += STEP) {
      const upto = Math.min(to.batches, from + STEP);
      await c.query(`INSERT INTO batch (id, subject_id, division_code, batch_no, product_id, base_id, quantity, unit, produced_at,
          self_check, stock, code_serial)
        SELECT ${uid('b', 'g')}, ${uid('s', `g % ${P}`)}, t.code, 'S' || g, ${uid('p', `g % ${P}`)}, ${uid('a', `g % ${P}`)},
          1000, 'kg', now() - make_interval(mins => g::int % 525600), 'pass', 1000, NULL
        FROM generate_series(${from}, ${upto - 1}) g JOIN scale_town t ON t.i = (g % ${P}) % ${towns}`);
    }
  });
  await timed('codes', async () => {
    for (let from = have.codes + 1; from <= to.codes; from += STEP) {
      const upto = Math.min(to.codes, from + STEP - 1);
      await c.query(`INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, issued_at, activated_at)
        SELECT 1, s, 'A', ${uid('s', `((s - 1) / ${PER_BATCH}) % ${P}`)}, ${uid('b', `(s - 1) / ${PER_BATCH}`)}, now(), now()
        FROM generate_series(${from}::bigint, ${upto}::bigint) s`);
    }
    await c.query(`UPDATE code_counter SET next = ${to.codes + 1} WHERE kind = 1`);
  });
  // Events: round-robin over the batches (a batch's events spread over the year, as real ones are); the first round is
  // each batch's commissioning, then shipping (a sale, with its parties and business transaction), receiving,
  // inspection and storage observations. Times advance with the id (record order), over one year up to now.
  const B = to.batches;
  await timed('events', async () => {
    for (let from = have.events; from < to.events; from += STEP) {
      const upto = Math.min(to.events, from + STEP);
      await c.query(`INSERT INTO trace_event (event_type, action, biz_step, stage, disposition, event_time, record_time, subject_id,
          division_code, read_point, batch_id, qty_delta, unit, source_subject_id, dest_subject_id, biz_tx, payload, actor_id)
        SELECT CASE WHEN k = 1 THEN 'transaction' ELSE 'object' END,
          CASE WHEN r = 0 THEN 'ADD' ELSE 'OBSERVE' END,
          CASE WHEN r = 0 THEN 'commissioning' ELSE (ARRAY['shipping', 'receiving', 'inspecting', 'storing'])[k + 1] END,
          CASE WHEN r = 0 THEN 'production' ELSE (ARRAY['transport', 'purchase', 'production', 'storage'])[k + 1] END,
          CASE WHEN r = 0 THEN 'active' ELSE (ARRAY['in_transit', 'in_progress', 'active', 'active'])[k + 1] END,
          ts, ts, ${uid('s', 'bi % ' + P)}, t.code, ${uid('a', 'bi % ' + P)}::text, ${uid('b', 'bi')},
          CASE WHEN k = 0 AND r > 0 THEN -1 ELSE 0 END, 'kg',
          CASE WHEN k = 0 AND r > 0 THEN ${uid('s', 'bi % ' + P)} END,
          CASE WHEN k = 0 AND r > 0 THEN ${uid('s', `(bi + 1) % ${P}`)} END,
          CASE WHEN k = 0 AND r > 0 THEN jsonb_build_array(jsonb_build_object('type', 'sale', 'id', ${uid('x', 'j')})) ELSE '[]' END,
          jsonb_build_object('scale', true, 'operator', '张三', 'note', '常温'), ${uid('u', 'bi % ' + P)}
        FROM (SELECT j, j % ${B} AS bi, j / ${B} AS r, (j / ${B}) % 4 AS k,
                     now() - make_interval(secs => (${to.events} - j) * (31536000.0 / ${to.events})) AS ts
              FROM generate_series(${from}::bigint, ${upto - 1}::bigint) j) e
        JOIN scale_town t ON t.i = (bi % ${P}) % ${towns}`);
      if ((upto / STEP) % 10 === 0) log(`events ${upto}`);
    }
  });
  await c.query('SET session_replication_role = origin');
  await timed('analyze', async () => {
    await c.query('VACUUM ANALYZE trace_code, trace_event, batch, subject');
  });
  return took;
}

/** The ~500-node lineage graph around a hub lot (as bench/chain builds it), made once at the first stage. */
async function lineageGraph(c: Client): Promise<string> {
  const hub = (await c.query(`SELECT ${uid('h', "'hub'")} AS id`)).rows[0].id as string;
  if ((await c.query('SELECT 1 FROM batch WHERE id = $1', [hub])).rows.length) return hub;
  await c.query(
    `INSERT INTO batch (id, subject_id, division_code, kind, batch_no, product_id, quantity, unit, produced_at, stock, status)
    VALUES ($1, ${uid('s', '0')}, '440117103', 'production', 'HUB', ${uid('p', '0')}, 100, 'kg', now(), 100, 'unsold')`,
    [hub],
  );
  for (const [tag, inward] of [
    ['U', true],
    ['D', false],
  ] as const) {
    await c.query('DROP TABLE IF EXISTS g');
    await c.query(
      `CREATE TEMP TABLE g AS SELECT i, CASE WHEN i = 0 THEN $1::uuid ELSE gen_random_uuid() END AS id
      FROM generate_series(0, 250) i`,
      [hub],
    );
    await c.query(`INSERT INTO batch (id, subject_id, division_code, kind, batch_no, product_id, quantity, unit, produced_at, stock, status)
      SELECT id, ${uid('s', '0')}, '440117103', 'circulation', '${tag}' || i, ${uid('p', '0')}, 100, 'kg', now(), 100, 'unsold' FROM g WHERE i > 0`);
    const ev =
      await c.query(`INSERT INTO trace_event (event_type, action, biz_step, stage, event_time, division_code, subject_id, payload)
      VALUES ('transaction', 'ADD', 'receiving', 'purchase', now(), '440117103', ${uid('s', '0')}, '{"bench": true}') RETURNING id`);
    const [from, to] = inward ? ['c.id', 'p.id'] : ['p.id', 'c.id'];
    await c.query(`INSERT INTO trace_edge (from_batch, to_batch, event_id, quantity, unit)
      SELECT ${from}, ${to}, ${ev.rows[0].id}, 10, 'kg' FROM g c JOIN g p ON p.i = (c.i - 1) / 4 WHERE c.i > 0`);
  }
  await c.query(
    `WITH o AS (INSERT INTO organisation (name, kind, division_code) VALUES ('规模测试监管', 'supervision', '44') RETURNING id)
    INSERT INTO account (username, display_name, org_id, roles, password_hash, must_change_password)
    SELECT 'scale_reg', '规模测试监管', id, '{supervisor}', $1, false FROM o`,
    [await hashPassword('Bench12345')],
  );
  await c.query('VACUUM ANALYZE trace_edge');
  return hub;
}

async function storage(c: Client) {
  const size = async (table: string) =>
    Number(
      (
        await c.query(
          `SELECT coalesce(sum(pg_total_relation_size(relid)), 0) AS b FROM pg_partition_tree($1::regclass)`,
          [table],
        )
      ).rows[0].b,
    );
  const rows = async (table: string) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const [eb, cb, en, cn] = [
    await size('trace_event'),
    await size('trace_code'),
    await rows('trace_event'),
    await rows('trace_code'),
  ];
  const db = Number((await c.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
  return {
    'trace_event rows': en,
    'trace_event bytes per event (heap + TOAST + indexes)': eb / en,
    'trace_code bytes per code': cb / cn,
    'database size (GB)': db / 1e9,
  };
}

/** The platform on the scale database (its own prebuild loop off: the bench builds ahead itself, timed), resolver loaded. */
async function platformOn(url: string) {
  const server = await startPlatform(
    {
      DATABASE_URL: url,
      PUBLIC_RATE_LIMIT: '100000000',
      LOG_LEVEL: 'info',
      LOAD_VILLAGES: 'false',
      PUBLIC_PREBUILD_MS: '0',
    },
    { timeoutMs: 900_000 },
  );
  const t0 = Date.now();
  while (!server.output().includes('public resolver ready') && Date.now() - t0 < 600_000)
    await new Promise((r) => setTimeout(r, 200));
  return { server, resolverS: (Date.now() - t0) / 1000 };
}

const lookup = async (u: string, path: () => string, seconds: number) => {
  const r = await autocannon({
    url: u,
    connections: 64,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: path() }) }],
  });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + (r['5xx'] ?? 0) };
};

/**
 * The steady state of a live platform (issue 19 item 6): every batch's public document built ahead of its first
 * scan (the fill writes with triggers off, so nothing was queued): all batches queued, then the platform's builder
 * (prebuild.ts `buildDue`) run until the queue is empty, timed. Then a freshly started platform (nothing in its
 * memory) takes the same realistic mix: first scans now read a stored document.
 */
async function prebuilt(url: string, codes: number) {
  const database = await connect({ databaseUrl: url, poolSize: 2 });
  let built = 0;
  let seconds = 0;
  try {
    await sql`INSERT INTO public_trace_due (batch_id)
              SELECT id FROM batch b WHERE NOT EXISTS (SELECT 1 FROM public_trace p WHERE p.batch_id = b.id)
              ON CONFLICT DO NOTHING`.execute(database.db);
    const t = performance.now();
    for (;;) {
      const r = await buildDue(database.db, { budgetMs: 60_000 });
      built += r.built;
      log(`built ahead: ${built} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
      if (!r.built && !r.failed) break;
    }
    seconds = (performance.now() - t) / 1000;
  } finally {
    await database.close();
  }
  const { server } = await platformOn(url);
  try {
    const floor = await startFloor();
    const code = () => `/api/v1/public/trace/${mixedCode(codes)}`;
    await lookup(floor.url, () => '/ping', 2);
    const bare = await lookup(floor.url, () => '/ping', SECONDS);
    const json = await lookup(server.url, code, SECONDS);
    await floor.stop();
    return {
      'documents built ahead (batches)': built,
      'documents built ahead (s)': seconds,
      'documents built ahead (per s)': built / Math.max(0.001, seconds),
      'built ahead: bare route (req/s)': bare.rps,
      'built ahead: public lookup, first scans (req/s)': json.rps,
      'built ahead: public lookup p99 (ms)': json.p99,
      'built ahead: public lookup 5xx / errors': json.errors,
      'built ahead: public lookup / bare route': json.rps / bare.rps,
    };
  } finally {
    await server.stop();
  }
}

async function measure(url: string, hub: string, codes: number) {
  const { server, resolverS } = await platformOn(url);
  try {
    const floor = await startFloor();
    const code = () => `/api/v1/public/trace/${mixedCode(codes)}`;
    await lookup(server.url, code, 3);
    await lookup(floor.url, () => '/ping', 2);
    const bare = await lookup(floor.url, () => '/ping', SECONDS);
    const json = await lookup(server.url, code, SECONDS);
    // Warm: the hot set (the first 10,000 codes, Zipf-like) once each of its batches' projections is built — the
    // lookup the resolver answers from memory, which should not depend on the table sizes at all.
    for (let b = 0; b < HOT / PER_BATCH; b++)
      await fetch(`${server.url}/api/v1/public/trace/${hotCode(b * PER_BATCH + 1)}`);
    const hot = () => `/api/v1/public/trace/${hotCode(1 + Math.floor(Math.min(codes, HOT) * Math.random() ** 3))}`;
    await lookup(server.url, hot, 2);
    const bare2 = await lookup(floor.url, () => '/ping', SECONDS);
    const warm = await lookup(server.url, hot, SECONDS);
    await floor.stop();
    // Lineage: the bare recursive query on a pool of 16, then the endpoint over HTTP with 16 connections.
    const database = await connect({ databaseUrl: url, poolSize: 16 });
    const bareOnce = (i: number) =>
      traceSql(i % 2 ? 'forward' : 'backward', hub, {
        maxDepth: MAX_DEPTH,
        limit: 500,
        offset: 0,
        sight: { scope: '44' },
      }).execute(database.db);
    const bareLoad = async (seconds: number) => {
      const lat: number[] = [];
      const until = performance.now() + seconds * 1000;
      let k = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (performance.now() < until) {
            const s = performance.now();
            await bareOnce(k++);
            lat.push(performance.now() - s);
          }
        }),
      );
      lat.sort((a, b) => a - b);
      return { rps: lat.length / seconds, p99: lat[Math.floor(0.99 * lat.length)] };
    };
    await bareLoad(1);
    const bareLineage = await bareLoad(SECONDS);
    await database.close();
    const token = await server.token('scale_reg', 'Bench12345');
    const paths = [`/api/v1/batches/${hub}/backward?pageSize=500`, `/api/v1/batches/${hub}/forward?pageSize=500`];
    const lin = async (seconds: number) => {
      const r = await autocannon({
        url: server.url,
        connections: 16,
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
        requests: paths.map((path) => ({ method: 'GET' as const, path })),
      });
      return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
    };
    await lin(1);
    const httpLineage = await lin(SECONDS);
    return {
      'resolver ready after start (s)': resolverS,
      'bare route (req/s)': bare.rps,
      'public lookup JSON (req/s)': json.rps,
      'public lookup p99 (ms)': json.p99,
      'public lookup 5xx / errors': json.errors,
      'public lookup / bare route': json.rps / bare.rps,
      'warm hot-set lookup (req/s)': warm.rps,
      'warm hot-set lookup p99 (ms)': warm.p99,
      'warm hot-set lookup / bare route': warm.rps / bare2.rps,
      'lineage bare query (q/s)': bareLineage.rps,
      'lineage bare query p99 (ms)': bareLineage.p99,
      'lineage HTTP (req/s)': httpLineage.rps,
      'lineage HTTP p99 (ms)': httpLineage.p99,
      'lineage HTTP errors': httpLineage.errors,
      'lineage HTTP / bare query': httpLineage.rps / bareLineage.rps,
    };
  } finally {
    await server.stop();
  }
}

export default async function scale() {
  const base =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  // SCALE_RESUME=1: continue filling a kept database (SCALE_KEEP=1 of an interrupted run) to the target and measure
  // the target stage only.
  const resume = !!process.env.SCALE_RESUME;
  if (!resume) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
  }
  const url = withDatabase(base, DB_NAME);
  const figures: Record<string, number | string> = {
    target: `${PRODUCERS} producers, ${Math.ceil(CODES / PER_BATCH)} batches, ${CODES} codes, ${EVENTS} events`,
  };
  try {
    if (!resume) {
      const database = await connect({ databaseUrl: url, poolSize: 2 });
      await migrate(database);
      await ensureDivisions(database);
      await database.close();
    }
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const stages: [string, number][] = resume
      ? [['target', 1]]
      : [
          ['tenth', 10],
          ['target', 1],
        ];
    let hub = '';
    let have: Counts = { producers: 0, batches: 0, codes: 0, events: 0 };
    if (resume) {
      const x = (
        await c.query(`SELECT (SELECT count(*) FROM subject WHERE dedup_key LIKE 'SCALE%')::bigint AS producers,
          (SELECT count(*) FROM batch WHERE batch_no LIKE 'S%')::bigint AS batches,
          (SELECT coalesce(max(serial), 0) FROM trace_code WHERE kind = 1)::bigint AS codes,
          (SELECT count(*) FROM trace_event WHERE payload ? 'scale')::bigint AS events`)
      ).rows[0];
      have = { producers: +x.producers, batches: +x.batches, codes: +x.codes, events: +x.events };
      log('resuming from', have);
    }
    for (const [name, div] of stages) {
      const to: Counts = {
        producers: Math.ceil(PRODUCERS / div),
        batches: Math.ceil(CODES / div / PER_BATCH),
        codes: Math.ceil(CODES / div),
        events: Math.ceil(EVENTS / div),
      };
      log(`stage ${name}: filling to`, to);
      const t = performance.now();
      const took = await fill(c, have, to);
      have = to;
      if (!hub) hub = await lineageGraph(c);
      figures[`${name}: fill (s)`] = (performance.now() - t) / 1000;
      for (const [k, v] of Object.entries(took)) figures[`${name}: fill ${k} (s)`] = v;
      for (const [k, v] of Object.entries(await storage(c))) figures[`${name}: ${k}`] = v;
      log(`stage ${name}: measuring`);
      for (const [k, v] of Object.entries(await measure(url, hub, to.codes))) figures[`${name}: ${k}`] = v;
      for (const [k, v] of Object.entries(await prebuilt(url, to.codes))) figures[`${name}: ${k}`] = v;
      log(`stage ${name}:`, figures);
    }
    await c.end();
    if (resume) return figures;
    const ratio = (k: string) => Number(figures[`target: ${k}`]) / Number(figures[`tenth: ${k}`]);
    figures['target / tenth: public lookup / bare route, nothing built (goal ≥ 0.8)'] =
      ratio('public lookup / bare route');
    figures['target / tenth: public lookup / bare route, documents built ahead (goal ≥ 0.8)'] = ratio(
      'built ahead: public lookup / bare route',
    );
    figures['target / tenth: warm hot-set lookup / bare route (goal ≥ 0.8)'] = ratio(
      'warm hot-set lookup / bare route',
    );
    figures['target / tenth: lineage bare query rate (goal ≥ 0.8)'] = ratio('lineage bare query (q/s)');
    figures['target / tenth: lineage HTTP rate (goal ≥ 0.8)'] = ratio('lineage HTTP (req/s)');
  } finally {
    if (!process.env.SCALE_KEEP) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  }
  return figures;
}
