/**
 * Decision support and emergency command (issue 18) over HTTP: the dashboard at county and national level with
 * drill-down, Excel and the monthly PDF; early warnings from rules kept as rows, acknowledged and handled with a
 * trail; the incident workspace (forward trace, dispatched tasks, report); certification coverage against an
 * imported registry; risk-based sampling. Bad input is refused naming the field.
 */
import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../src/kernel/jobs.js';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';

let t: TestApp;
type P = { token: string; subjectId: string; orgId: string };
let admin: string;
let farmer: P; // 从化区 温泉镇
let buyer: P; // 荔湾区
let county: Awaited<ReturnType<typeof makeUser>>; // 从化区 supervision
let town: Awaited<ReturnType<typeof makeUser>>; // 温泉镇 supervision
let lab: Awaited<ReturnType<typeof makeUser>>; // 从化区 testing
let outsider: Awaited<ReturnType<typeof makeUser>>; // 锦江区
let lotId: string;
let lotCode: string;
let assignment: { id: string; task_id: string; testing_org_id: string };

const api = (tok: string | null, method: string, url: string, payload?: unknown) =>
  t.req(tok, { method: method as 'GET', url: `/api/v1${url}`, payload: payload as object });
const CHINA = 8 * 3600_000;
const today = () => new Date(Date.now() + CHINA).toISOString().slice(0, 10);
const monthsAgo = (n: number) => new Date(Date.now() - n * 30 * 86_400_000);
let seq = 0;

