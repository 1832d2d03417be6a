import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import type { Database } from '../src/kernel/db/connect.js';
import { lsnValue } from '../src/kernel/db/replica.js';
import { LSN_COOKIE } from '../src/kernel/http.js';
import { openDatabase, prepare } from '../src/platform.js';
import { ADMIN_PASSWORD, type TestApp, makeProducer } from './helpers.js';

/**
 * Issue 19 item 5: `DATABASE_READ_URL` sends public lookups, reports and exports to a streaming replica, and a
 * session that wrote reads its own writes. The test makes its own primary (initdb, on a free loopback port) and a
 * real streaming replica of it (`pg_basebackup -R`), both under a temporary directory, as the `postgres` OS user when
 * run as root (initdb refuses root), and stops both at the end, also when a test fails. Replay on the replica is
 * paused (`pg_wal_replay_pause()`) to make "served by the replica" visible: what was written after the pause is
 * missing there and present on the primary.
 */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const HAVE_BINARIES = ['initdb', 'pg_ctl', 'pg_basebackup'].every((b) => existsSync(path.join(BIN, b)));
/**
 * The primary and replica this test makes are its own clusters, whatever the suite's database: it runs in the
 * PostgreSQL phase (TEST_DATABASE_URL) only, not a second time identically in the PGlite phase.
 */
const IN_POSTGRES_PHASE = !!process.env.TEST_DATABASE_URL;
const AS_POSTGRES = process.getuid?.() === 0;
/** The apps' lag bound (ample: the checks that expect the paused replica must run within it on a loaded machine)… */
const MAX_LAG_MS = 10_000;
/** …and the one of the app that shows what happens beyond it. */
const SHORT_LAG_MS = 1500;

/** A PostgreSQL program, as the `postgres` OS user when run as root. */
function command(cmd: string, args: string[]): [string, string[]] {
  const bin = path.join(BIN, cmd);
  return AS_POSTGRES ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}
function run(cmd: string, args: string[]) {
  const [file, argv] = command(cmd, args);
  return execFileSync(file, argv, { encoding: 'utf8', stdio: 'pipe', timeout: 30_000 });
}
const runAsync = (cmd: string, args: string[]) => promisify(execFile)(...command(cmd, args), { timeout: 30_000 });
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
async function until(done: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  for (const end = Date.now() + ms; !(await done()); await new Promise((r) => setTimeout(r, 50)))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe('DATABASE_READ_URL: configuration', () => {
  it('needs PostgreSQL: refused with the embedded database, and must be a postgres:// URL', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://127.0.0.1:5433/x' })).toThrow(
      /DATABASE_READ_URL needs PostgreSQL \(DATABASE_URL\)/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://a/b', DATABASE_READ_URL: 'mysql://x' })).toThrow(
      /postgres:\/\//,
    );
    const c = loadConfig({ DATABASE_URL: 'postgres://a/b', DATABASE_READ_URL: 'postgres://c/d' });
    expect(c.databaseReadUrl).toBe('postgres://c/d');
    expect(c.readReplicaMaxLagMs).toBe(10_000);
    expect(loadConfig({}).databaseReadUrl).toBeUndefined();
  });
});

