import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { longCode, shortCode } from '../src/kernel/codes.js';
import { demoEnv } from '../src/demo.js';
import { DEMO_PASSWORD } from '../src/modules/accounts/demo.js';
import { traceDemo } from '../src/modules/certificates/demo.js';
import { platformOfConfig } from '../src/modules/codes/service.js';
import { DIGIT_KIND } from '../src/modules/public/lookup.js';
import { publicDemo } from '../src/modules/public/demo.js';
import { resolverOf } from '../src/modules/public/resolver.js';
import { type TestApp, makeProducer, testApp } from './helpers.js';

/**
 * Issue 19 item 1: the in-process resolver answers public lookups exactly as the database path does. The same
 * database is served by two apps: the default one (resolver on) and one with PUBLIC_RESOLVER_RUNS=0 (every lookup
 * reads the database). Every code of the demo data — hot (asked twice), cold, never issued, mistyped, wrong length,
 * long form, certificate numbers, circulation codes, a recalled batch — gets the same status, body and ETag from
 * both, before and after changes made in several ways (API writes, service writes, plain SQL as another process
 * would), each seen through the database's notifications.
 */
let t: TestApp;
let dbPath: FastifyInstance;
let farmerToken: string;
let codes: string[] = [];

async function allCodes(): Promise<string[]> {
  const platform = platformOfConfig(t.app.config);
  const all = await t.database.db
    .selectFrom('trace_code')
    .select(['kind', 'serial', 'issued_at'])
    .orderBy('serial')
    .execute();
  // At most 60 codes, spread over the whole range (so every run, each batch's codes, is met), plus the last one.
  const step = Math.max(1, Math.ceil(all.length / 60));
  const rows = [...all.filter((_, i) => i % step === 0), ...all.slice(-1)];
  const short = rows.map((r) => shortCode({ kind: DIGIT_KIND[r.kind], platform, serial: Number(r.serial) }));
  const max = Math.max(0, ...rows.map((r) => Number(r.serial)));
  const never = [1, 2, 3, 50, 10_000].map((d) => shortCode({ kind: 'production', platform, serial: max + d }));
  const mistyped = short.slice(0, 12).map((c) => `${c.slice(0, 10)}${(Number(c[10]) + 3) % 10}${c.slice(11)}`);
  const swapped = short
    .slice(0, 6)
    .flatMap((c) => (c[12] !== c[13] ? [`${c.slice(0, 12)}${c[13]}${c[12]}${c.slice(14)}`] : []));
  const dropped = short.slice(0, 6).map((c) => c.slice(0, 8) + c.slice(9));
  // The long form (its issue date must match) and one with a wrong date but a valid check character.
  const long = rows
    .slice(0, 8)
    .map((r) => longCode({ kind: DIGIT_KIND[r.kind], platform, serial: Number(r.serial) }, r.issued_at));
  const wrongDay = rows
    .slice(0, 4)
    .map((r) =>
      longCode(
        { kind: DIGIT_KIND[r.kind], platform, serial: Number(r.serial) },
        new Date(r.issued_at.getTime() - 86_400_000 * 3),
      ),
    );
  const certs = await t.database.db.selectFrom('certificate').select('number').execute();
  return [
    ...short,
    ...long,
    ...wrongDay,
    ...never,
    ...mistyped,
    ...swapped,
    ...dropped,
    ...certs.map((c) => c.number),
    'HG00000000000000000',
    'abc',
  ];
}

type Answer = { status: number; etag: string | undefined; body: unknown };
/** The answer; a JSON body parsed (a document fresh from its builder and one read back from jsonb differ in key order only). */
async function ask(app: FastifyInstance, url: string): Promise<Answer> {
  const r = await app.inject({ method: 'GET', url });
  const json = String(r.headers['content-type']).startsWith('application/json');
  return { status: r.statusCode, etag: r.headers.etag as string | undefined, body: json ? r.json() : r.body };
}

/** Every code through both apps (getPublicTrace, the page, resolveTraceCode), asked twice (the second time from memory); all answers equal. */
async function compareAll(list = codes) {
  let compared = 0;
  for (const code of list)
    for (const url of [
      `/api/v1/public/trace/${encodeURIComponent(code)}`,
      `/t/${encodeURIComponent(code)}`,
      `/api/v1/public/codes/${encodeURIComponent(code)}`,
    ]) {
      const want = await ask(dbPath, url);
      for (let i = 0; i < 2; i++) {
        const got = await ask(t.app, url);
        expect({ url, ...got }).toEqual({ url, ...want });
      }
      compared++;
    }
  return compared;
}

const statusOf = async (code: string) => JSON.stringify((await ask(t.app, `/api/v1/public/trace/${code}`)).body);

beforeAll(async () => {
  t = await testApp({ PUBLIC_RATE_LIMIT: '1000000' });
  const env = demoEnv(t.database, t.app.config, () => {});
  farmerToken = (await makeProducer(t, { username: 'demo_farmer', name: '演示合作社', divisionCode: '440117' })).token;
  await traceDemo.run(env);
  await publicDemo.run(env);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    LOAD_VILLAGES: 'false',
    PUBLIC_RESOLVER_RUNS: '0',
    PUBLIC_RATE_LIMIT: '1000000',
  });
  // The same database, not closed by this app (the test app closes it).
  dbPath = await buildApp({ config, database: { ...t.database, close: async () => {} }, logger: false });
  await dbPath.ready();
  codes = await allCodes();
}, 120_000);
afterAll(async () => {
  await dbPath?.close();
  await t?.close();
});

