import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../src/kernel/jobs.js';
import { generateRecords } from '../src/modules/originmap/generate.js';
import { type TestApp, testApp } from './helpers.js';

// Issue 12, item 13: the embedded database under long work. On PGlite every request shares one connection, so
// on-demand jobs are de-duplicated, jobs and exports work in short pages, and health and public lookups answer
// while they run.
let t: TestApp;
let admin: string;
const ROWS = 6000;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  // Origin records in every county of Guangdong (about 120): a province-wide patrol and export.
  await generateRecords(t.database.db, { count: ROWS, within: ['44'], keyPrefix: 'jobs', seed: 7 });
});
afterAll(() => t?.close());

describe('on-demand jobs', () => {
  it('ten identical requests by one requester while the first is queued make one job', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => t.req(admin, { method: 'POST', url: '/api/v1/origin/patrol' })),
    );
    for (const a of answers) expect(a.statusCode, a.body).toBe(202);
    const ids = new Set(answers.map((a) => a.json().jobId));
    expect(ids.size).toBe(1);
    const queued = await t.database.db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'origin.patrol')
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    expect(Number(queued.n)).toBe(1);
    await drain(t.database.db, t.app.config);
    const job = await t.req(admin, { method: 'GET', url: `/api/v1/jobs/${[...ids][0]}` });
    expect(job.json().status).toBe('done');
    // Once it has run, asking again queues a new one.
    const again = await t.req(admin, { method: 'POST', url: '/api/v1/origin/patrol' });
    expect(again.json().jobId).not.toBe([...ids][0]);
    await drain(t.database.db, t.app.config);
  });
});

describe('long work', () => {
  it('while a province-wide patrol runs, health and a public lookup answer before it finishes', async () => {
    // Watch the job's own queries: `started` when the patrol's first query is built, `finished` when the job row
    // is marked done (the patrol's work is over by then).
    let started = false;
    let finished = false;
    const watch: KyselyPlugin = {
      transformQuery(args) {
        const text = JSON.stringify(args.node);
        if (text.includes('origin_flag') || text.includes('origin_patrol_hit')) started = true;
        if (args.node.kind === 'UpdateQueryNode' && text.includes('"done"')) finished = true;
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    };
    const queued = await t.req(admin, { method: 'POST', url: '/api/v1/origin/patrol' });
    expect(queued.statusCode).toBe(202);
    const run = drain(t.database.db.withPlugin(watch), t.app.config);
    while (!started) await new Promise((r) => setTimeout(r, 1));
    const [health, lookup] = await Promise.all([
      t.req(null, { method: 'GET', url: '/api/health' }),
      t.req(null, { method: 'GET', url: '/api/v1/public/trace/12345678901234567890' }),
    ]);
    const answeredDuringJob = !finished;
    expect(health.statusCode, health.body).toBe(200);
    expect(health.json().status).toBe('ok');
    expect(lookup.statusCode, lookup.body).toBeLessThan(500);
    expect(answeredDuringJob).toBe(true);
    await run;
    expect(finished).toBe(true);
    const job = await t.database.db
      .selectFrom('job')
      .select(['status', 'progress', 'total'])
      .where('id', '=', queued.json().jobId)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
    // Progress is reported per county.
    expect(job.total).toBeGreaterThan(20);
    expect(job.progress).toBe(job.total);
  });

  it('a province-wide export streams (no Content-Length, written as read) and health answers before it ends', async () => {
    let exportDone = false;
    const exp = t.req(admin, { method: 'GET', url: '/api/v1/origin/export' }).then((r) => {
      exportDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    const health = await t.req(null, { method: 'GET', url: '/api/health' });
    const lookup = await t.req(null, { method: 'GET', url: '/api/v1/public/trace/12345678901234567890' });
    expect(health.statusCode).toBe(200);
    expect(lookup.statusCode).toBeLessThan(500);
    expect(exportDone).toBe(false);
    const res = await exp;
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    // Streamed: the length is not known when the answer starts (an in-memory workbook is sent with its length).
    expect(res.headers['content-length']).toBeUndefined();
    expect(Number(res.headers['x-row-count'])).toBe(ROWS);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.getWorksheet('采集表') as ExcelJS.Worksheet;
    expect(ws.rowCount).toBe(1 + ROWS);
    expect(String(ws.getRow(1).getCell(1).value)).toBe('记录编号');
    const keys = await sql<{ n: number }>`SELECT count(*) AS n FROM origin_record`.execute(t.database.db);
    expect(Number(keys.rows[0].n)).toBe(ROWS);
  });
});
