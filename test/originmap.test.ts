import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../src/kernel/jobs.js';
import { originRow, originWorkbook } from './origin-sheet.js';
import { type TestApp, makeUser, multipartFile, testApp } from './helpers.js';

const COUNTY = '440117'; // 广东省广州市从化区
const TOWN = '440117103'; // 温泉镇
const OUT_TOWN = '510104017'; // a subdistrict of 成都市锦江区 (outside)
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let admin: string;
let collector: { token: string; userId: string };
let reviewer: string;
let townSupervisor: string;
let infoAdmin: string;

const good = (over: Record<string, unknown> = {}) => ({
  divisionCode: TOWN,
  subjectName: '从化绿源豇豆种植专业合作社',
  subjectType: 'cooperative',
  creditCode: '93440117MA5ABCDE1M',
  productCode: 'cowpea',
  certification: 'green',
  baseAddress: '温泉镇南平村一队',
  longitude: 113.5867,
  latitude: 23.5487,
  contactName: '李四',
  contactPhone: '13800138000',
  scale: 12.5,
  marketStart: '2026-05-01',
  marketEnd: '2026-09-30',
  productionMethod: 'open_field',
  traceMethods: ['certificate', 'trace_code'],
  creditRating: 'A',
  gridWorkerName: '罗芳',
  gridWorkerPhone: '13900139000',
  collectorName: '钟叔',
  collectorPhone: '020-87654321',
  geoSource: 'map',
  ...over,
});

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  const town = await makeUser(t, admin, {
    username: 'wq_collector',
    orgName: '温泉镇农业服务中心',
    divisionCode: TOWN,
    roles: ['collector'],
  });
  collector = { token: town.token, userId: town.userId };
  townSupervisor = (
    await makeUser(t, admin, { username: 'wq_sup', orgName: '温泉镇监管组', divisionCode: TOWN, roles: ['supervisor'] })
  ).token;
  reviewer = (
    await makeUser(t, admin, {
      username: 'ch_sup',
      orgName: '从化区农产品质量安全监管站',
      divisionCode: COUNTY,
      roles: ['supervisor'],
    })
  ).token;
  infoAdmin = (
    await makeUser(t, admin, {
      username: 'ch_admin',
      orgName: '从化区信息中心',
      divisionCode: COUNTY,
      roles: ['info_admin'],
    })
  ).token;
});
afterAll(() => t?.close());

