/**
 * The upper platform's regular lists include the records shared from below (issue 14 item 5): national sees
 * Guangdong's and Sichuan's batches, patrols and sampling sheets (with their test results) next to its own, scoped by
 * division, marked with the origin platform, read-only; the subjects export includes shared subjects. Three real
 * platforms on 127.0.0.1; the records enter each province's outbox through the share seam (as a write does) and are
 * pushed up over signed HTTP.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareRecord } from '../src/kernel/sharing.js';
import { drainOutbox, pushOnce, startSharing } from '../src/modules/sharing/worker.js';
import { type TestApp, makeUser, testApp } from './helpers.js';

let national: TestApp;
let gd: TestApp;
let sc: TestApp;
const tok = {} as Record<'national' | 'gd' | 'sc' | 'gdRegulator' | 'cityRegulator', string>;

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${addr.port}`;
}
const push = async (t: TestApp) => {
  await pushOnce(t.database.db, t.app.config, true);
  await drainOutbox(t.database.db, t.app.config);
};
async function connect(lower: TestApp, lowerToken: string, platformId: string) {
  const applied = await lower.req(lowerToken, {
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    payload: { contactName: '平台管理员', contactPhone: '13800138000' },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  const conns = await national.req(tok.national, { method: 'GET', url: '/api/v1/sharing/connections' });
  const conn = conns.json().items.find((i: { platformId: string }) => i.platformId === platformId);
  const ok = await national.req(tok.national, {
    method: 'POST',
    url: `/api/v1/sharing/connections/${conn.id}/actions`,
    payload: { action: 'approve' },
  });
  expect(ok.statusCode, ok.body).toBe(200);
}
/** A record written on a province platform: into its outbox through the share seam, as the collection hook does. */
const write = (t: TestApp, resource: string, record: Record<string, unknown>, division: string) =>
  t.database.db
    .transaction()
    .execute((trx) => shareRecord({ db: trx, config: t.app.config }, resource, String(record.id), record, division));
const get = async (t: TestApp, token: string, url: string) => {
  const r = await t.req(token, { method: 'GET', url });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

const ids = {
  gdBatch: randomUUID(),
  scBatch: randomUUID(),
  gdPatrol: randomUUID(),
  gdSheet: randomUUID(),
  scSheet: randomUUID(),
  gdSubject: randomUUID(),
};

beforeAll(async () => {
  national = await testApp({ PLATFORM_TIER: 'national' });
  const nationalUrl = await listen(national);
  gd = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '44', UPPER_PLATFORM_URL: nationalUrl });
  sc = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '51', UPPER_PLATFORM_URL: nationalUrl });
  tok.national = await national.login('admin');
  tok.gd = await gd.login('admin');
  tok.sc = await sc.login('admin');
  await connect(gd, tok.gd, 'province-44');
  await connect(sc, tok.sc, 'province-51');
  const at = new Date().toISOString();
  await write(
    gd,
    'batch',
    {
      id: ids.gdBatch,
      batchNo: 'GD-20261130-01',
      productId: randomUUID(),
      quantity: 120,
      unit: 'kg',
      producedAt: at,
      selfCheck: 'pass',
      status: 'unsold',
      divisionCode: '440117',
    },
    '440117',
  );
  await write(
    sc,
    'batch',
    {
      id: ids.scBatch,
      batchNo: 'SC-20261130-01',
      productId: randomUUID(),
      quantity: 30,
      unit: 'kg',
      producedAt: at,
      selfCheck: 'untested',
      status: 'partly_sold',
      divisionCode: '510104',
    },
    '510104',
  );
  await write(
    gd,
    'patrol',
    {
      id: ids.gdPatrol,
      result: 'rectify',
      status: 'rectifying',
      checklist: [{ code: 'C1', ok: false, note: '台账不全' }],
      findings: '农药使用记录缺失',
      signerName: '张三',
      rectifyDeadline: '2026-12-10',
      divisionCode: '440117',
    },
    '440117',
  );
  await write(
    gd,
    'sampling',
    {
      id: ids.gdSheet,
      productName: '豇豆',
      place: '从化区某基地',
      sampledAt: at,
      status: 'sampled',
      divisionCode: '440117',
    },
    '440117',
  );
  await write(
    gd,
    'test_result',
    {
      id: ids.gdSheet,
      status: 'failed',
      results: [{ item: '克百威', value: 0.05, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763', passed: false }],
    },
    '440117',
  );
  await write(
    sc,
    'sampling',
    { id: ids.scSheet, productName: '韭菜', place: '武侯区市场', sampledAt: at, status: 'sampled' },
    '510104',
  );
  await write(
    gd,
    'subject',
    {
      id: ids.gdSubject,
      name: '=HYPERLINK("http://x","从化合作社")',
      orgForm: 'cooperative',
      subjectType: 'production',
      industries: ['planting'],
      status: 'approved',
      contactName: '李四',
      contactPhone: '13800138001',
      address: '广州市从化区',
    },
    '440117',
  );
  await push(gd);
  await push(sc);
  tok.gdRegulator = (
    await makeUser(national, tok.national, {
      username: 'gd-regulator',
      orgName: '广东省农业农村厅',
      divisionCode: '44',
      roles: ['supervisor'],
    })
  ).token;
  tok.cityRegulator = (
    await makeUser(national, tok.national, {
      username: 'sc-city-regulator',
      orgName: '成都市农业农村局',
      divisionCode: '5101',
      roles: ['supervisor'],
    })
  ).token;
}, 600_000);
afterAll(async () => {
  await sc?.close();
  await gd?.close();
  await national?.close();
});