describe.skipIf(!HAVE_BINARIES || !IN_POSTGRES_PHASE)(
  `a real streaming replica (pg_basebackup) on loopback${HAVE_BINARIES ? '' : ` — skipped: no PostgreSQL binaries in ${BIN} (set PG_BIN)`}${IN_POSTGRES_PHASE ? '' : ' — runs with TEST_DATABASE_URL'}`,
  () => {
    let dir = '';
    const started: string[] = [];
    const stopAll = () => {
      for (const d of started.splice(0).reverse())
        try {
          run('pg_ctl', ['-D', d, '-m', 'immediate', 'stop']);
        } catch {}
    };
    let primaryUrl = '';
    let replicaUrl = '';
    let config: Config;
    let database: Database;
    let app: FastifyInstance;
    let app2: FastifyInstance;
    let database2: Database;
    let app3: FastifyInstance | undefined;
    let replicaSql: pg.Client;
    const logged: { level: string; msg: string; reason?: string }[] = [];
    let t: TestApp;
    let admin: string;
    let farmer: string;
    let productId: string;
    let baseId: string;

    const req = (a: FastifyInstance, token: string | null, opts: InjectOptions) =>
      a.inject({
        ...opts,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.headers ?? {}) },
      });
    const trace = (token: string | null, code: string, a = app, headers: Record<string, string> = {}) =>
      req(a, token, { method: 'GET', url: `/api/v1/public/trace/${code}`, headers });
    const codesOnDashboard = async (token: string) => {
      const r = await req(app, token, { method: 'GET', url: '/api/v1/dashboard' });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().totals.codes as number;
    };
    const newBatch = async () => {
      const r = await req(app, farmer, {
        method: 'POST',
        url: '/api/v1/batches',
        payload: { productId, baseId, quantity: 100, producedAt: new Date().toISOString(), selfCheck: 'pass' },
      });
      expect(r.statusCode, r.body).toBe(201);
      return { id: r.json().id as string, code: r.json().code as string, cookie: r.cookies };
    };
    const pauseReplay = async () => {
      await replicaSql.query('SELECT pg_wal_replay_pause()');
    };
    const resumeReplay = async () => {
      await replicaSql.query('SELECT pg_wal_replay_resume()');
    };
    const replayedAtLeast = (lsn: string) => async () => {
      const r = await replicaSql.query<{ lsn: string }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
      return (lsnValue(r.rows[0].lsn) ?? 0n) >= (lsnValue(lsn) ?? 0n);
    };

    beforeAll(async () => {
      process.once('exit', stopAll);
      dir = mkdtempSync(path.join(tmpdir(), 'suyuan-replica-'));
      if (AS_POSTGRES) {
        const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
        chownSync(dir, uid, -1);
      }
      const [p, r] = [await freePort(), await freePort()];
      const opts = (port: number) =>
        `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off`;
      run('initdb', ['-D', `${dir}/primary`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N']);
      run('pg_ctl', [
        '-D',
        `${dir}/primary`,
        '-o',
        `${opts(p)} -c wal_level=replica -c max_wal_senders=4`,
        '-w',
        '-l',
        `${dir}/primary.log`,
        'start',
      ]);
      started.push(`${dir}/primary`);
      // The standby: a base backup of the running primary with its standby.signal and primary_conninfo (-R), taken
      // while the schema is migrated on the primary (what the backup misses streams over once the standby runs).
      const backup = runAsync('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(p),
        '-U',
        'postgres',
        '-D',
        `${dir}/replica`,
        '-R',
        '--checkpoint=fast',
        '--no-sync',
      ]);
      primaryUrl = `postgres://postgres@127.0.0.1:${p}/postgres`;
      replicaUrl = `postgres://postgres@127.0.0.1:${r}/postgres`;
      config = loadConfig({
        DATABASE_URL: primaryUrl,
        DATABASE_READ_URL: replicaUrl,
        DATABASE_READ_MAX_LAG_MS: String(MAX_LAG_MS),
        // Every lookup takes the database path (the resolver's memory follows the primary; docs/public.md).
        PUBLIC_RESOLVER_RUNS: '0',
        PUBLIC_RATE_LIMIT: '100000',
        LOG_LEVEL: 'silent',
        LOAD_VILLAGES: 'false',
        ADMIN_PASSWORD,
        DATA_DIR: dir,
      });
      database = await openDatabase(config);
      await prepare(database, config, () => {});
      await backup;
      run('pg_ctl', ['-D', `${dir}/replica`, '-o', opts(r), '-w', '-l', `${dir}/replica.log`, 'start']);
      started.push(`${dir}/replica`);
      replicaSql = new pg.Client({ connectionString: replicaUrl });
      replicaSql.on('error', () => {}); // stopped on purpose in the last test
      await replicaSql.connect();
      app = await buildApp({ config, database, logger: process.env.DEBUG_REPLICA ? { level: 'error' } : false });
      await app.ready();
      // Another app process (another WORKER): its own pools, polls and memory; only the cookie links the two.
      database2 = await openDatabase(config);
      app2 = await buildApp({ config, database: database2, logger: false });
      await app2.ready();
      await until(
        () => !!database.replica?.stats().usable && !!database2.replica?.stats().usable,
        'the replica to be usable',
      );

      t = {
        app,
        database,
        req: (token, o) => req(app, token, o),
        async login(username, password = ADMIN_PASSWORD) {
          const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
          if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
          return res.json().token as string;
        },
        close: async () => {},
      };
      admin = await t.login('admin');
      farmer = (await makeProducer(t, { username: 'replica_farmer', name: '副本合作社', divisionCode: '440117' }))
        .token;
      const product = await req(app, farmer, {
        method: 'POST',
        url: '/api/v1/products',
        payload: { name: '豇豆', industry: 'planting' },
      });
      expect(product.statusCode, product.body).toBe(201);
      productId = product.json().id;
      const base = await req(app, farmer, {
        method: 'POST',
        url: '/api/v1/bases',
        payload: { name: '一号基地', divisionCode: '440117103', method: 'open_field' },
      });
      expect(base.statusCode, base.body).toBe(201);
      baseId = base.json().id;
    }, 60_000);

    afterAll(async () => {
      await replicaSql?.end().catch(() => {});
      await app3?.close().catch(() => {});
      await app2?.close().catch(() => {});
      await app?.close().catch(() => {});
      stopAll();
      process.off('exit', stopAll);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('the replica is a streaming standby and the app reads from it; no write gets through a read handle', async () => {
      expect((await replicaSql.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
      const { code } = await newBatch();
      await until(async () => (await trace(null, code)).statusCode === 200, 'the batch to reach the replica');
      const backends = await replicaSql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'suyuan-read'",
      );
      expect(backends.rows[0].n).toBeGreaterThan(0);
      const onReplica = database.read(null);
      expect(onReplica.replica).toBe(true);
      await expect(sql`CREATE TABLE sneaky (x int)`.execute(onReplica.db)).rejects.toThrow(/read-only/);
      // A session whose write the replica has not replayed reads the primary — read-only too.
      const onPrimary = database.read(lsnValue('FFFFFFFF/0'));
      expect(onPrimary.replica).toBe(false);
      await expect(sql`CREATE TABLE sneaky (x int)`.execute(onPrimary.db)).rejects.toThrow(/read-only/);
      expect((await sql<{ n: number }>`SELECT 1 AS n`.execute(onPrimary.db)).rows[0].n).toBe(1);
    });

    it('lookups, reports and exports are served by the replica; the writer reads its own writes at once', async () => {
      const codesBefore = await codesOnDashboard(admin);
      await pauseReplay();
      const { id, code, cookie } = await newBatch();
      const lsn = cookie.find((c) => c.name === LSN_COOKIE)?.value ?? '';
      expect(lsnValue(lsn), 'the write answers with the commit position').not.toBeNull();

      // Anyone else: the replica, which has not replayed the new batch (first, well within the lag bound).
      expect((await trace(null, code)).json().status).toBe('unknown');
      expect((await req(app, null, { method: 'GET', url: `/t/${code}` })).statusCode).toBe(404);
      expect((await trace(null, code, app2)).json().status).toBe('unknown');
      expect(await codesOnDashboard(admin)).toBe(codesBefore);
      const adminExport = await req(app, admin, { method: 'GET', url: `/api/v1/batches/${id}/lineage.xlsx` });
      expect(adminExport.statusCode).toBe(404);
      expect(database.replica?.stats().usable, 'still within the lag bound').toBe(true);

      // The writer (API token: remembered in this process): the primary.
      expect((await trace(farmer, code)).json().status).toBe('active');
      const own = await req(app, farmer, { method: 'GET', url: `/api/v1/batches/${id}/lineage.xlsx` });
      expect(own.statusCode, own.body).toBe(200);
      // The writer's browser in another process: the cookie carries the position there.
      expect((await trace(null, code, app2, { cookie: `${LSN_COOKIE}=${lsn}` })).json().status).toBe('active');

      // The administrator writes something (anything): from then on, its own reads are as fresh as the primary.
      const org = await req(app, admin, {
        method: 'POST',
        url: '/api/v1/organisations',
        payload: { name: '副本测试监管站', kind: 'supervision', divisionCode: '440117' },
      });
      expect(org.statusCode, org.body).toBe(201);
      expect(await codesOnDashboard(admin)).toBe(codesBefore + 1);
      const last = (await database.replica?.primaryLsn()) ?? '';

      // Replay resumes: once the replica has the write, everyone reads it there, the writer included.
      await resumeReplay();
      await until(replayedAtLeast(last), 'the replica to replay the writes');
      await database.replica?.polled();
      await database2.replica?.polled();
      const before = database.replica?.stats().reads.replica ?? 0;
      expect((await trace(null, code)).json().status).toBe('active');
      expect((await trace(farmer, code)).json().status).toBe('active');
      expect((await req(app, admin, { method: 'GET', url: `/api/v1/batches/${id}/lineage.xlsx` })).statusCode).toBe(
        200,
      );
      expect((database.replica?.stats().reads.replica ?? 0) - before).toBe(3);
      expect((await trace(null, code, app2, { cookie: `${LSN_COOKIE}=${lsn}` })).json().status).toBe('active');
    });

    it('a trace and the whole graph are read and recorded on the primary, by one statement', async () => {
      await pauseReplay();
      try {
        // A batch the replica has not replayed: the traces find it, so they read the primary, and their query
        // records (written by the lineage statement itself) are there too.
        const { id } = await newBatch();
        for (const url of [`/api/v1/batches/${id}/backward`, `/api/v1/batches/${id}/graph`]) {
          const r = await req(app, admin, { method: 'GET', url });
          expect(r.statusCode, r.body).toBe(200);
          expect(r.json().nodes.map((n: { batchId: string }) => n.batchId)).toEqual([id]);
        }
        const rows = await database.db
          .selectFrom('audit_log')
          .select(['verb', 'summary', 'actor_name'])
          .where('target_id', '=', id)
          .where('verb', 'like', 'lineage.%')
          .orderBy('id')
          .execute();
        expect(rows.map((r) => `${r.verb}:${(r.summary as { action: string }).action}:${r.actor_name}`)).toEqual([
          'lineage.read:traceBackward:admin',
          'lineage.graph:viewGraph:admin',
        ]);
      } finally {
        await resumeReplay();
      }
    });

    it('beyond the lag bound, and with the replica down, reads go to the primary (logged once each)', async () => {
      // A process whose bound is 1.5 s; the replica's transitions as it logs them.
      const database3 = await openDatabase({ ...config, readReplicaMaxLagMs: SHORT_LAG_MS });
      app3 = await buildApp({
        config: { ...config, readReplicaMaxLagMs: SHORT_LAG_MS },
        database: database3,
        logger: false,
      });
      await app3.ready();
      const replica = database3.replica;
      if (!replica) throw new Error('no replica');
      const collect = (level: string) => (o: object, msg: string) =>
        logged.push({ level, msg, reason: (o as { reason?: string }).reason });
      replica.log = { info: collect('info'), warn: collect('warn') };
      await until(() => replica.stats().usable, 'the replica to be usable');
      logged.length = 0;

      await pauseReplay();
      const { code } = await newBatch();
      await until(() => replica.stats().usable === false, 'the lag bound to be passed');
      expect((await trace(null, code, app3)).json().status).toBe('active');
      await resumeReplay();
      await until(() => replica.stats().usable === true, 'the replica to catch up');
      expect(logged.map((l) => [l.level, l.msg])).toEqual([
        ['warn', 'read replica not used: reads go to the primary'],
        ['info', 'read replica in use'],
      ]);
      expect(logged[0].reason).toBe(`replication lag above ${SHORT_LAG_MS} ms`);

      logged.length = 0;
      run('pg_ctl', ['-D', `${dir}/replica`, '-m', 'fast', 'stop']);
      started.splice(started.indexOf(`${dir}/replica`), 1);
      for (let i = 0; i < 5; i++) {
        expect((await trace(null, code, app3)).statusCode).toBe(200);
        expect((await req(app3, admin, { method: 'GET', url: '/api/v1/dashboard' })).statusCode).toBe(200);
      }
      await until(() => replica.stats().usable === false, 'the replica to be noticed gone');
      expect(logged.filter((l) => l.level === 'warn')).toHaveLength(1);
      const fallback = database3.read(null);
      expect(fallback.replica).toBe(false);
      await expect(sql`CREATE TABLE sneaky (x int)`.execute(fallback.db)).rejects.toThrow(/read-only/);
    });
  },
);