describe('the public resolver answers as the database does', () => {
  it('loads the issued codes as runs and answers every kind of input as the database path', async () => {
    const resolver = resolverOf(t.app);
    expect(await resolver.ready()).toBe(true);
    const s = resolver.stats();
    expect(s.state).toBe('ready');
    expect(s.complete).toEqual([1, 2, 3, 4, 5]);
    // Runs, not codes: far fewer runs than codes.
    const issued = await t.database.db
      .selectFrom('trace_code')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(issued.n)).toBeGreaterThan(s.runs);
    expect(await compareAll()).toBeGreaterThan(100);
    // Hot codes and documents are now answered from memory.
    expect(resolver.stats().docs).toBeGreaterThan(0);
    const platform = platformOfConfig(t.app.config);
    const anActive = await t.database.db
      .selectFrom('trace_code')
      .select(['kind', 'serial'])
      .where('status', '=', 'A')
      .where('batch_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(resolver.code(anActive.kind, Number(anActive.serial))?.status).toBe('A');
    expect(resolver.code(1, 10_000_000)).toBeNull();
    void platform;
  }, 300_000);

  it('sees every change through the notifications: recall, activation, a voided code, events, owner division, certificates', async () => {
    const db = t.database.db;
    const grower = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'lvyuan', password: DEMO_PASSWORD },
    });
    const token = grower.json().token as string;
    const auth = { authorization: `Bearer ${token}` };
    const batch = await db
      .selectFrom('batch as b')
      .innerJoin('subject as s', 's.id', 'b.subject_id')
      .select(['b.id'])
      .where('s.dedup_key', '=', 'C93440117MA59DEMO01')
      .where('b.batch_no', '=', '20261120-001')
      .executeTakeFirstOrThrow();
    const platform = platformOfConfig(t.app.config);
    const codeOf = async (batchId: string) => {
      const c = await db
        .selectFrom('trace_code')
        .select(['kind', 'serial'])
        .where('batch_id', '=', batchId)
        .executeTakeFirstOrThrow();
      return shortCode({ kind: DIGIT_KIND[c.kind], platform, serial: Number(c.serial) });
    };
    const code = await codeOf(batch.id);
    await compareAll([code]); // now hot

    // 1. A recall through the API: the batch and the buyer's circulation batch made from it turn red at once.
    const recall = await t.app.inject({
      method: 'POST',
      url: '/api/v1/recalls',
      headers: auth,
      payload: { batchId: batch.id, reason: '抽检不合格', level: 2 },
    });
    expect(recall.statusCode, recall.body).toBe(201);
    expect(JSON.parse(await statusOf(code)).status).toBe('recalled');
    await compareAll();

    // 2. A voided code, written in plain SQL as another process would.
    await sql`UPDATE trace_code SET status = 'V' WHERE (kind, serial) = (SELECT kind, serial FROM trace_code WHERE batch_id = ${batch.id}::uuid LIMIT 1)`.execute(
      db,
    );
    expect(JSON.parse(await statusOf(code)).status).toBe('void');
    // 3. Printed codes activated by range through the API (a range notification), and new codes issued in SQL.
    const farmer = await db
      .selectFrom('subject')
      .select('id')
      .where('name', '=', '演示合作社')
      .executeTakeFirstOrThrow();
    const inactive = await db
      .selectFrom('trace_code')
      .select(['kind', 'serial'])
      .where('status', '=', 'I')
      .where('subject_id', '=', farmer.id)
      .orderBy('serial')
      .limit(3)
      .execute();
    expect(inactive.length).toBeGreaterThan(0);
    const target = await db
      .selectFrom('batch')
      .select('id')
      .where('subject_id', '=', farmer.id)
      .executeTakeFirstOrThrow();
    const text = (r: (typeof inactive)[number]) =>
      shortCode({ kind: DIGIT_KIND[r.kind], platform, serial: Number(r.serial) });
    expect(JSON.parse(await statusOf(text(inactive[0]))).status).toBe('inactive');
    const act = await t.app.inject({
      method: 'POST',
      url: '/api/v1/codes/activate',
      headers: { authorization: `Bearer ${farmerToken}` },
      payload: { batchId: target.id, codes: inactive.map(text) },
    });
    expect(act.statusCode, act.body).toBe(200);
    expect(JSON.parse(await statusOf(text(inactive[0]))).status).toBe('active');
    await compareAll(inactive.map(text));
    const next = Number(
      (await sql<{ n: number }>`SELECT max(serial) + 1 AS n FROM trace_code WHERE kind = 1`.execute(db)).rows[0].n,
    );
    const fresh = shortCode({ kind: 'production', platform, serial: next });
    expect((await ask(t.app, `/api/v1/public/trace/${fresh}`)).status).toBe(404);
    await sql`INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, activated_at)
              SELECT 1, ${next}, 'A', subject_id, id, now() FROM batch WHERE id = ${batch.id}::uuid`.execute(db);
    expect((await ask(t.app, `/api/v1/public/trace/${fresh}`)).status).toBe(200);

    // 4. The owner moves division (the query log's owner); a product renamed (the document).
    await sql`UPDATE subject SET division_code = '440117104' WHERE dedup_key = 'C93440117MA59DEMO01'`.execute(db);
    await sql`UPDATE product SET name = '豇豆（长）' WHERE subject_id = (SELECT subject_id FROM batch WHERE id = ${batch.id}::uuid)`.execute(
      db,
    );
    expect(await statusOf(fresh)).toContain('豇豆（长）');
    // 5. A certificate revoked or changed (the certificate trigger) and the recall closed.
    await sql`UPDATE certificate SET unit = unit`.execute(db);
    await sql`UPDATE recall SET status = 'closed', closed_at = now() WHERE batch_id = ${batch.id}::uuid`.execute(db);
    codes = await allCodes();
    await compareAll();
    expect(resolverOf(t.app).stats().holes).toBe(0);
  }, 300_000);
});