type Item = {
  id: string;
  originPlatform: string | null;
  originPlatformName: { zh: string; en: string } | null;
  allowedActions: string[];
};
const byId = (items: Item[], id: string) => items.find((i) => i.id === id);

describe("the upper platform's regular lists", () => {
  it('list batches from both provinces, marked with their origin, read-only, filtered like local ones', async () => {
    const all = await get(national, tok.national, '/api/v1/batches?pageSize=50');
    expect(all.total).toBe(2);
    const gdb = byId(all.items, ids.gdBatch);
    expect(gdb).toMatchObject({
      batchNo: 'GD-20261130-01',
      quantity: 120,
      divisionCode: '440117',
      status: 'unsold',
      statusName: '未销售',
      originPlatform: 'province-44',
      originPlatformName: { zh: '广东省平台', en: 'the Guangdong platform' },
      allowedActions: [],
    });
    expect(byId(all.items, ids.scBatch)).toMatchObject({ originPlatform: 'province-51', status: 'partly_sold' });
    const sold = await get(national, tok.national, '/api/v1/batches?status=partly_sold');
    expect(sold.items.map((i: Item) => i.id)).toEqual([ids.scBatch]);
    // Scoped by division exactly as local records: Guangdong's regulator sees Guangdong's only.
    const gdOnly = await get(national, tok.gdRegulator, '/api/v1/batches?pageSize=50');
    expect(gdOnly.items.map((i: Item) => i.id)).toEqual([ids.gdBatch]);
    // Paging over the merged list.
    const p1 = await get(national, tok.national, '/api/v1/batches?pageSize=1');
    const p2 = await get(national, tok.national, '/api/v1/batches?pageSize=1&page=2');
    expect(p1.total).toBe(2);
    expect(new Set([p1.items[0].id, p2.items[0].id])).toEqual(new Set([ids.gdBatch, ids.scBatch]));
  });

  it('list patrols shared from below with their labels and no actions', async () => {
    const all = await get(national, tok.national, '/api/v1/patrols?pageSize=50');
    expect(byId(all.items, ids.gdPatrol)).toMatchObject({
      status: 'rectifying',
      result: 'rectify',
      resultZh: expect.any(String),
      findings: '农药使用记录缺失',
      checklist: [{ code: 'C1', ok: false, note: '台账不全' }],
      originPlatform: 'province-44',
      allowedActions: [],
    });
    const city = await get(national, tok.cityRegulator, '/api/v1/patrols?pageSize=50');
    expect(city.total).toBe(0);
    const failed = await get(national, tok.national, '/api/v1/patrols?status=passed');
    expect(failed.total).toBe(0);
  });

  it('list sampling sheets with the test results shared for them, scoped by division', async () => {
    const all = await get(national, tok.national, '/api/v1/sampling-sheets?pageSize=50');
    expect(all.total).toBe(2);
    const gds = byId(all.items, ids.gdSheet);
    expect(gds).toMatchObject({
      productName: '豇豆',
      status: 'failed',
      originPlatform: 'province-44',
      results: [{ item: '克百威', value: 0.05, limit: 0.02, passed: false, unit: 'mg/kg' }],
      allowedActions: [],
    });
    expect(byId(all.items, ids.scSheet)).toMatchObject({ status: 'sampled', originPlatform: 'province-51' });
    const failed = await get(national, tok.national, '/api/v1/sampling-sheets?status=failed');
    expect(failed.items.map((i: Item) => i.id)).toEqual([ids.gdSheet]);
    const city = await get(national, tok.cityRegulator, '/api/v1/sampling-sheets?pageSize=50');
    expect(city.items.map((i: Item) => i.id)).toEqual([ids.scSheet]);
  });

  it('export subjects with those shared from below, marked, formula-safe', async () => {
    const r = await national.req(tok.national, { method: 'GET', url: '/api/v1/subjects/export.xlsx' });
    expect(r.statusCode, r.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('共享自');
    const rows = [] as unknown[][];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows).toHaveLength(1);
    const col = (name: string) => rows[0][header.indexOf(name)];
    expect(col('主体名称')).toBe(`'=HYPERLINK("http://x","从化合作社")`);
    expect(col('共享自')).toBe('广东省平台');
    expect(col('组织形式')).toBe('合作社');
    expect(col('区划代码')).toBe('440117');
    // Sichuan's city regulator exports nothing of Guangdong's.
    const city = await national.req(tok.cityRegulator, { method: 'GET', url: '/api/v1/subjects/export.xlsx' });
    const cw = new ExcelJS.Workbook();
    await cw.xlsx.load(city.rawPayload as unknown as ArrayBuffer);
    expect(cw.worksheets[0].rowCount).toBe(1);
  });

  it("the province's own lists keep their records unmarked", async () => {
    const own = await get(gd, tok.gd, '/api/v1/batches');
    expect(own.total).toBe(0);
  });
});