/** A tested sample written straight to the database (the monitoring flow itself is tested in supervision.test.ts). */
async function sample(o: { product: string; division: string; failed: boolean; at?: Date; batchId?: string | null }) {
  const admin = await t.database.db
    .selectFrom('account')
    .select('id')
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow();
  return t.database.db
    .insertInto('sampling_sheet')
    .values({
      assignment_id: assignment.id,
      task_id: assignment.task_id,
      testing_org_id: assignment.testing_org_id,
      sample_code: `DS-${++seq}`,
      product_name: o.product,
      trace_code: null,
      batch_id: o.batchId ?? null,
      temp_code: `TDS${seq}`,
      subject_id: farmer.subjectId,
      temp_subject: null,
      place: '市场',
      division_code: o.division,
      sampled_at: o.at ?? new Date(),
      longitude: null,
      latitude: null,
      quantity: null,
      sampler_id: admin.id,
      sampler_name: '抽样员',
      status: o.failed ? 'failed' : 'passed',
      tested_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await testApp({ PUBLIC_BASE_URL: 'https://trace.example.cn' });
  admin = await t.login('admin');
  farmer = await makeProducer(t, {
    username: 'd_farmer',
    name: '温泉镇绿源果蔬合作社',
    divisionCode: '440117103',
    certNo: '91440117MA5D000001',
  });
  buyer = await makeProducer(t, { username: 'd_buyer', name: '荔湾区鲜达农产品经营部', divisionCode: '440103' });
  await t.database.db
    .updateTable('subject')
    .set({ identity_code: 'ZT4401030000000009', longitude: 113.24, latitude: 23.12 })
    .where('id', '=', buyer.subjectId)
    .execute();
  await t.database.db
    .updateTable('subject')
    .set({ longitude: 113.6, latitude: 23.6 })
    .where('id', '=', farmer.subjectId)
    .execute();
  county = await makeUser(t, admin, {
    username: 'd_county',
    orgName: '从化区农业农村局',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  town = await makeUser(t, admin, {
    username: 'd_town',
    orgName: '温泉镇农业办',
    divisionCode: '440117103',
    roles: ['supervisor'],
  });
  lab = await makeUser(t, admin, {
    username: 'd_lab',
    orgName: '从化区检测站',
    kind: 'testing',
    divisionCode: '440117',
    roles: ['inspector'],
  });
  outsider = await makeUser(t, admin, {
    username: 'd_out',
    orgName: '锦江区农业农村局',
    divisionCode: '510104',
    roles: ['supervisor'],
  });
  const productId = (await api(farmer.token, 'POST', '/products', { name: '豇豆', industry: 'planting' })).json().id;
  const baseId = (await api(farmer.token, 'POST', '/bases', { name: '温泉一号基地', divisionCode: '440117103' })).json()
    .id;
  const b = await api(farmer.token, 'POST', '/batches', {
    productId,
    baseId,
    quantity: 1000,
    producedAt: new Date().toISOString(),
    selfCheck: 'pass',
  });
  expect(b.statusCode, b.body).toBe(201);
  lotId = b.json().id;
  lotCode = b.json().code;
  expect(
    (await api(farmer.token, 'POST', '/certificates', { batchId: lotId, quantity: 1000, basis: ['self_test'] }))
      .statusCode,
  ).toBe(201);
  const sale = await api(farmer.token, 'POST', '/sales', {
    batchId: lotId,
    quantity: 300,
    buyerKind: 'registered',
    buyerIdentityCode: 'ZT4401030000000009',
  });
  expect(sale.statusCode, sale.body).toBe(201);
  const rec = await api(buyer.token, 'POST', '/receipts', { saleId: sale.json().id, decision: 'accept' });
  expect(rec.statusCode, rec.body).toBe(200);
  const db = t.database.db;
  const task = await db
    .insertInto('monitoring_task')
    .values({
      code: 'JCDS1',
      title: '豇豆监测',
      kind: 'routine',
      level: 'county',
      org_id: lab.orgId,
      division_code: '440117',
      products: ['豇豆'],
      items: '[]',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      draw_id: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  assignment = await db
    .insertInto('monitoring_assignment')
    .values({
      task_id: task.id,
      testing_org_id: lab.orgId,
      division_code: '440117',
      quantity: 100,
      deadline: '2026-12-31',
    })
    .returning(['id', 'task_id', 'testing_org_id'])
    .executeTakeFirstOrThrow();
  // History: cowpea in 温泉镇 passed 4 months ago; now 3 of 6 fail. Leek passes.
  for (let i = 0; i < 6; i++) await sample({ product: '豇豆', division: '440117103', failed: false, at: monthsAgo(4) });
  for (let i = 0; i < 6; i++)
    await sample({ product: '豇豆', division: '440117103', failed: i < 3, batchId: i === 0 ? lotId : null });
  for (let i = 0; i < 4; i++) await sample({ product: '韭菜', division: '440117001', failed: false });
  await sample({ product: '豇豆', division: '510104', failed: true });
});
afterAll(() => t?.close());

describe('dashboard', () => {
  it('counts live data of the county by township and month, with failures by product × region × month', async () => {
    const res = await api(county.token, 'GET', '/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.divisionCode).toBe('440117');
    expect(d.level).toBe('county');
    expect(d.totals.samples).toBe(16); // 4 months ago is inside the default twelve months
    expect(d.totals.failed).toBe(3);
    expect(d.totals.certificates).toBe(1);
    expect(d.totals.sales).toBe(1);
    const wq = d.byRegion.find((r: { code: string }) => r.code === '440117103');
    expect(wq.name).toBe('温泉镇');
    expect(wq.counts.failed).toBe(3);
    const cowpeaNow = d.failures.find(
      (f: { product: string; month: string }) => f.product === '豇豆' && f.month === today().slice(0, 7),
    );
    expect(cowpeaNow).toMatchObject({ samples: 6, failed: 3, rate: 50, regionName: '温泉镇' });
    // The trade flow leaves 从化区 for 荔湾区 (province flows: 44 → 44).
    expect(d.flows).toHaveLength(1);
    expect(d.flows[0]).toMatchObject({ from: '440117103', trades: 1 });
    expect(d.flows[0].to.startsWith('440103')).toBe(true);
    expect(d.provinceFlows[0]).toMatchObject({ from: '44', to: '44', trades: 1 });
    expect(d.byMonth.length).toBeGreaterThanOrEqual(12);
  });
  it('sums the whole country for the national administrator, and the outsider never sees 从化区', async () => {
    const nat = (await api(admin, 'GET', '/dashboard')).json();
    expect(nat.level).toBe('national');
    expect(nat.totals.failed).toBe(4);
    expect(nat.byRegion.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['44', '51']));
    const out = (await api(outsider.token, 'GET', '/dashboard')).json();
    expect(out.totals.failed).toBe(1);
    expect((await api(outsider.token, 'GET', '/dashboard?within=440117')).statusCode).toBe(403);
  });
  it('narrows the time range and refuses impossible ranges naming the field', async () => {
    const d = (await api(county.token, 'GET', `/dashboard?from=${today()}&to=${today()}`)).json();
    expect(d.totals.samples).toBe(10); // only today's samples
    for (const [q, field] of [
      ['from=2026-02-30', 'from'],
      ['to=2026-13-01', 'to'],
      ['from=2026-05-01&to=2026-04-01', 'from'],
      ['from=1990-01-01&to=2026-01-01', 'from'],
    ]) {
      const r = await api(county.token, 'GET', `/dashboard?${q}`);
      expect(r.statusCode, `${q} ${r.body}`).toBe(400);
      expect(String(r.json().field)).toContain(field);
    }
  });
  it('refuses an unknown area naming it, and an area outside the jurisdiction with 403', async () => {
    const r = await api(admin, 'GET', '/dashboard?within=99');
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe('within');
    expect((await api(county.token, 'GET', '/dashboard?within=99')).statusCode).toBe(403);
  });
  it('drills down to the failed samples, and into a township', async () => {
    const r = await api(county.token, 'GET', '/dashboard/records?metric=failed&product=豇豆');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().total).toBe(3);
    expect(r.json().items[0]).toMatchObject({
      divisionName: '温泉镇',
      status: 'failed',
      statusLabel: { zh: '不合格', en: 'Failed' },
      link: '/risk-cases',
    });
    const townD = (await api(town.token, 'GET', '/dashboard')).json();
    expect(townD.level).toBe('township');
    expect(townD.totals.failed).toBe(3);
    expect((await api(town.token, 'GET', '/dashboard?within=440117')).statusCode).toBe(403);
  });
  it('exports Excel and prints the monthly report as a PDF', async () => {
    const x = await api(county.token, 'GET', '/dashboard.xlsx');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('分地区');
    const pdf = await api(county.token, 'GET', `/dashboard/monthly-report.pdf?month=${today().slice(0, 7)}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api(county.token, 'GET', '/dashboard/monthly-report.pdf?month=2026-13')).statusCode).toBe(400);
  });
});

describe('early warnings', () => {
  it('evaluates the rules (rows) and sends the failure-rate rise to the county, once', async () => {
    // An overdue rectification in 温泉镇 (township-level rule), written straight to the database.
    const tpl = await t.database.db.selectFrom('patrol_template').select('id').executeTakeFirstOrThrow();
    const someone = await t.database.db
      .selectFrom('account')
      .select('id')
      .where('username', '=', 'd_town')
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('patrol')
      .values({
        org_id: town.orgId,
        division_code: '440117103',
        subject_id: farmer.subjectId,
        target: 'base',
        template_id: tpl.id,
        plan_id: null,
        task_id: null,
        inspector_id: someone.id,
        inspector_name: '巡查员',
        result: 'rectify',
        checklist: '[]',
        findings: '未开合格证',
        signature_file_id: null,
        signer_name: null,
        longitude: null,
        latitude: null,
        accuracy_m: null,
        submitted_at: monthsAgo(1),
        rectify_deadline: '2026-01-05',
        follow_up_note: null,
        closed_at: null,
        closed_by: null,
      })
      .execute();
    expect((await api(county.token, 'POST', '/warnings/evaluate')).statusCode).toBe(403);
    const ev = await api(admin, 'POST', '/warnings/evaluate');
    expect(ev.statusCode, ev.body).toBe(200);
    expect(ev.json().created).toBeGreaterThanOrEqual(2);
    const again = await api(admin, 'POST', '/warnings/evaluate');
    expect(again.json().created).toBe(0);
    const list = (await api(county.token, 'GET', '/warnings')).json();
    const rise = list.items.find((w: { kind: string }) => w.kind === 'failure_rate_rise');
    expect(rise).toMatchObject({ divisionCode: '440117', status: 'open', allowedActions: ['acknowledge', 'handle'] });
    expect(rise.title.zh).toContain('豇豆');
    expect(rise.trail[0].action).toBe('detected');
    const rect = list.items.find((w: { kind: string }) => w.kind === 'overdue_rectification');
    expect(rect.divisionCode).toBe('440117103');
    // The township sees its own warning, not the county's; the outsider sees none of them.
    const townList = (await api(town.token, 'GET', '/warnings')).json();
    expect(townList.items.map((w: { kind: string }) => w.kind)).toEqual(['overdue_rectification']);
    expect((await api(outsider.token, 'GET', `/warnings/${rise.id}`)).statusCode).toBe(403);
    // The county's supervision organisation got a notification.
    const n = (await api(county.token, 'GET', '/notifications')).json();
    expect(n.items.some((x: { kind: string }) => x.kind === 'warning')).toBe(true);
  });
  it('is acknowledged, then handled with an outcome, keeping the trail', async () => {
    const rise = (await api(county.token, 'GET', '/warnings?kind=failure_rate_rise')).json().items[0];
    expect((await api(lab.token, 'POST', `/warnings/${rise.id}/acknowledge`, {})).statusCode).toBe(403);
    const ack = await api(county.token, 'POST', `/warnings/${rise.id}/acknowledge`, { note: '已安排加密抽检' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', allowedActions: ['handle'] });
    expect((await api(county.token, 'POST', `/warnings/${rise.id}/acknowledge`, {})).statusCode).toBe(409);
    const bad = await api(county.token, 'POST', `/warnings/${rise.id}/handle`, { outcome: '   ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('outcome');
    const done = await api(county.token, 'POST', `/warnings/${rise.id}/handle`, { outcome: '追溯召回并立案查处' });
    expect(done.json().status).toBe('handled');
    expect(done.json().trail.map((e: { action: string }) => e.action)).toEqual(['detected', 'acknowledge', 'handle']);
    expect(done.json().trail[1]).toMatchObject({ note: '已安排加密抽检', orgName: '从化区农业农村局' });
  });
  it('keeps rules as data: the administrator changes parameters within their range', async () => {
    const rules = (await api(county.token, 'GET', '/warning-rules')).json();
    expect(rules.map((r: { kind: string }) => r.kind)).toEqual(
      expect.arrayContaining([
        'failure_rate_rise',
        'counterfeit_scans',
        'chain_anomaly',
        'overdue_review',
        'collection_drop',
      ]),
    );
    const rule = rules.find((r: { kind: string }) => r.kind === 'failure_rate_rise');
    expect(rule.paramLabels.factor.en).toBeTruthy();
    expect((await api(county.token, 'PATCH', `/warning-rules/${rule.id}`, { enabled: false })).statusCode).toBe(403);
    for (const params of [{ factor: 1e9 }, { nope: 1 }, { minRate: -1 }]) {
      const r = await api(admin, 'PATCH', `/warning-rules/${rule.id}`, { params });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().field).toBe(`params.${Object.keys(params)[0]}`);
    }
    const ok = await api(admin, 'PATCH', `/warning-rules/${rule.id}`, { params: { factor: 3 }, level: 'city' });
    expect(ok.json()).toMatchObject({ level: 'city', params: { factor: 3, windowDays: 90 } });
  });
});

describe('incident workspace', () => {
  let incidentId: string;
  it('opens an incident from a trace code and traces every affected batch and holder forward, with places', async () => {
    const res = await api(county.token, 'POST', '/incidents', {
      title: '豇豆毒死蜱超标',
      kind: 'failed_sample',
      severity: 3,
      description: '例行监测中温泉镇豇豆样品毒死蜱超标',
      traceCode: lotCode,
    });
    expect(res.statusCode, res.body).toBe(201);
    const i = res.json();
    incidentId = i.id;
    expect(i).toMatchObject({
      divisionCode: '440117',
      status: 'open',
      productName: '豇豆',
      allowedActions: ['dispatch', 'close'],
    });
    expect(i.affected.length).toBeGreaterThanOrEqual(2);
    expect(i.affected[0]).toMatchObject({ batchId: lotId, depth: 0, longitude: 113.6 });
    const downstream = i.affected.find((a: { depth: number }) => a.depth === 1);
    expect(downstream).toMatchObject({ subjectName: '荔湾区鲜达农产品经营部', latitude: 23.12 });
    expect(i.holders.map((h: { name: string }) => h.name)).toEqual(
      expect.arrayContaining(['温泉镇绿源果蔬合作社', '荔湾区鲜达农产品经营部']),
    );
  });
  it('refuses bad input naming the field, and sources outside the jurisdiction', async () => {
    for (const [body, field] of [
      [{ title: '  ', kind: 'other', description: 'x' }, 'title'],
      [{ title: 'x', kind: 'other', description: 'x', traceCode: '12345' }, 'traceCode'],
      [{ title: 'x'.repeat(5000), kind: 'other', description: 'x' }, 'title'],
      [{ title: 'x', kind: 'nope', description: 'x' }, 'kind'],
    ] as const) {
      const r = await api(county.token, 'POST', '/incidents', body);
      expect(r.statusCode, r.body).toBe(400);
      expect(String(r.json().field)).toContain(field);
    }
    const out = await api(outsider.token, 'POST', '/incidents', {
      title: 'x',
      kind: 'other',
      description: 'x',
      traceCode: lotCode,
    });
    expect(out.statusCode).toBe(403);
    expect((await api(outsider.token, 'GET', `/incidents/${incidentId}`)).statusCode).toBe(403);
  });
  it('dispatches tasks with deadlines to agencies, which are notified, accept and complete them', async () => {
    const bad = await api(county.token, 'POST', `/incidents/${incidentId}/tasks`, {
      kind: 'sampling',
      orgId: lab.orgId,
      deadline: '2020-01-01',
      instructions: '抽样',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('deadline');
    const notAgency = await api(county.token, 'POST', `/incidents/${incidentId}/tasks`, {
      kind: 'sampling',
      orgId: farmer.orgId,
      deadline: today(),
      instructions: '抽样',
    });
    expect(notAgency.json().field).toBe('orgId');
    const far = await api(county.token, 'POST', `/incidents/${incidentId}/tasks`, {
      kind: 'sealing',
      orgId: outsider.orgId,
      deadline: today(),
      instructions: '封存',
    });
    expect(far.statusCode).toBe(403);
    const res = await api(county.token, 'POST', `/incidents/${incidentId}/tasks`, {
      kind: 'sampling',
      orgId: lab.orgId,
      deadline: today(),
      instructions: '对同批次及下游批次加密抽样',
      target: '荔湾区鲜达农产品经营部',
    });
    expect(res.statusCode, res.body).toBe(201);
    const task = res.json().tasks[0];
    expect(task).toMatchObject({ orgName: '从化区检测站', status: 'dispatched', overdue: false, allowedActions: [] });
    const n = (await api(lab.token, 'GET', '/notifications')).json();
    expect(n.items.some((x: { kind: string }) => x.kind === 'incident_task')).toBe(true);
    // The lab sees the incident through its task, and acts on it; the county cannot act for the lab.
    const mine = (await api(lab.token, 'GET', '/incidents')).json();
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(incidentId);
    expect(
      (await api(county.token, 'POST', `/incident-tasks/${task.id}/actions`, { action: 'accept' })).statusCode,
    ).toBe(403);
    const seen = (await api(lab.token, 'GET', `/incidents/${incidentId}`)).json();
    expect(seen.tasks[0].allowedActions).toEqual(['accept', 'complete']);
    expect(seen.allowedActions).toEqual([]);
    expect((await api(lab.token, 'POST', `/incident-tasks/${task.id}/actions`, { action: 'accept' })).statusCode).toBe(
      200,
    );
    const noResult = await api(lab.token, 'POST', `/incident-tasks/${task.id}/actions`, { action: 'complete' });
    expect(noResult.json().field).toBe('result');
    const done = await api(lab.token, 'POST', `/incident-tasks/${task.id}/actions`, {
      action: 'complete',
      result: '抽样 3 批，已送检',
    });
    expect(done.json()).toMatchObject({ tasksDone: 1, tasksTotal: 1 });
    expect(
      (await api(lab.token, 'POST', `/incident-tasks/${task.id}/actions`, { action: 'complete', result: 'x' }))
        .statusCode,
    ).toBe(409);
  });
  it('closes with a summary and prints the incident report', async () => {
    expect((await api(county.token, 'POST', `/incidents/${incidentId}/close`, { summary: '' })).statusCode).toBe(400);
    const c = await api(county.token, 'POST', `/incidents/${incidentId}/close`, { summary: '已召回并立案' });
    expect(c.json()).toMatchObject({ status: 'closed', allowedActions: [] });
    const pdf = await api(county.token, 'GET', `/incidents/${incidentId}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const list = (await api(county.token, 'GET', '/incidents?status=closed')).json();
    expect(list.items[0]).toMatchObject({ id: incidentId, tasksDone: 1 });
  });
});

describe('certification coverage', () => {
  it('imports the registry file and reports the share registered and actively tracing, per kind', async () => {
    // The farmer holds a green certificate on 豇豆 and lists it with that number; an organic holder is not registered;
    // a leading enterprise is registered but not tracing; one row is refused (bad code), one is a formula-looking cell.
    await t.database.db
      .updateTable('product')
      .set({
        certifications: JSON.stringify([
          { type: 'green', number: 'LB-18-0001' },
          { type: 'organic', number: 'FAKE-0001' },
        ]),
      })
      .where('subject_id', '=', farmer.subjectId)
      .execute();
    const csv = [
      '类别,证书编号,获证主体,统一社会信用代码,产品名称,所在地区代码,有效期至',
      '绿色食品,LB-18-0001,温泉镇绿源果蔬合作社,91440117MA5D000001,豇豆,440117103,2099-12-31',
      '有机农产品,OR-0002,从化区有机农场,91440117MA5D000002,荔枝,440117001,2099-12-31',
      '龙头企业,,荔湾区鲜达农产品经营部,,,440117,',
      '示范社,,=cmd|x,BADCODE,,440117,',
      '绿色食品,LB-18-0003,锦江区某农场,91510104MA5D000003,,510104,2099-12-31',
    ].join('\n');
    const up = await t.req(county.token, {
      method: 'POST',
      url: '/api/v1/certification/registry/imports',
      ...multipartFile('名录.csv', Buffer.from(csv), 'text/csv'),
    });
    expect(up.statusCode, up.body).toBe(202);
    await drain(t.database.db, t.app.config);
    const rep = (await api(county.token, 'GET', `/certification/registry/imports/${up.json().jobId}/report`)).json();
    expect(rep).toMatchObject({ inserted: 3, rejected: 2 });
    const fields = rep.errors.flatMap((e: { fields: { field: string }[] }) => e.fields.map((f) => f.field));
    expect(fields).toEqual(expect.arrayContaining(['holderCode', 'divisionCode']));
    const c = (await api(county.token, 'GET', '/certification/coverage')).json();
    const green = c.byKind.find((k: { kind: string }) => k.kind === 'green');
    expect(green).toMatchObject({
      holders: 1,
      registered: 1,
      tracing: 1,
      tracingRate: 100,
      products: 1,
      productsListed: 1,
    });
    expect(c.byKind.find((k: { kind: string }) => k.kind === 'organic')).toMatchObject({
      holders: 1,
      registered: 0,
      tracing: 0,
    });
    // The leading enterprise (matched by name, no code) is registered (the buyer) but has recorded nothing itself.
    expect(c.byKind.find((k: { kind: string }) => k.kind === 'leading_enterprise')).toMatchObject({
      holders: 1,
      registered: 1,
    });
    expect(c.flagged).toMatchObject({ holders: 3, registered: 2 });
    expect(c.gaps.map((g: { holderName: string }) => g.holderName)).toContain('从化区有机农场');
    expect(c.claims).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ number: 'LB-18-0001', status: 'valid' }),
        expect.objectContaining({ number: 'FAKE-0001', status: 'unknown' }),
      ]),
    );
    // Re-import: unchanged rows stay unchanged.
    const again = await t.req(county.token, {
      method: 'POST',
      url: '/api/v1/certification/registry/imports',
      ...multipartFile('名录.csv', Buffer.from(csv), 'text/csv'),
    });
    await drain(t.database.db, t.app.config);
    expect(
      (await api(county.token, 'GET', `/certification/registry/imports/${again.json().jobId}/report`)).json(),
    ).toMatchObject({ inserted: 0, unchanged: 3 });
    expect((await api(outsider.token, 'GET', '/certification/coverage?within=440117')).statusCode).toBe(403);
  });
});
