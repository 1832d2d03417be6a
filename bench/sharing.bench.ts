/**
 * Upward sharing figures (issue 14): a national and a provincial platform, each its own database (in-memory PGlite,
 * or two scratch PostgreSQL databases when BENCH_DATABASE_URL is set), the national one listening on 127.0.0.1 and
 * the province's delivery loop pushing to it over real HTTP, both in this process (so they share one event loop and,
 * on PGlite, the writer and the delivery loop take turns on the province's single connection).
 * - sync lag (origin commit, as the writer sees it return → the start of national's applying transaction) at a steady SHARING_RATE shared records per second (default 1,000,
 *   written as 10 records per transaction started every 10 ms through the `share()` seam, open loop: up to 32
 *   transactions in flight, as concurrent requests would be) for SHARING_SECONDS (default 10):
 *   p50, p99, max (goal p99 < 2 s);
 * - catch-up: SHARING_BACKLOG rows (default 20,000) written while the connection is suspended, then resumed: rows per
 *   second until the backlog is empty, as a ratio of the floor: the same rows inserted straight into national's
 *   `shared_record` by one INSERT per 500 rows in the same run; and the time an hour of backlog at the steady rate
 *   would take at the measured catch-up rate.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Database, connect } from '../src/kernel/db/connect.js';
import { deliveryDatabase, prepare } from '../src/platform.js';
import { share } from '../src/modules/sharing/share.js';
import { startSharing } from '../src/modules/sharing/worker.js';

const RATE = Number(process.env.SHARING_RATE ?? 1000);
const SECONDS = Number(process.env.SHARING_SECONDS ?? 10);
const BACKLOG = Number(process.env.SHARING_BACKLOG ?? 20_000);
const MAX_IN_FLIGHT = 32;
const quiet = {
  warn: (o: object, m: string) => {
    if (process.env.SHARING_BENCH_LOG) console.error(m, o);
  },
};

const scratch: string[] = [];
const PG_URL = process.env.BENCH_DATABASE_URL;

/** An in-memory PGlite, or a scratch PostgreSQL database (dropped at the end) when BENCH_DATABASE_URL is set. */
async function open(name: string): Promise<{ database: Database; url?: string }> {
  if (!PG_URL) return { database: await connect({ dataDir: 'memory://' }) };
  const db = `suyuan_bench_sharing_${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  scratch.push(db);
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  return { database: await connect({ databaseUrl: u.toString(), poolSize: 8 }), url: u.toString() };
}

async function dropScratch() {
  if (!PG_URL || !scratch.length) return;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const db of scratch.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}

async function platform(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suyuan-bench-sharing-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    LOAD_VILLAGES: 'false',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: 'Admin12345',
    ...env,
  });
  const { database, url } = await open(env.PLATFORM_REGION ? `p${env.PLATFORM_REGION}` : 'national');
  const app = await buildApp({ config, database, logger: false });
  await prepare(database, config, () => {});
  await app.ready();
  return { app, config, database, db: database.db, url };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

export default async function sharingBench(): Promise<Record<string, number | string>> {
  const national = await platform({ PLATFORM_TIER: 'national' });
  await national.app.listen({ port: 0, host: '127.0.0.1' });
  const nationalUrl = `http://127.0.0.1:${(national.app.server.address() as { port: number }).port}`;
  const gd = await platform({ PLATFORM_TIER: 'province', PLATFORM_REGION: '44', UPPER_PLATFORM_URL: nationalUrl });
  const login = async (t: typeof national) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: 'Admin12345' },
      })
    ).json().token as string;
  const [tn, tg] = [await login(national), await login(gd)];
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  await gd.app.inject({
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    headers: auth(tg),
    payload: { contactName: '压测', contactPhone: '13800138000' },
  });
  const conn = (
    await national.app.inject({ method: 'GET', url: '/api/v1/sharing/connections', headers: auth(tn) })
  ).json().items[0];
  const act = (action: string) =>
    national.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/connections/${conn.id}/actions`,
      headers: auth(tn),
      payload: { action },
    });
  await act('approve');
  let n = 0;
  /** When each record's transaction committed at the province (the start of its sync lag). */
  const committedAt = new Map<string, number>();
  const writeTx = async (k: number) => {
    const ids: string[] = [];
    await gd.db.transaction().execute(async (trx) => {
      for (let i = 0; i < k; i++) {
        const id = `bench-${++n}`;
        ids.push(id);
        await share(
          { db: trx, config: gd.config },
          'organisation',
          id,
          { name: `压测机构${n}`, kind: 'supervision' },
          '440117',
        );
      }
    });
    const t = Date.now();
    for (const id of ids) committedAt.set(id, t);
  };
  // As platform.ts does: on PostgreSQL the delivery loop has its own connections.
  const delivery = await deliveryDatabase(gd.database, { ...gd.config, databaseUrl: gd.url });
  const stopLoop = startSharing(delivery.db, gd.config, quiet);
  const stop = async () => {
    await stopLoop();
    if (delivery !== gd.database) await delivery.close();
  };
  await new Promise((r) => setTimeout(r, 2500)); // the first heartbeat learns the approval

  // Steady rate.
  const perTick = Math.max(1, Math.round(RATE / 100));
  const cpu0 = process.cpuUsage();
  const load0 = loadavg()[0];
  const t0 = Date.now();
  let ticks = 0;
  // Open loop, as requests arrive: a transaction starts every 10 ms whether or not the previous ones have committed
  // (at most MAX_IN_FLIGHT at once; beyond that the tick waits, and the achieved rate shows it).
  const inFlight = new Set<Promise<void>>();
  while (Date.now() - t0 < SECONDS * 1000) {
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const p: Promise<void> = writeTx(perTick).finally(() => inFlight.delete(p));
    inFlight.add(p);
    ticks++;
    const wait = t0 + ticks * 10 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(inFlight);
  const written = n;
  const achieved = written / ((Date.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (Date.now() - t0);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const c = await national.db
      .selectFrom('shared_record')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .executeTakeFirstOrThrow();
    if (Number(c.c) >= written) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Lag: origin commit → national's applying transaction (received_at is its now()).
  const lags = (
    await national.db
      .selectFrom('shared_record')
      .select(['record_id', sql<number>`extract(epoch from received_at) * 1000`.as('ms')])
      .execute()
  ).map((r) => Number(r.ms) - (committedAt.get(r.record_id) ?? Number.NaN));

  // Catch-up: a backlog written while the province suspended its own end (so its loop only heartbeats, and does not
  // back off as it would against a refusing upper platform), then resumed there.
  const upper = (await gd.app.inject({ method: 'GET', url: '/api/v1/sharing/connections', headers: auth(tg) })).json()
    .items[0];
  const actLower = (action: string) =>
    gd.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/connections/${upper.id}/actions`,
      headers: auth(tg),
      payload: { action },
    });
  await actLower('suspend');
  for (let i = 0; i < BACKLOG; i += 500) await writeTx(Math.min(500, BACKLOG - i));
  if (process.env.SHARING_BENCH_LOG) console.error('backlog written');
  const before = lags.length;
  await actLower('resume');
  const c0 = Date.now();
  let lastLog = c0;
  let caughtUp = false;
  for (;;) {
    const c = await national.db
      .selectFrom('shared_record')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .executeTakeFirstOrThrow();
    caughtUp = Number(c.c) >= before + BACKLOG;
    if (caughtUp) break;
    if (process.env.SHARING_BENCH_LOG && Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      const lower = (
        await gd.app.inject({ method: 'GET', url: '/api/v1/sharing/connections', headers: auth(tg) })
      ).json().items[0];
      console.error(
        `catch-up: ${Number(c.c) - before} delivered after ${lastLog - c0} ms; province end ${lower.status}`,
      );
    }
    if (Date.now() - c0 > 600_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const catchUp = BACKLOG / ((Date.now() - c0) / 1000);
  await stop();

  // Floor: the same number of rows straight into national's shared_record, 500 per INSERT.
  const f0 = Date.now();
  for (let i = 0; i < BACKLOG; i += 500) {
    const rows = Array.from({ length: Math.min(500, BACKLOG - i) }, (_, j) => ({
      origin_platform: 'floor',
      sender_platform: 'floor',
      sender_seq: i + j + 1,
      resource: 'organisation',
      record_id: `floor-${i + j}`,
      version: 1,
      division_code: '440117',
      catalog_version: 'builtin-1',
      content_hash: '0'.repeat(64),
      payload: JSON.stringify({ name: `floor${i + j}` }),
      origin_created_at: new Date(),
    }));
    await national.db.insertInto('shared_record').values(rows).execute();
  }
  const floor = BACKLOG / ((Date.now() - f0) / 1000);
  await gd.app.close();
  await national.app.close();
  await dropScratch(); // app.close() closed both databases
  return {
    database: PG_URL ? 'PostgreSQL (two scratch databases)' : 'PGlite (two in memory)',
    'machine load average (1 min) at start': load0,
    'CPU of this process during the steady phase (cores)': cpuShare,
    'steady rate asked (records/s)': RATE,
    'steady rate achieved (records/s)': achieved,
    'records delivered at steady rate': lags.length,
    'sync lag p50 (ms)': pct(lags, 50),
    'sync lag p99 (ms, goal < 2000)': pct(lags, 99),
    'sync lag max (ms)': Math.max(...lags),
    'catch-up backlog (rows)': BACKLOG,
    'catch-up finished (else the rate below is not a figure)': caughtUp ? 'yes' : 'NO: stopped after 600 s',
    'catch-up rate (rows/s)': catchUp,
    'floor: bare INSERT rate (rows/s)': floor,
    'catch-up / floor': catchUp / floor,
    'one hour of backlog at the steady rate would take (min)': (RATE * 3600) / catchUp / 60,
  };
}