describe("the upper platform's detail reads open shared records by id", () => {
  const status = async (t: TestApp, token: string, url: string) =>
    (await t.req(token, { method: 'GET', url })).statusCode;

  it('open a batch, a patrol, a sampling sheet and a subject shared from below, marked and read-only', async () => {
    expect(await get(national, tok.national, `/api/v1/batches/${ids.gdBatch}`)).toMatchObject({
      id: ids.gdBatch,
      batchNo: 'GD-20261130-01',
      quantity: 120,
      divisionCode: '440117',
      originPlatform: 'province-44',
      originPlatformName: { zh: '广东省平台', en: 'the Guangdong platform' },
      allowedActions: [],
      events: [],
    });
    expect(await get(national, tok.gdRegulator, `/api/v1/patrols/${ids.gdPatrol}`)).toMatchObject({
      id: ids.gdPatrol,
      status: 'rectifying',
      findings: '农药使用记录缺失',
      originPlatform: 'province-44',
      allowedActions: [],
    });
    expect(await get(national, tok.national, `/api/v1/sampling-sheets/${ids.gdSheet}`)).toMatchObject({
      id: ids.gdSheet,
      productName: '豇豆',
      status: 'failed',
      results: [{ item: '克百威', value: 0.05, passed: false }],
      originPlatform: 'province-44',
      allowedActions: [],
    });
    expect(await get(national, tok.cityRegulator, `/api/v1/sampling-sheets/${ids.scSheet}`)).toMatchObject({
      id: ids.scSheet,
      originPlatform: 'province-51',
    });
    const subject = await get(national, tok.national, `/api/v1/subjects/${ids.gdSubject}`);
    expect(subject).toMatchObject({
      id: ids.gdSubject,
      orgId: null,
      orgForm: 'cooperative',
      divisionCode: '440117',
      originPlatform: 'province-44',
      allowedActions: [],
      hasAccount: false,
      files: [],
      applications: [],
    });
    expect(subject.divisionFullName).toContain('从化');
  });

  it("answer 404 outside the reader's jurisdiction and for ids nobody shared", async () => {
    // Guangdong's regulator does not open Sichuan's batch, nor Chengdu's regulator Guangdong's patrol or subject.
    expect(await status(national, tok.gdRegulator, `/api/v1/batches/${ids.scBatch}`)).toBe(404);
    expect(await status(national, tok.cityRegulator, `/api/v1/patrols/${ids.gdPatrol}`)).toBe(404);
    expect(await status(national, tok.cityRegulator, `/api/v1/subjects/${ids.gdSubject}`)).toBe(404);
    expect(await status(national, tok.cityRegulator, `/api/v1/sampling-sheets/${ids.gdSheet}`)).toBe(404);
    expect(await status(national, tok.national, `/api/v1/batches/${randomUUID()}`)).toBe(404);
    // A patrol id is not a batch: each module opens only its own resource.
    expect(await status(national, tok.national, `/api/v1/batches/${ids.gdPatrol}`)).toBe(404);
  });

  it('show the latest version received, and the province keeps answering its own records only', async () => {
    await write(
      gd,
      'batch',
      {
        id: ids.gdBatch,
        batchNo: 'GD-20261130-01',
        quantity: 100,
        unit: 'kg',
        status: 'partly_sold',
        divisionCode: '440117',
      },
      '440117',
    );
    await push(gd);
    expect(await get(national, tok.national, `/api/v1/batches/${ids.gdBatch}`)).toMatchObject({
      quantity: 100,
      status: 'partly_sold',
      originPlatform: 'province-44',
    });
    // The province holds no batch of that id itself (only its outbox row): its detail read stays 404.
    expect(await status(gd, tok.gd, `/api/v1/batches/${ids.gdBatch}`)).toBe(404);
  });
});

