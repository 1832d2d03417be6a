import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { queryLogOf } from '../src/modules/public/log.js';
import { type TestApp, makeProducer, testApp, runJob } from './helpers.js';

// Issue 19 item 1: the counterfeit signal (one code scanned from many client networks in 7 days) is kept
// incrementally in `query_net` by the query-log flush, and the public lookups write no per-request access log.
let t: TestApp;
let producer: { token: string; subjectId: string; orgId: string };
const codes: { code: string; kind: number; serial: number }[] = [];

const scan = (code: string, ip: string) =>
  t.req(null, { method: 'GET', url: `/t/${code}`, headers: { 'x-forwarded-for': ip } });
const flush = () => queryLogOf(t.app).flush();
const signals = (code: string, reason: string) =>
  t.database.db
    .selectFrom('notification')
    .select(['recipient_org_id', 'body'])
    .where('kind', '=', 'counterfeit_signal')
    .where('link', '=', `/t/${code}#${reason}`)
    .execute();
/** What the old signal counted: distinct client networks of the code's last 7 days of query_log. */
const loggedNetworks = async (c: { kind: number; serial: number }) =>
  Number(
    (
      await sql<{ n: string }>`SELECT count(DISTINCT client_net) AS n FROM query_log
        WHERE code_kind = ${c.kind} AND code_serial = ${c.serial} AND at > now() - interval '7 days'`.execute(
        t.database.db,
      )
    ).rows[0].n,
  );
const trackedNetworks = async (c: { kind: number; serial: number }) =>
  Number(
    (
      await sql<{ n: string }>`SELECT count(*) AS n FROM query_net
        WHERE code_kind = ${c.kind} AND code_serial = ${c.serial} AND last_at > now() - interval '7 days'`.execute(
        t.database.db,
      )
    ).rows[0].n,
  );

