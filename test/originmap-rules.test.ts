import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, chinaDate } from '../src/kernel/calendar.js';
import { drain } from '../src/kernel/jobs.js';
import { originRow, originWorkbook } from './origin-sheet.js';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';

/**
 * The origin-map rules of seed 004 三、五、六 (issue 17 item 6): plots collected one by one when they reach the scale
 * only together, re-collection per planting / monthly, re-import confirming, import first and complete on site,
 * review and correction deadlines, notices to the township and the named collector, credit from the archive,
 * several certifications, random checks drawn from origin records.
 */
const COUNTY = '440117'; // 广东省广州市从化区
const TOWN = '440117103'; // 温泉镇
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let admin: string;
let collector: { token: string; userId: string };
let reviewer: string;
let townOrg: string;

const day = (offset: number) => {
  const d = new Date(`${chinaDate()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

const good = (over: Record<string, unknown> = {}) => ({
  divisionCode: TOWN,
  subjectName: '从化绿源豇豆种植专业合作社',
  subjectType: 'cooperative',
  creditCode: '93440117MA5ABCDE1M',
  productCode: 'cowpea',
  baseAddress: '温泉镇南平村一队',
  longitude: 113.5867,
  latitude: 23.5487,
  contactName: '李四',
  contactPhone: '13800138000',
  scale: 12.5,
  marketStart: '2026-05-01',
  marketEnd: '2026-09-30',
  productionMethod: 'open_field',
  traceMethods: ['certificate'],
  creditRating: 'A',
  gridWorkerName: '罗芳',
  gridWorkerPhone: '13900139000',
  collectorName: '钟叔',
  collectorPhone: '020-87654321',
  geoSource: 'map',
  submit: true,
  ...over,
});

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  const town = await makeUser(t, admin, {
    username: 'r_collector',
    orgName: '温泉镇农业服务中心',
    divisionCode: TOWN,
    roles: ['collector'],
  });
  collector = { token: town.token, userId: town.userId };
  townOrg = town.orgId;
  reviewer = (
    await makeUser(t, admin, {
      username: 'r_sup',
      orgName: '从化区农产品质量安全监管站',
      divisionCode: COUNTY,
      roles: ['supervisor', 'info_admin'],
    })
  ).token;
});
afterAll(() => t?.close());

const run = () => drain(t.database.db, t.app.config);
const db = () => t.database.db;

const workbook = (rows: (string | number | null | undefined)[][]) => originWorkbook(t, collector.token, rows);
const row = (over: Partial<Record<number, string | number | null>> = {}) => originRow(TOWN, over);
async function importFile(buf: Buffer) {
  const res = await t.req(collector.token, {
    method: 'POST',
    url: '/api/v1/origin/imports',
    ...multipartFile('rules.xlsx', buf, XLSX),
  });
  expect(res.statusCode, res.body).toBe(202);
  const { jobId } = res.json();
  await run();
  return (await t.req(collector.token, { method: 'GET', url: `/api/v1/origin/imports/${jobId}` })).json();
}
async function recordBy(subjectName: string, base?: string) {
  const q = encodeURIComponent(base ?? subjectName);
  const res = await t.req(reviewer, { method: 'GET', url: `/api/v1/origin/records?q=${q}&pageSize=100` });
  expect(res.statusCode, res.body).toBe(200);
  const items = res.json().items.filter((r: { subjectName: string }) => r.subjectName === subjectName);
  return items;
}
const get = async (id: string) =>
  (await t.req(reviewer, { method: 'GET', url: `/api/v1/origin/records/${id}` })).json();

describe('3. an unchanged re-import confirms the record', () => {
  it('refreshes the collection date of an unchanged row, audited, without a duplicate or an error', async () => {
    const file = await workbook([row({ 2: '确认户', 8: '温泉镇确认村1号地', 11: '确认户' })]);
    const first = await importFile(file);
    expect(first).toMatchObject({ status: 'done', created: 1, errorRows: 0 });
    const [rec] = await recordBy('确认户');
    await sql`UPDATE origin_record SET collected_at = now() - interval '20 days' WHERE id = ${rec.id}`.execute(db());
    const old = (await get(rec.id)).collectedAt;
    const again = await importFile(file);
    expect(again).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 1, errorRows: 0 });
    const after = await get(rec.id);
    expect(await recordBy('确认户')).toHaveLength(1);
    expect(Date.parse(after.collectedAt)).toBeGreaterThan(Date.parse(old) + 19 * 86_400_000);
    expect(after.confirmedAt).not.toBeNull();
    expect(after.status).toBe(rec.status);
    const audits = await sql<{ summary: { action: string; ids: string[] } }>`
      SELECT summary FROM audit_log WHERE target_type = 'origin_record' AND summary->>'action' = 'confirm'`.execute(
      db(),
    );
    expect(audits.rows.some((a) => a.summary.ids.includes(rec.id))).toBe(true);
  });
});

describe('4. import first, complete the point on site', () => {
  it('accepts rows without coordinates as to be completed on site; a visit completes them; a re-import keeps the point', async () => {
    const file = await workbook([row({ 2: '走访户', 8: '温泉镇走访村2号地', 9: null, 10: null, 11: '走访户' })]);
    const out = await importFile(file);
    expect(out).toMatchObject({ status: 'done', created: 1, errorRows: 0 });
    const [rec] = await recordBy('走访户');
    expect(rec).toMatchObject({ sitePending: true, status: 'draft', longitude: null });
    const pending = (
      await t.req(collector.token, { method: 'GET', url: '/api/v1/origin/records?sitePending=true' })
    ).json();
    expect(pending.items.map((r: { id: string }) => r.id)).toEqual([rec.id]);
    // Not submittable without the point.
    const early = await t.req(collector.token, { method: 'POST', url: `/api/v1/origin/records/${rec.id}/submit` });
    expect(early.statusCode).toBe(400);
    expect(early.json().field).toBe('longitude');
    // A point far from the county is refused naming the field.
    const far = await t.req(collector.token, {
      method: 'POST',
      url: `/api/v1/origin/records/${rec.id}/visit`,
      payload: { longitude: 116.4, latitude: 39.9 },
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().field).toBe('longitude');
    const visit = await t.req(collector.token, {
      method: 'POST',
      url: `/api/v1/origin/records/${rec.id}/visit`,
      payload: { longitude: 113.581, latitude: 23.551, gpsAccuracyM: 8 },
    });
    expect(visit.statusCode, visit.body).toBe(200);
    expect(visit.json()).toMatchObject({
      sitePending: false,
      status: 'submitted',
      geoSource: 'gps',
      gpsAccuracyM: 8,
      longitude: 113.581,
    });
    expect(visit.json().visitedAt).not.toBeNull();
    const none = (
      await t.req(collector.token, { method: 'GET', url: '/api/v1/origin/records?sitePending=true' })
    ).json();
    expect(none.total).toBe(0);
    // The same file again: the row has no point, the record keeps the one from the visit and is confirmed.
    const again = await importFile(file);
    expect(again).toMatchObject({ unchanged: 1, updated: 0, errorRows: 0 });
    expect(await get(rec.id)).toMatchObject({ longitude: 113.581, sitePending: false, status: 'submitted' });
  });
});

describe('2. re-collection per planting and monthly', () => {
  it('crops are due at the harvest of their planting, livestock and aquatic monthly; a new planting is a new season', async () => {
    const mk = async (over: Record<string, unknown>) => {
      const res = await t.req(collector.token, { method: 'POST', url: '/api/v1/origin/records', payload: good(over) });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const harvested = await mk({
      subjectName: '收获户',
      creditCode: null,
      subjectType: 'farmer',
      plantedOn: day(-100),
      harvestOn: day(-3),
    });
    expect(harvested).toMatchObject({ seasonNo: 1, harvestOn: day(-3), nextDue: day(-3), overdue: true });
    const growing = await mk({
      subjectName: '生长户',
      creditCode: null,
      subjectType: 'farmer',
      plantedOn: day(-20),
      harvestOn: day(60),
    });
    const noDates = await mk({ subjectName: '无茬户', creditCode: null, subjectType: 'farmer' });
    const pigOld = await mk({
      subjectName: '猪场甲',
      creditCode: null,
      subjectType: 'farmer',
      productCode: 'pig',
      scale: 80,
      traceMethods: ['ear_tag'],
    });
    const pigNew = await mk({
      subjectName: '猪场乙',
      creditCode: null,
      subjectType: 'farmer',
      productCode: 'pig',
      scale: 80,
      traceMethods: ['ear_tag'],
      baseAddress: '温泉镇乙猪场',
    });
    // Planting dates are for crops only.
    const bad = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({
        subjectName: '猪场丙',
        creditCode: null,
        subjectType: 'farmer',
        productCode: 'pig',
        scale: 80,
        plantedOn: day(-5),
      }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('plantedOn');
    const ago = async (id: string, days: number) =>
      sql`UPDATE origin_record SET collected_at = now() - make_interval(days => ${days}) WHERE id = ${id}`.execute(
        db(),
      );
    await ago(growing.id, 130); // a long planting still growing: not due on a fixed 120 days
    await ago(noDates.id, 130); // no planting dates: the crop cycle (120 days) applies
    await ago(pigOld.id, 40); // monthly
    await ago(pigNew.id, 20);
    const state = async (id: string) => {
      const r = await get(id);
      return r.overdue;
    };
    expect(await state(growing.id)).toBe(false);
    expect(await state(noDates.id)).toBe(true);
    expect(await state(pigOld.id)).toBe(true);
    expect(await state(pigNew.id)).toBe(false);
    const list = (
      await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/records?overdue=true&pageSize=100' })
    ).json();
    const ids = list.items.map((r: { id: string }) => r.id);
    for (const id of [harvested.id, noDates.id, pigOld.id]) expect(ids).toContain(id);
    for (const id of [growing.id, pigNew.id]) expect(ids).not.toContain(id);
    // The patrol flags exactly those as not re-collected on time.
    expect((await t.req(reviewer, { method: 'POST', url: '/api/v1/origin/patrol' })).statusCode).toBe(202);
    await run();
    const flags = (await t.req(reviewer, { method: 'GET', url: '/api/v1/origin/flags?kind=stale&status=open' })).json();
    const stale = flags.items.map((f: { recordId: string }) => f.recordId);
    for (const id of [harvested.id, noDates.id, pigOld.id]) expect(stale).toContain(id);
    for (const id of [growing.id, pigNew.id]) expect(stale).not.toContain(id);

    // The next planting (每茬): a new season, the old one kept in the history, back to review, no longer overdue.
    const noPlanting = await t.req(collector.token, {
      method: 'POST',
      url: `/api/v1/origin/records/${harvested.id}/seasons`,
      payload: { harvestOn: day(70) },
    });
    expect(noPlanting.statusCode).toBe(400);
    expect(noPlanting.json().field).toBe('plantedOn');
    const next = await t.req(collector.token, {
      method: 'POST',
      url: `/api/v1/origin/records/${harvested.id}/seasons`,
      payload: { plantedOn: day(-1), harvestOn: day(70), scale: 10 },
    });
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json()).toMatchObject({
      seasonNo: 2,
      plantedOn: day(-1),
      harvestOn: day(70),
      scale: 10,
      overdue: false,
      status: 'submitted',
    });
    const history = (
      await t.req(reviewer, { method: 'GET', url: `/api/v1/origin/records/${harvested.id}/seasons` })
    ).json();
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ seasonNo: 1, plantedOn: day(-100), harvestOn: day(-3), scale: 12.5 });
    // The monthly update of livestock.
    const month = await t.req(collector.token, {
      method: 'POST',
      url: `/api/v1/origin/records/${pigOld.id}/seasons`,
      payload: { scale: 95 },
    });
    expect(month.statusCode, month.body).toBe(200);
    expect(month.json()).toMatchObject({ seasonNo: 2, scale: 95, overdue: false });
  });
});

describe('1. plots that reach the scale only together', () => {
  it('collects one record per plot when the operator’s plots together reach the threshold', async () => {
    const op = { subjectName: '小地块合作社', creditCode: '93440117MA5PQRTU11', subjectType: 'cooperative' };
    // One plot of 0.3 mu alone is below 0.5 mu: refused naming the scale.
    const alone = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ ...op, scale: 0.3, baseAddress: '温泉镇小地块一号' }),
    });
    expect(alone.statusCode).toBe(400);
    expect(alone.json().field).toBe('scale');
    // Two plots of 0.3 in one file: together 0.6, each its own record.
    const out = await importFile(
      await workbook([
        row({ 2: op.subjectName, 3: '农民专业合作社', 4: op.creditCode, 8: '温泉镇小地块一号', 13: 0.3 }),
        row({ 2: op.subjectName, 3: '农民专业合作社', 4: op.creditCode, 8: '温泉镇小地块二号', 13: 0.3 }),
        row({ 2: '单块户', 8: '温泉镇单块地', 13: 0.3 }),
      ]),
    );
    expect(out).toMatchObject({ created: 2, errorRows: 1 });
    expect(out.errors[0].row).toBe(4);
    expect(out.errors[0].message).toContain('规模');
    // A third plot by form: accepted with the other two; the group total is on every record.
    const third = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ ...op, scale: 0.2, baseAddress: '温泉镇小地块三号' }),
    });
    expect(third.statusCode, third.body).toBe(201);
    expect(third.json()).toMatchObject({ scale: 0.2, groupPlots: 3 });
    expect(third.json().groupScale).toBeCloseTo(0.8);
    const plots = await recordBy(op.subjectName, '小地块');
    expect(plots).toHaveLength(3);
    for (const p of plots) expect(p.groupPlots).toBe(3);
  });
});

describe('5. review and correction deadlines', () => {
  it('sets working-day deadlines, counts overdue corrections against the township, in the statistics and the evaluation', async () => {
    const res = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ subjectName: '期限户', creditCode: null, subjectType: 'farmer', baseAddress: '温泉镇期限地' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const rec = res.json();
    expect(rec.reviewDue).toBe(addWorkingDays(chinaDate(), 5));
    const ret = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/records/${rec.id}/review`,
      payload: { action: 'return', comment: '请核对基地地址' },
    });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json()).toMatchObject({
      status: 'returned',
      correctionDue: addWorkingDays(chinaDate(), 5),
      reviewDue: null,
    });
    // The deadline passes.
    await sql`UPDATE origin_record SET correction_due = ${day(-2)}::date WHERE id = ${rec.id}`.execute(db());
    const figures = async () =>
      (await t.req(reviewer, { method: 'GET', url: `/api/v1/origin/deadlines?within=${COUNTY}` })).json();
    const before = await figures();
    expect(before.correctionDays).toBe(5);
    const town = before.rows.find((r: { divisionCode: string }) => r.divisionCode === TOWN);
    expect(town).toMatchObject({ divisionName: '温泉镇', correctionsOverdue: 1, correctedLate: 0 });
    // The evaluation of the county's townships counts it as an overdue rectification.
    const ev = await t.req(reviewer, { method: 'GET', url: `/api/v1/evaluation?divisionCode=${COUNTY}` });
    expect(ev.statusCode, ev.body).toBe(200);
    const unit = ev.json().units.find((u: { code: string }) => u.code === TOWN);
    expect(unit.overdueNotices).toBe(1);
    // Corrected late: no longer open, but counted as late.
    const fix = await t.req(collector.token, {
      method: 'PATCH',
      url: `/api/v1/origin/records/${rec.id}`,
      payload: { baseAddress: '温泉镇期限地（已核对）', submit: true },
    });
    expect(fix.statusCode, fix.body).toBe(200);
    expect(fix.json()).toMatchObject({ status: 'submitted', correctedLate: true, correctionDue: null });
    const after = (await figures()).rows.find((r: { divisionCode: string }) => r.divisionCode === TOWN);
    expect(after).toMatchObject({ correctionsOverdue: 0, correctedLate: 1 });
    const ev2 = (await t.req(reviewer, { method: 'GET', url: `/api/v1/evaluation?divisionCode=${COUNTY}` })).json();
    expect(ev2.units.find((u: { code: string }) => u.code === TOWN).overdueNotices).toBe(1);
    // A review overdue shows too.
    await sql`UPDATE origin_record SET review_due = ${day(-1)}::date WHERE id = ${rec.id}`.execute(db());
    expect((await figures()).rows.find((r: { divisionCode: string }) => r.divisionCode === TOWN).reviewsOverdue).toBe(
      1,
    );
  });
});