describe('the delivery loop', () => {
  it('delivers a backlog of several full batches, pipelined, each record once and in sequence', async () => {
    const before = await sc.database.db.selectFrom('share_sequence').select('last_seq').executeTakeFirstOrThrow();
    const n = 1_234; // two full batches of 500 and a partial one
    await sc.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++)
        await shareRecord(
          { db: trx, config: sc.app.config },
          'organisation',
          `loop-${i}`,
          { id: `loop-${i}`, name: `四川流水线机构${i}`, kind: 'supervision' },
          '510104',
        );
    });
    const stop = startSharing(sc.database.db, sc.app.config, { warn: () => {} });
    const count = async () =>
      Number(
        (
          await national.database.db
            .selectFrom('shared_record')
            .select((eb) => eb.fn.countAll<number>().as('c'))
            .where('sender_platform', '=', 'province-51')
            .where('record_id', 'like', 'loop-%')
            .executeTakeFirstOrThrow()
        ).c,
      );
    try {
      for (let i = 0; i < 600 && (await count()) < n; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await stop();
    }
    const got = await national.database.db
      .selectFrom('shared_record')
      .select(['record_id', 'sender_seq', 'version'])
      .where('sender_platform', '=', 'province-51')
      .where('record_id', 'like', 'loop-%')
      .orderBy('sender_seq')
      .execute();
    expect(got).toHaveLength(n);
    expect(new Set(got.map((r) => r.record_id)).size).toBe(n);
    const first = Number(before.last_seq) + 1;
    expect(got.map((r) => Number(r.sender_seq))).toEqual(Array.from({ length: n }, (_, i) => first + i));
    const conn = await national.database.db
      .selectFrom('platform_connection')
      .select('next_seq')
      .where('platform_id', '=', 'province-51')
      .executeTakeFirstOrThrow();
    expect(Number(conn.next_seq)).toBe(first + n);
    const upper = await sc.database.db
      .selectFrom('platform_connection')
      .select(['next_seq', 'error_count'])
      .where('direction', '=', 'upper')
      .executeTakeFirstOrThrow();
    expect(Number(upper.next_seq)).toBe(first + n);
    expect(upper.error_count).toBe(0);
  });
});