beforeAll(async () => {
  t = await testApp({
    SCAN_ALERT_NETWORKS: '4',
    SCAN_ALERT_MIN_SCANS: '20',
    PUBLIC_RATE_LIMIT: '100000',
    TRUST_PROXY: '127.0.0.1',
  });
  producer = await makeProducer(t, { username: 'cf', name: '从化区防伪测试合作社', divisionCode: '440117103' });
  const post = async (url: string, payload: object) => {
    const r = await t.req(producer.token, { method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const product = await post('/api/v1/products', { name: '荔枝', industry: 'planting' });
  const base = await post('/api/v1/bases', { name: '荔枝基地', divisionCode: '440117103' });
  for (let i = 0; i < 4; i++) {
    const b = await post('/api/v1/batches', {
      productId: product.id,
      baseId: base.id,
      quantity: 100,
      producedAt: '2026-11-20T08:00:00+08:00',
      selfCheck: 'pass',
    });
    const c = await t.database.db
      .selectFrom('trace_code')
      .select(['kind', 'serial'])
      .where('batch_id', '=', b.id)
      .executeTakeFirstOrThrow();
    codes.push({ code: b.code, kind: c.kind, serial: Number(c.serial) });
  }
});
afterAll(() => t?.close());

describe('counterfeit signal, kept incrementally', () => {
  it('a code scanned from many networks is flagged once; later scans from new networks raise nothing more', async () => {
    const [c] = codes;
    for (let i = 1; i <= 3; i++) await scan(c.code, `198.51.${i}.7`);
    await flush();
    expect(await signals(c.code, 'places')).toEqual([]);
    // Below SCAN_ALERT_NETWORKS scans a code cannot have that many networks: none are kept yet.
    expect([await trackedNetworks(c), await loggedNetworks(c)]).toEqual([0, 3]);
    await scan(c.code, '198.51.4.9');
    await flush();
    // Reaching it, the code's networks are taken from its last 7 days of log: what a re-count would find.
    expect([await trackedNetworks(c), await loggedNetworks(c)]).toEqual([4, 4]);
    const first = await signals(c.code, 'places');
    expect(first.map((s) => s.recipient_org_id)).toContain(producer.orgId);
    expect(JSON.parse(first[0].body ?? '{}').networks).toBe(4);
    for (let i = 5; i <= 9; i++) await scan(c.code, `198.51.${i}.7`);
    await flush();
    expect((await signals(c.code, 'places')).length).toBe(first.length);
    const row = await t.database.db
      .selectFrom('query_count')
      .select(['n', 'places_flagged_at'])
      .where('code_serial', '=', c.serial)
      .executeTakeFirstOrThrow();
    expect(Number(row.n)).toBe(9);
    expect(row.places_flagged_at).not.toBeNull();
    // Once flagged, the code's networks need no more upkeep: the log has 9, the signal's table stays at 4.
    expect([await trackedNetworks(c), await loggedNetworks(c)]).toEqual([4, 9]);
  });

  it('a code scanned many times from one network is not flagged', async () => {
    const c = codes[1];
    for (let i = 0; i < 15; i++) await scan(c.code, `203.0.113.${i + 1}`);
    await flush();
    expect(await signals(c.code, 'places')).toEqual([]);
    expect(await trackedNetworks(c)).toBe(1);
    const row = await t.database.db
      .selectFrom('query_count')
      .select(['n', 'places_flagged_at', 'scans_flagged_at'])
      .where('code_serial', '=', c.serial)
      .executeTakeFirstOrThrow();
    expect([Number(row.n), row.places_flagged_at, row.scans_flagged_at]).toEqual([15, null, null]);
  });

  it('networks older than 7 days leave the window; one scanning again counts again', async () => {
    const c = codes[2];
    const old = new Date(Date.now() - 8 * 86400_000);
    for (const ip of ['192.0.2.1', '192.0.3.1', '192.0.4.1'])
      queryLogOf(t.app).push({
        at: old,
        code: c.code,
        kind: c.kind,
        serial: c.serial,
        result: 'active',
        channel: 'html',
        viewer: 'consumer',
        actorId: null,
        subjectId: producer.subjectId,
        divisionCode: '440117103',
        ip,
        userAgent: null,
        latitude: null,
        longitude: null,
      });
    await flush();
    // Five networks in all, only two in the window: not flagged (the old signal's answer too).
    await scan(c.code, '10.1.1.1');
    await scan(c.code, '10.2.1.1');
    await flush();
    expect(await signals(c.code, 'places')).toEqual([]);
    expect([await trackedNetworks(c), await loggedNetworks(c)]).toEqual([2, 2]);
    // An old network scanning again re-enters the window: 3, then a fourth network reaches the threshold.
    await scan(c.code, '192.0.2.77');
    await flush();
    expect(await signals(c.code, 'places')).toEqual([]);
    await scan(c.code, '10.3.1.1');
    await flush();
    const raised = await signals(c.code, 'places');
    expect(raised.length).toBeGreaterThan(0);
    expect(JSON.parse(raised[0].body ?? '{}').networks).toBe(4);
  });

  it('over-scanning is flagged once too, and remembered', async () => {
    const c = codes[3];
    for (let i = 0; i < 21; i++) await scan(c.code, '203.0.113.200');
    await flush();
    expect((await signals(c.code, 'scans')).length).toBeGreaterThan(0);
    const row = await t.database.db
      .selectFrom('query_count')
      .select('scans_flagged_at')
      .where('code_serial', '=', c.serial)
      .executeTakeFirstOrThrow();
    expect(row.scans_flagged_at).not.toBeNull();
  });

  it('the retention job deletes networks that left the window', async () => {
    // Two networks as a flush 8 days ago would have left them.
    await sql`INSERT INTO query_net (code_kind, code_serial, client_net, last_at)
              VALUES (${codes[2].kind}, ${codes[2].serial}, '192.0.3.0/24', now() - interval '8 days'),
                     (${codes[2].kind}, ${codes[2].serial}, '192.0.4.0/24', now() - interval '8 days')`.execute(
      t.database.db,
    );
    const job = await runJob(t, 'public.queryLogRetention');
    expect(job.status).toBe('done');
    // The two 8-day-old networks go; the four of the window stay.
    expect(job.result).toMatchObject({ networksExpired: 2 });
    expect(await trackedNetworks(codes[2])).toBe(4);
    const left = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM query_net WHERE last_at <= now() - interval '7 days'`.execute(t.database.db);
    expect(Number(left.rows[0].n)).toBe(0);
  });
});

describe('access log', () => {
  it('public lookups write no per-request log line at the default level; other routes do', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // A second app over the same database (not closed with it; this test runs last: closing the app also stops the
    // shared query-log timer) with a logger at the default level.
    const database = { ...t.database, close: async () => {} };
    const config = loadConfig({ LOAD_VILLAGES: 'false', PUBLIC_RATE_LIMIT: '100000' });
    expect(config.logLevel).toBe('info');
    const app = await buildApp({ config, database, logger: { level: config.logLevel, stream } });
    try {
      await app.ready();
      const code = codes[0].code;
      for (const url of [`/t/${code}`, `/api/v1/public/trace/${code}`, `/api/v1/public/codes/${code}`, '/t?code=1'])
        expect((await app.inject({ method: 'GET', url })).statusCode).toBeLessThan(500);
      // No line about a request (the public resolver's one start-up line is not one).
      expect(lines.filter((l) => l.includes('"reqId"'))).toEqual([]);
      await app.inject({ method: 'GET', url: '/api/v1/divisions/44' });
      expect(lines.some((l) => l.includes('/api/v1/divisions/44') && l.includes('"reqId"'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