describe('6. notices reach the township agency and the named collector', () => {
  it('a returned record and a patrol flag notify the township supervision office and the collector named in it', async () => {
    const townAgency = await makeUser(t, admin, {
      username: 'r_town_agency',
      orgName: '温泉镇农产品质量安全监管站',
      divisionCode: TOWN,
      roles: ['supervisor'],
    });
    // The collector named in the record works for a neighbouring township's office (found by the phone).
    const other = await sql<{ code: string }>`SELECT code FROM division WHERE code LIKE '440117%' AND length(code) = 9
      AND code <> ${TOWN} ORDER BY code LIMIT 1`.execute(db());
    const named = await makeUser(t, admin, {
      username: 'r_named',
      orgName: '邻镇协管员',
      divisionCode: other.rows[0].code,
      roles: ['collector'],
    });
    await sql`UPDATE account SET phone = '136-1111-2222' WHERE id = ${named.userId}`.execute(db());
    const res = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({
        subjectName: '通知户',
        creditCode: null,
        subjectType: 'farmer',
        baseAddress: '温泉镇通知地',
        collectorName: '某协管员',
        collectorPhone: '13611112222',
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const inbox = async (token: string) =>
      (await t.req(token, { method: 'GET', url: '/api/v1/notifications?pageSize=50' })).json().items as {
        title: string;
        titleEn: string;
      }[];
    expect((await inbox(named.token)).length).toBe(0);
    const ret = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/records/${res.json().id}/review`,
      payload: { action: 'return', comment: '请补充照片' },
    });
    expect(ret.statusCode).toBe(200);
    for (const token of [named.token, townAgency.token, collector.token]) {
      const items = await inbox(token);
      expect(items.some((n) => n.title.includes('通知户') && n.titleEn.includes('returned'))).toBe(true);
    }
    // The patrol: a flag on the record reaches them too.
    await sql`UPDATE origin_record SET geo_check = 'near' WHERE id = ${res.json().id}`.execute(db());
    await t.req(reviewer, { method: 'POST', url: '/api/v1/origin/patrol' });
    await run();
    for (const token of [named.token, townAgency.token]) {
      const items = await inbox(token);
      expect(items.some((n) => n.title.includes('巡查提示'))).toBe(true);
    }
    expect(townOrg).toBeTruthy();
  });
});

describe('7. credit from the archive, several certifications, random checks from origin records', () => {
  it('takes the linked producer’s grade from the credit archive, keeps several certifications, and draws from the map', async () => {
    const certNo = '91440117MA5LNKED0Y';
    const producer = await makeProducer(t, { username: 'r_linked', name: '从化链接农场', divisionCode: TOWN, certNo });
    const res = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({
        subjectName: '从化链接农场',
        subjectType: 'enterprise',
        creditCode: certNo,
        baseAddress: '温泉镇链接基地',
        creditRating: 'D',
        certifications: ['green', 'organic'],
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const rec = res.json();
    expect(rec.subjectId).toBe(producer.subjectId);
    // The archive has no bad record: grade A, whatever was typed.
    expect(rec).toMatchObject({ creditRating: 'A', creditRatingSource: 'archive' });
    expect(rec.certifications).toEqual(['green', 'organic']);
    expect(rec.certification).toBe('green');
    // An unlinked record keeps the collected rating.
    const plain = await t.req(collector.token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: good({ subjectName: '未链接户', creditCode: null, subjectType: 'farmer', creditRating: 'B' }),
    });
    expect(plain.json()).toMatchObject({ creditRating: 'B', creditRatingSource: 'collected', certifications: [] });
    // Several certifications by spreadsheet too.
    const out = await importFile(
      await workbook([row({ 2: '多认证户', 7: '绿色食品、农产品地理标志', 8: '温泉镇多认证地', 11: '多认证户' })]),
    );
    // The whole outcome in the message: this once read created 0, errorRows 0 in a CI run and did not recur here.
    expect(out, JSON.stringify(out)).toMatchObject({ status: 'done', created: 1, errorRows: 0 });
    expect((await recordBy('多认证户'))[0].certifications).toEqual(['green', 'gi']);
    // Random checks drawn from the origin map: only producers with an approved record of the products.
    const approve = await t.req(reviewer, {
      method: 'POST',
      url: `/api/v1/origin/records/${rec.id}/review`,
      payload: { action: 'approve' },
    });
    expect(approve.statusCode, approve.body).toBe(200);
    await makeProducer(t, { username: 'r_unlinked', name: '另一农场', divisionCode: TOWN });
    const draw = await t.req(reviewer, {
      method: 'POST',
      url: '/api/v1/random-draws',
      payload: {
        title: '豇豆产地双随机抽查',
        taskKind: 'patrol',
        within: COUNTY,
        originProducts: ['cowpea'],
        subjectCount: 1,
        inspectorsPerSubject: 1,
      },
    });
    expect(draw.statusCode, draw.body).toBe(201);
    expect(draw.json().subjectPool).toEqual([producer.subjectId]);
    expect(draw.json().tasks[0].subjectId).toBe(producer.subjectId);
    expect(draw.json().filter.originProducts).toEqual(['cowpea']);
    const none = await t.req(reviewer, {
      method: 'POST',
      url: '/api/v1/random-draws',
      payload: {
        title: '生猪产地双随机抽查',
        taskKind: 'patrol',
        within: COUNTY,
        originProducts: ['pig'],
        subjectCount: 1,
      },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().field).toBe('subjectCount');
  });
});
