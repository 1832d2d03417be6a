import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { withDatabase } from './global-setup.js';
import { type Server, startServer } from './server.js';

/**
 * Issue 19 item 5 (scale out on existing engines): WORKERS HTTP processes over one PostgreSQL, per-client limits
 * shared through the real Redis server (REDIS_URL). A PostgreSQL-only feature: the processes run in the PostgreSQL
 * test phase (TEST_DATABASE_URL), on a copy of the run's migrated template database.
 */
const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPLATE = inject('pgTemplate');
const REDIS = 'redis://127.0.0.1:6379/7';
const DB = `suyuan_scale_${process.pid}`;
const LIMIT = 20;

/** GET on a new connection each time (no keep-alive), so node:cluster hands requests to different workers. */
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}
async function until(done: () => boolean, what: string, ms = 240_000) {
  for (const end = Date.now() + ms; !done(); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}
const workerPids = (primary: number) =>
  execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(primary)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, comm]) => pid && comm === 'node')
    .map(([pid]) => Number(pid));

describe('WORKERS: configuration', () => {
  it('more than one process needs PostgreSQL; `auto` is one per core', () => {
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/WORKERS above 1 needs PostgreSQL/);
    expect(() => loadConfig({ WORKERS: '0' })).toThrow(/at least 1/);
    expect(() => loadConfig({ WORKERS: 'two', DATABASE_URL: PG })).toThrow(/WORKERS must be a non-negative integer/);
    expect(loadConfig({ WORKERS: '3', DATABASE_URL: PG }).workers).toBe(3);
    expect(loadConfig({ WORKERS: 'auto', DATABASE_URL: PG }).workers).toBeGreaterThanOrEqual(1);
    expect(loadConfig({}).workers).toBe(1);
  });
});

describe.skipIf(!TEMPLATE)('WORKERS=2 over PostgreSQL with REDIS_URL', () => {
  let server: Server;
  let admin: pg.Client;
  const redis = new Redis(REDIS);
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.query(`CREATE DATABASE ${DB} TEMPLATE ${TEMPLATE}`);
    await redis.flushdb();
    server = await startServer(
      { DATABASE_URL: withDatabase(PG, DB), WORKERS: '2', REDIS_URL: REDIS, PUBLIC_RATE_LIMIT: String(LIMIT) },
      { timeoutMs: 240_000 },
    );
    // Healthy means one worker listens; the banner is printed once both do.
    await until(() => server.output().includes('is running at'), 'both workers listening');
  });
  afterAll(async () => {
    await server?.stop();
    await redis.quit();
    await admin?.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin?.end();
  });

  it('the primary runs two HTTP workers that share the port', () => {
    expect(workerPids(server.child.pid as number)).toHaveLength(2);
  });

  it('a client is limited once across both workers: the counters live in Redis', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 10; i++) statuses.push(await get(`${server.url}/t/12345678901234567890`));
    // Each worker alone would let about LIMIT + 10 / 2 through; together they let exactly LIMIT through.
    expect(statuses.filter((s) => s !== 429)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT).every((s) => s === 429)).toBe(true);
    expect((await redis.keys('suyuan:rl:*')).length).toBeGreaterThan(0);
  });

  it('a worker that dies is replaced, and requests go on being answered', async () => {
    const [victim] = workerPids(server.child.pid as number);
    process.kill(victim, 'SIGKILL');
    // Once the primary has seen the death (it forks a replacement), the other worker answers while that one starts.
    await until(() => {
      const pids = workerPids(server.child.pid as number);
      return pids.length === 2 && !pids.includes(victim);
    }, 'a replacement worker');
    for (let i = 0; i < 4; i++) expect(await get(`${server.url}/api/health`)).toBe(200);
  });

  it('SIGTERM to the primary stops the workers and exits 0', async () => {
    const pids = workerPids(server.child.pid as number);
    expect(await server.stop()).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