const run = () => drain(t.database.db, t.app.config);
const count = async () =>
  Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_record`.execute(t.database.db)).rows[0].n);

const workbook = (rows: (string | number | null | undefined)[][]) => originWorkbook(t, collector.token, rows);
const row = (over: Partial<Record<number, string | number | null>> = {}) => originRow(TOWN, over);
async function importFile(buf: Buffer) {
  const res = await t.req(collector.token, {
    method: 'POST',
    url: '/api/v1/origin/imports',
    ...multipartFile('test.xlsx', buf, XLSX),
  });
  expect(res.statusCode, res.body).toBe(202);
  const { jobId } = res.json();
  const importId = jobId;
  await run();
  const job = await t.req(collector.token, { method: 'GET', url: `/api/v1/jobs/${jobId}` });
  expect(job.json().status).toBe('done');
  expect(job.json().progress).toBe(job.json().total);
  return (await t.req(collector.token, { method: 'GET', url: `/api/v1/origin/imports/${importId}` })).json();
}

describe('reference data', () => {
  it('lists the 12 products with thresholds and lets a county set a local standard', async () => {
    const res = await t.req(collector.token, { method: 'GET', url: '/api/v1/origin/products' });
    expect(res.statusCode).toBe(200);
    const p = res.json().products;
    expect(p).toHaveLength(12);
    expect(p.find((x: { code: string }) => x.code === 'pig').threshold).toBe(30);
    expect(p.find((x: { code: string }) => x.code === 'bass').facilityThreshold).toBe(0.3);
    const bad = await t.req(infoAdmin, {
      method: 'PUT',
      url: '/api/v1/origin/thresholds',
      payload: { divisionCode: COUNTY, productCode: 'rice', threshold: 1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('productCode');
    const ok = await t.req(infoAdmin, {
      method: 'PUT',
      url: '/api/v1/origin/thresholds',
      payload: { divisionCode: COUNTY, productCode: 'pig', threshold: 50 },
    });
    expect(ok.statusCode).toBe(200);
    const at = (
      await t.req(collector.token, { method: 'GET', url: `/api/v1/origin/products?divisionCode=${TOWN}` })
    ).json().products;
    expect(at.find((x: { code: string }) => x.code === 'pig').threshold).toBe(50);
    const elsewhere = (await t.req(admin, { method: 'GET', url: '/api/v1/origin/products?divisionCode=510104' })).json()
      .products;
    expect(elsewhere.find((x: { code: string }) => x.code === 'pig').threshold).toBe(30);
    const pigs = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ productCode: 'pig', scale: 40, subjectName: '养猪户' }),
    });
    expect(pigs.statusCode).toBe(400);
    expect(pigs.json().field).toBe('scale');
  });
});

describe('collection on the map and review', () => {
  it('refuses bad input naming the field and writes nothing', async () => {
    const before = await count();
    for (const [over, field] of [
      [{ scale: 0.3 }, 'scale'],
      [{ contactPhone: '12345' }, 'contactPhone'],
      [{ longitude: 23.5, latitude: 113.5 }, 'latitude'],
      [{ longitude: 116.4, latitude: 39.9 }, 'longitude'],
      [{ creditCode: null }, 'creditCode'],
      [{ productCode: 'rice' }, 'productCode'],
      [{ marketEnd: '2026-01-01' }, 'marketEnd'],
    ] as const) {
      const res = await t.req(collector.token, { method: 'POST', url: '/api/v1/origin/records', payload: good(over) });
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    const out = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ divisionCode: OUT_TOWN, longitude: 104.08, latitude: 30.65 }),
    });
    expect(out.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  // One record's life in one test: draft → submitted → returned → resubmitted → approved → on the map.
  it('keeps an incomplete draft, refuses to submit it, then submits it complete; only the county reviews it (return needs a comment); once approved it shows on the map, clustered or as points', async () => {
    const draft = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ longitude: null, latitude: null, traceMethods: [] }),
    });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json().status).toBe('draft');
    const id = draft.json().id;
    const submit = await t.req(collector.token, { method: 'POST', url: `/api/v1/origin/records/${id}/submit` });
    expect(submit.statusCode).toBe(400);
    expect(['longitude', 'traceMethods']).toContain(submit.json().field);
    const fixed = await t.req(collector.token, {
      method: 'PATCH',
      url: `/api/v1/origin/records/${id}`,
      payload: {
        longitude: 113.5867,
        latitude: 23.5487,
        geoSource: 'gps',
        gpsAccuracyM: 8,
        traceMethods: ['certificate'],
        submit: true,
      },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().status).toBe('submitted');
    expect(fixed.json().geoCheck).toBe('inside');
    expect(fixed.json().gpsAccuracyM).toBe(8);
    const dup = await t.req(collector.token, { method: 'POST', url: '/api/v1/origin/records', payload: good() });
    expect(dup.statusCode).toBe(409);

    // Review: only the county; return needs a comment.
    const asTown = await t.req(townSupervisor, {
      method: 'POST',
      url: `/api/v1/origin/records/${id}/review`,
      payload: { action: 'approve' },
    });
    expect(asTown.statusCode).toBe(403);
    const asCollector = await t.req(collector.token, {
      method: 'POST',
      url: `/api/v1/origin/records/${id}/review`,
      payload: { action: 'approve' },
    });
    expect(asCollector.statusCode).toBe(403);
    const noComment = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/records/${id}/review`,
      payload: { action: 'return' },
    });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().field).toBe('comment');
    const view = await t.req(reviewer, { method: 'GET', url: `/api/v1/origin/records/${id}` });
    expect(view.json().allowedActions).toEqual(['approve', 'return']);
    const ret = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/records/${id}/review`,
      payload: { action: 'return', comment: '基地地址请写到村组' },
    });
    expect(ret.json().status).toBe('returned');
    const again = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/records/${id}/review`,
      payload: { action: 'approve' },
    });
    expect(again.statusCode).toBe(409);
    const resub = await t.req(collector.token, {
      method: 'PATCH',
      url: `/api/v1/origin/records/${id}`,
      payload: { baseAddress: '温泉镇南平村一队二组', submit: true },
    });
    expect(resub.json().status).toBe('submitted');
    const ok = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/records/${id}/review`,
      payload: { action: 'approve', comment: '' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
    expect(ok.json().approvedAt).not.toBeNull();

    // Approved records show on the map, clustered or as points.
    const bad = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/map?west=120&south=20&east=110&north=30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('east');
    const china = await t.req(reviewer, {
      method: 'GET',
      url: '/api/v1/origin/map?west=73&south=3&east=136&north=54&zoom=4',
    });
    expect(china.statusCode, china.body).toBe(200);
    expect(china.json().total).toBe(1);
    const near = await t.req(reviewer, {
      method: 'GET',
      url: '/api/v1/origin/map?west=113.5&south=23.5&east=113.7&north=23.6&zoom=14&product=cowpea',
    });
    expect(near.json().points.map((p: { id: string }) => p.id)).toEqual([id]);
    const other = await t.req(reviewer, {
      method: 'GET',
      url: '/api/v1/origin/map?west=113.5&south=23.5&east=113.7&north=23.6&product=pig',
    });
    expect(other.json().total).toBe(0);
  });
});

describe('spreadsheet import', () => {
  /** Six rows: two good ones and four with a reason each (importing it again changes nothing: rows have keys). */
  const mixed = () =>
    workbook([
      row(),
      row({ 2: '王五', 8: '温泉镇石坑村5号地', 13: 0.2 }), // below 0.5 mu
      row({ 2: '赵六', 8: '温泉镇宣星村', 12: '1381234' }), // bad phone
      row({ 2: '钱七', 8: '温泉镇塘料村', 9: 116.4, 10: 39.9 }), // Beijing coordinates
      row({ 2: '孙八', 8: '温泉镇龙岗村', 5: '水稻' }), // not a key product
      row({ 2: '周九', 5: '生猪', 14: '头', 13: 80, 8: '温泉镇胜塘村猪场', 18: '耳标、动物检疫合格证' }),
    ]);

  it('imports good rows, returns the bad ones in an error workbook with reasons', async () => {
    const before = await count();
    const out = await importFile(await mixed());
    const importId = out.id;
    expect(out).toMatchObject({ status: 'done', total: 6, created: 2, updated: 0, errorRows: 4, hasErrorFile: true });
    expect(out.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5, 6]);
    expect(out.errors[0].message).toContain('种养规模');
    expect(out.errors[1].message).toContain('主体联系方式');
    expect(out.errors[2].message).toContain('经度');
    expect(await count()).toBe(before + 2);
    const errs = await t.req(collector.token, { method: 'GET', url: `/api/v1/origin/imports/${importId}/errors` });
    expect(errs.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(errs.rawPayload as never);
    const ws = wb.getWorksheet('采集表') as ExcelJS.Worksheet;
    expect(ws.rowCount).toBe(5);
    expect(String(ws.getRow(2).getCell(25).value)).toContain('规模');
    expect(ws.getCell('D2').dataValidation?.type).toBe('list');
  });

  it('re-imports the fixed error workbook: creates the fixed rows, leaves existing ones unchanged', async () => {
    const first = await importFile(await mixed());
    expect(first.errorRows).toBe(4);
    const importId = first.id;
    const errs = await t.req(collector.token, { method: 'GET', url: `/api/v1/origin/imports/${importId}/errors` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(errs.rawPayload as never);
    const ws = wb.getWorksheet('采集表') as ExcelJS.Worksheet;
    ws.getCell('N2').value = 1.5;
    ws.getCell('M3').value = '13812345678';
    ws.getCell('J4').value = 113.63;
    ws.getCell('K4').value = 23.68;
    ws.getCell('F5').value = '韭菜';
    const fixed = await importFile(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(fixed).toMatchObject({ total: 4, created: 4, errorRows: 0, hasErrorFile: false });
    // The original file again: nothing new, the bad rows still bad (idempotent by key).
    const again = await importFile(
      await workbook([
        row(),
        row({ 2: '周九', 5: '生猪', 14: '头', 13: 80, 8: '温泉镇胜塘村猪场', 18: '耳标、动物检疫合格证' }),
      ]),
    );
    expect(again).toMatchObject({ total: 2, created: 0, updated: 0, unchanged: 2 });
    // A changed scale updates by key.
    const upd = await importFile(await workbook([row({ 13: 4 })]));
    expect(upd).toMatchObject({ created: 0, updated: 1 });
  });

  it('refuses a file that is not a workbook, and a sheet without the template columns', async () => {
    const res = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/imports',
      ...multipartFile('hello.xlsx', Buffer.from('hello world'), XLSX),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('file');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['名称', '数量']);
    const out = await importFile(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(out.status).toBe('failed');
    expect(JSON.stringify(out.errors)).toContain('缺少必填列');
  });

  it('the county approves the imported records; they appear on the map and in the filtered table', async () => {
    const list = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/records?status=submitted&pageSize=100' });
    const ids = list.json().items.map((r: { id: string }) => r.id);
    expect(ids.length).toBe(6);
    const rev = await t.req(reviewer, {
      method: 'POST',
      url: '/api/v1/origin/records/review',
      payload: { ids, action: 'approve' },
    });
    expect(rev.json().reviewed).toBe(6);
    const pigs = await t.req(reviewer, { method: 'GET', url: `/api/v1/origin/records?product=pig&within=${TOWN}` });
    expect(pigs.json().items.map((r: { subjectName: string }) => r.subjectName)).toEqual(['周九']);
    const map = await t.req(reviewer, {
      method: 'GET',
      url: '/api/v1/origin/map?west=113.2&south=23.3&east=114.1&north=23.95&zoom=8',
    });
    expect(map.json().total).toBe(7);
    const mapPig = await t.req(reviewer, {
      method: 'GET',
      url: '/api/v1/origin/map?west=113.2&south=23.3&east=114.1&north=23.95&zoom=12&product=pig',
    });
    expect(mapPig.json().points).toHaveLength(1);
    expect(mapPig.json().points[0]).toMatchObject({ lng: 113.58, lat: 23.55, subjectName: '周九' });
    const scale = await t.req(reviewer, {
      method: 'GET',
      url: '/api/v1/origin/map?west=113.2&south=23.3&east=114.1&north=23.95&zoom=6&minScale=10',
    });
    expect(scale.json().source).toBe('records');
    expect(scale.json().total).toBe(2);
    const sum = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/summary' });
    expect(sum.statusCode, sum.body).toBe(200);
    expect(sum.json().rows.reduce((s: number, r: { count: number }) => s + r.count, 0)).toBe(7);
    const exp = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/export?product=cowpea' });
    expect(exp.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.rawPayload as never);
    expect((wb.getWorksheet('采集表') as ExcelJS.Worksheet).rowCount).toBe(1 + 5);
    const outside = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/records?within=510104' });
    expect(outside.json().total).toBe(0);
  });
});

describe('patrol', () => {
  it('flags stale, far and duplicate records, notifies the collector and the county, and resolves', async () => {
    await sql`UPDATE origin_record SET collected_at = now() - interval '40 days' WHERE product_code = 'pig'`.execute(
      t.database.db,
    );
    await sql`UPDATE origin_record SET geo_check = 'near' WHERE subject_name = '王五'`.execute(t.database.db);
    const res = await t.req(reviewer, { method: 'POST', url: '/api/v1/origin/patrol' });
    expect(res.statusCode).toBe(202);
    await run();
    const flags = (await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/flags?status=open' })).json();
    const kinds = flags.items.map((f: { kind: string; subjectName: string }) => `${f.kind}:${f.subjectName}`).sort();
    expect(kinds).toEqual(['far:王五', 'stale:周九']);
    const mineN = (await t.req(collector.token, { method: 'GET', url: '/api/v1/origin/notifications' })).json();
    expect(mineN.items[0].flagCount).toBe(2);
    const countyN = (await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/notifications' })).json();
    expect(countyN.items.some((n: { toDivision: string }) => n.toDivision === COUNTY)).toBe(true);
    const stale = flags.items.find((f: { kind: string }) => f.kind === 'stale');
    const bad = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/flags/${stale.id}/resolve`,
      payload: { resolution: '  ' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('resolution');
    // Re-collection clears the stale flag at the next patrol.
    await sql`UPDATE origin_record SET collected_at = now() WHERE product_code = 'pig'`.execute(t.database.db);
    await t.req(reviewer, { method: 'POST', url: '/api/v1/origin/patrol' });
    await run();
    const after = (await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/flags?status=resolved' })).json();
    expect(after.items.map((f: { kind: string }) => f.kind)).toEqual(['stale']);
    const far = flags.items.find((f: { kind: string }) => f.kind === 'far');
    const ok = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/flags/${far.id}/resolve`,
      payload: { resolution: '已现场核对，基地跨区县边界' },
    });
    expect(ok.statusCode).toBe(200);
    const out = await t.req(
      await makeUser(t, admin, {
        username: 'jj_sup',
        orgName: '锦江区监管',
        divisionCode: '510104',
        roles: ['supervisor'],
      }).then((u) => u.token),
      { method: 'GET', url: '/api/v1/origin/flags' },
    );
    expect(out.json().total).toBe(0);
  });
});

describe('boundaries and producer link', () => {
  it('serves bundled boundaries by level', async () => {
    const china = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/boundaries' });
    expect(china.json().features).toHaveLength(34);
    const gd = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/boundaries?code=44' });
    expect(gd.json().features.map((f: { properties: { code: string } }) => f.properties.code)).toContain('4401');
    const gz = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/boundaries?code=4401' });
    expect(gz.json().features.map((f: { properties: { code: string } }) => f.properties.code)).toContain(COUNTY);
    const none = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/boundaries?code=99' });
    expect(none.statusCode).toBe(404);
    const bad = await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/boundaries?code=4' });
    expect(bad.statusCode).toBe(400);
  });

  it('links a record to a registered producer by credit code when the subject table exists', async () => {
    const exists = (
      await sql<{ ok: boolean }>`SELECT to_regclass('public.subject') IS NOT NULL AS ok`.execute(t.database.db)
    ).rows[0].ok;
    if (!exists) {
      // Stand-in with the columns the matching rule reads (the producers module's table has them).
      await sql`CREATE TABLE subject (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text, cert_type text, cert_no text, division_code text, status text)`.execute(
        t.database.db,
      );
      await sql`INSERT INTO subject (name, cert_type, cert_no, division_code, status) VALUES ('从化绿源韭菜合作社', 'credit_code', '93440117MA5XYW0015', '440117103', 'approved')`.execute(
        t.database.db,
      );
    } else {
      const db = t.database.db;
      const org = await db
        .insertInto('organisation')
        .values({
          name: '从化绿源韭菜合作社',
          kind: 'producer',
          division_code: '440117103',
          contact_name: null,
          contact_phone: null,
          address: null,
          created_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('subject')
        .values({
          org_id: org.id,
          name: '从化绿源韭菜合作社',
          org_form: 'cooperative',
          subject_type: 'production',
          industries: ['planting'],
          cert_type: 'credit_code',
          cert_no: '93440117MA5XYW0015',
          dedup_key: 'C93440117MA5XYW0015',
          legal_person_name: '甲',
          legal_person_id_no: null,
          legal_person_phone: null,
          contact_name: '甲',
          contact_phone: '13800000000',
          contact_email: null,
          address: '温泉镇',
          division_code: '440117103',
          longitude: null,
          latitude: null,
          status: 'approved',
          identity_code: null,
          approved_at: null,
          source_ref: null,
          created_by: null,
        } as never)
        .execute();
    }
    const subj = (
      await sql<{ id: string }>`SELECT id FROM subject WHERE cert_no = '93440117MA5XYW0015'`.execute(t.database.db)
    ).rows[0];
    const res = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ creditCode: '93440117MA5XYW0015', productCode: 'leek', subjectName: '从化绿源韭菜合作社' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().subjectId).toBe(subj?.id ?? null);
    expect(res.json().subjectId).not.toBeNull();
  });
});

describe('demo generator', () => {
  it('puts generated records inside their county polygons and keeps the map rollup consistent', async () => {
    const { generateRecords, rebuildAllCells } = await import('../src/modules/originmap/generate.js');
    const { plausibility } = await import('../src/modules/originmap/geo.js');
    const out = await generateRecords(t.database.db, { count: 3000, within: ['5101'], keyPrefix: 'gen', seed: 7 });
    await rebuildAllCells(t.database.db);
    expect(out.inserted).toBe(3000);
    const rows = (
      await sql<{
        division_code: string;
        longitude: number;
        latitude: number;
      }>`SELECT division_code, longitude, latitude FROM origin_record WHERE record_key LIKE 'gen-%'`.execute(
        t.database.db,
      )
    ).rows;
    expect(rows).toHaveLength(3000);
    const far = rows.filter((r) => plausibility(r.division_code, [r.longitude, r.latitude]).result !== 'inside');
    expect(far.length).toBe(0);
    const cells = await sql<{ n: number }>`SELECT sum(n)::int AS n FROM origin_cell WHERE level = 5`.execute(
      t.database.db,
    );
    const onMap = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM origin_record WHERE approved_at IS NOT NULL AND longitude IS NOT NULL`.execute(
      t.database.db,
    );
    expect(Number(cells.rows[0].n)).toBe(Number(onMap.rows[0].n));
    // Idempotent: the same keys again insert nothing new.
    await generateRecords(t.database.db, { count: 3000, within: ['5101'], keyPrefix: 'gen', seed: 7 });
    expect(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_record WHERE record_key LIKE 'gen-%'`.execute(
          t.database.db,
        )
      ).rows[0].n,
    ).toBe(3000);
  });
});
