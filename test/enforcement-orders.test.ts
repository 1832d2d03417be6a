/**
 * Issue 17 item 5 (seed 001 arts. 15, 17) over HTTP: an enforcement inspection by scanning the identity code, a
 * penalty case opened from it and from a risk case, an order to correct within a deadline with its follow-up, the
 * public page of a batch under an open risk case, and 未检出 for a not-detected result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

const DAY = 86400_000;
const cn = (offset = 0) => new Date(Date.now() + 8 * 3600_000 + offset * DAY).toISOString().slice(0, 10);

let t: TestApp;
let admin: string;
let county: Awaited<ReturnType<typeof makeUser>>;
let lab: Awaited<ReturnType<typeof makeUser>>;
let law: Awaited<ReturnType<typeof makeUser>>;
let outsideLaw: Awaited<ReturnType<typeof makeUser>>;
let producer: Awaited<ReturnType<typeof makeProducer>> & { identityCode: string };

const api = (tok: string | null, method: string, url: string, payload?: unknown) =>
  t.req(tok, { method: method as 'GET', url: `/api/v1${url}`, payload: payload as object });

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  county = await makeUser(t, admin, {
    username: 'ch_sup',
    orgName: '从化区监管站',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  lab = await makeUser(t, admin, {
    username: 'ch_lab',
    orgName: '从化区检测站',
    kind: 'testing',
    divisionCode: '440117',
    roles: ['inspector'],
  });
  law = await makeUser(t, admin, {
    username: 'ch_law',
    orgName: '从化区执法大队',
    kind: 'enforcement',
    divisionCode: '440117',
    roles: ['enforcer'],
  });
  outsideLaw = await makeUser(t, admin, {
    username: 'jj_law',
    orgName: '锦江区执法大队',
    kind: 'enforcement',
    divisionCode: '510104',
    roles: ['enforcer'],
  });
  const certNo = makeCreditCode('93440117MA5TUP001');
  const p = await makeProducer(t, { username: 'coop', name: '温泉豇豆合作社', divisionCode: '440117103', certNo });
  const code = identityCode({
    orgForm: 'cooperative',
    certType: 'credit_code',
    certNo,
    personalIdNo: null,
    countyCode: '440117',
    secret: 'x',
  });
  await t.database.db.updateTable('subject').set({ identity_code: code }).where('id', '=', p.subjectId).execute();
  producer = { ...p, identityCode: code };
});
afterAll(() => t?.close());

describe('enforcement inspection by scanning the identity code', () => {
  let inspectionId: string;
  it('scan shows the producer with its division by name; a mistyped code names the field', async () => {
    const scan = await api(law.token, 'GET', `/enforcement-inspections/scan?code=${producer.identityCode}`);
    expect(scan.statusCode, scan.body).toBe(200);
    expect(scan.json().subject).toMatchObject({ name: '温泉豇豆合作社', divisionName: '广东省广州市从化区温泉镇' });
    const typo = await api(
      law.token,
      'GET',
      `/enforcement-inspections/scan?code=${producer.identityCode.slice(0, -1)}X`,
    );
    expect(typo.statusCode).toBe(400);
    expect(typo.json().field).toBe('code');
    const far = await api(outsideLaw.token, 'GET', `/enforcement-inspections/scan?code=${producer.identityCode}`);
    expect(far.statusCode).toBe(403);
    // A supervisor reads cases but does not inspect.
    expect(
      (await api(county.token, 'GET', `/enforcement-inspections/scan?code=${producer.identityCode}`)).statusCode,
    ).toBe(403);
  });

  it('records an inspection; hostile input is refused with nothing written', async () => {
    const body = {
      identityCode: producer.identityCode,
      place: '温泉镇豇豆基地',
      findings: '现场豇豆无合格证、无追溯码销售',
      result: 'violation',
      longitude: 113.6,
      latitude: 23.6,
    };
    for (const bad of [
      { ...body, findings: 'x'.repeat(5001) },
      { ...body, result: 'maybe' },
      { ...body, latitude: 91 },
      { ...body, identityCode: '\u0000' },
      { ...body, extra: 1 },
    ]) {
      const r = await api(law.token, 'POST', '/enforcement-inspections', bad);
      expect(r.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(r.json().field).toBeTruthy();
    }
    const n = await t.database.db.selectFrom('enforcement_inspection').select('id').execute();
    expect(n).toHaveLength(0);
    const ok = await api(law.token, 'POST', '/enforcement-inspections', body);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({
      subjectName: '温泉豇豆合作社',
      result: 'violation',
      resultZh: '发现违法线索',
      resultEn: 'violation found',
      divisionName: '广东省广州市从化区温泉镇',
      caseId: null,
    });
    inspectionId = ok.json().id;
    const list = await api(law.token, 'GET', '/enforcement-inspections');
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(inspectionId);
    expect((await api(outsideLaw.token, 'GET', `/enforcement-inspections/${inspectionId}`)).statusCode).toBe(403);
  });

  it('a case opened from the inspection links both ways; the same inspection cannot open a second case', async () => {
    const res = await api(law.token, 'POST', '/enforcement-cases', {
      identityCode: producer.identityCode,
      facts: '无合格证、无追溯码销售豇豆',
      violationType: 'chain_broken',
      sourceType: 'inspection',
      sourceId: inspectionId,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ sourceType: 'inspection', sourceId: inspectionId, sourceZh: '执法检查' });
    const insp = await api(law.token, 'GET', `/enforcement-inspections/${inspectionId}`);
    expect(insp.json()).toMatchObject({ caseId: res.json().id, caseNo: res.json().caseNo });
    const again = await api(law.token, 'POST', '/enforcement-cases', {
      identityCode: producer.identityCode,
      facts: '重复立案测试',
      violationType: 'other',
      sourceType: 'inspection',
      sourceId: inspectionId,
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().field).toBe('sourceId');
  });
});

describe('order to correct within a deadline (责令限期改正) with follow-up', () => {
  let caseId: string;
  it('a new case offers the order; a past or impossible deadline and an empty order are refused', async () => {
    const res = await api(law.token, 'POST', '/enforcement-cases', {
      identityCode: producer.identityCode,
      facts: '未按规定录入追溯信息',
      violationType: 'false_info',
    });
    caseId = res.json().id;
    expect(res.json().allowedActions).toEqual(['investigate', 'dismiss', 'orderCorrection']);
    expect(res.json().correction).toMatchObject({ status: null, statusZh: '未责令改正', overdue: false });
    const order = (extra: object) =>
      api(law.token, 'POST', `/enforcement-cases/${caseId}/actions`, { action: 'orderCorrection', ...extra });
    expect((await order({ correctionDeadline: cn(10) })).json().field).toBe('correctionOrder');
    expect((await order({ correctionOrder: '补录', correctionDeadline: cn(-1) })).json().field).toBe(
      'correctionDeadline',
    );
    const impossible = await order({ correctionOrder: '补录', correctionDeadline: '2026-02-30' });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().field).toBe('correctionDeadline');
    expect(
      (await api(county.token, 'POST', `/enforcement-cases/${caseId}/actions`, { action: 'orderCorrection' }))
        .statusCode,
    ).toBe(403);
    const ok = await order({ correctionOrder: '15 日内补录全部批次的追溯信息', correctionDeadline: cn(15) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().correction).toMatchObject({
      status: 'ordered',
      statusZh: '限期改正中',
      statusEn: 'correcting',
      deadline: cn(15),
      order: '15 日内补录全部批次的追溯信息',
      overdue: false,
    });
    expect(ok.json().allowedActions).toEqual(['investigate', 'dismiss', 'confirmCorrected', 'markNotCorrected']);
  });

  it('an overdue order says so; the follow-up needs a note and records the outcome; a closed case takes no orders', async () => {
    await t.database.db
      .updateTable('enforcement_case')
      .set({ correction_deadline: cn(-2) })
      .where('id', '=', caseId)
      .execute();
    expect((await api(law.token, 'GET', `/enforcement-cases/${caseId}`)).json().correction.overdue).toBe(true);
    const act = (body: object) => api(law.token, 'POST', `/enforcement-cases/${caseId}/actions`, body);
    expect((await act({ action: 'markNotCorrected' })).json().field).toBe('note');
    const not = await act({ action: 'markNotCorrected', note: '复查发现仍未补录' });
    expect(not.json().correction).toMatchObject({ status: 'not_corrected', statusZh: '逾期未改正', overdue: false });
    const again = await act({ action: 'orderCorrection', correctionOrder: '再限 7 日补录', correctionDeadline: cn(7) });
    expect(again.json().correction.status).toBe('ordered');
    const done = await act({ action: 'confirmCorrected', note: '已全部补录' });
    expect(done.json().correction).toMatchObject({ status: 'corrected', note: '已全部补录' });
    expect((await act({ action: 'confirmCorrected', note: 'x' })).statusCode).toBe(409);
    await act({ action: 'dismiss', decision: '已改正，不予处罚' });
    const closed = await act({ action: 'orderCorrection', correctionOrder: 'x', correctionDeadline: cn(3) });
    expect(closed.statusCode).toBe(409);
    // The audit log reads: who, what, which case, before and after.
    const audit = await api(admin, 'GET', `/audit?targetId=${caseId}`);
    const rows = audit.json().items as { targetName: string; before: unknown; after: unknown; actionZh: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((r) => r.targetName?.includes('农罚'))).toBe(true);
    const followUp = rows.find((r) => JSON.stringify(r.after).includes('已按期改正'));
    expect(followUp?.before).toMatchObject({ correction: '限期改正中' });
  });
});

describe('a risk case: opened into a penalty case, shown on the public page, 未检出', () => {
  it('a failed test puts the batch code and certificate page under a risk warning until the case is closed', async () => {
    // A batch with a code and a certificate.
    const prod = await api(producer.token, 'POST', '/products', { name: '豇豆', industry: 'planting' });
    const b = await api(producer.token, 'POST', '/batches', {
      productId: prod.json().id,
      quantity: 100,
      producedAt: new Date(Date.now() - DAY).toISOString(),
      selfCheck: 'pass',
    });
    expect(b.statusCode, b.body).toBe(201);
    const code = b.json().code as string;
    const cert = await api(producer.token, 'POST', '/certificates', {
      batchId: b.json().id,
      quantity: 10,
      basis: ['control'],
    });
    expect(cert.statusCode, cert.body).toBe(201);
    const before = await t.req(null, { method: 'GET', url: `/t/${code}` });
    expect(before.body).toContain('追溯码有效');

    const task = await api(county.token, 'POST', '/monitoring-tasks', {
      title: '豇豆专项监测',
      kind: 'special',
      startDate: cn(0),
      endDate: cn(30),
      products: ['豇豆'],
      items: [
        { item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
        { item: '克百威', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
      ],
      assignments: [{ testingOrgId: lab.orgId, divisionCode: '440117', quantity: 5, deadline: cn(7) }],
    });
    expect(task.statusCode, task.body).toBe(201);
    const sheet = await api(lab.token, 'POST', `/monitoring-assignments/${task.json().assignments[0].id}/sheets`, {
      productName: '豇豆',
      place: '温泉镇',
      divisionCode: '440117103',
      sampledAt: new Date().toISOString(),
      identityCode: producer.identityCode,
      traceCode: code,
    });
    expect(sheet.statusCode, sheet.body).toBe(201);
    const res = await api(lab.token, 'POST', `/sampling-sheets/${sheet.json().id}/results`, {
      results: [
        { item: '毒死蜱', value: 0.12, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
        { item: '克百威', value: 0, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const nd = res.json().results.find((r: { item: string }) => r.item === '克百威');
    expect(nd).toMatchObject({ value: null, valueText: '未检出', shown: '未检出', shownEn: 'not detected' });
    expect(res.json().results.find((r: { item: string }) => r.item === '毒死蜱').shown).toBe('0.12 mg/kg');
    const riskId = res.json().riskCaseId as string;

    const page = await t.req(null, { method: 'GET', url: `/t/${code}` });
    expect(page.body).toContain('监督抽检不合格');
    expect(page.body).not.toContain('追溯码有效');
    expect(page.body).toContain('毒死蜱');
    const json = await t.req(null, { method: 'GET', url: `/api/v1/public/trace/${code}` });
    if (json.statusCode === 200) expect(json.json()).toMatchObject({ status: 'at_risk' });
    const certPage = await t.req(null, { method: 'GET', url: `/t/${cert.json().number}` });
    expect(certPage.body).toContain('监督抽检不合格');
    expect(certPage.body).not.toContain('合格证真实有效');

    // Opened into a penalty case by the enforcer (source: the risk case).
    const c = await api(law.token, 'POST', '/enforcement-cases', {
      subjectId: producer.subjectId,
      productName: '豇豆',
      traceCode: code,
      facts: '监督抽检毒死蜱超标',
      violationType: 'other',
      sourceType: 'risk_case',
      sourceId: riskId,
    });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({
      sourceType: 'risk_case',
      sourceId: riskId,
      divisionName: '广东省广州市从化区温泉镇',
    });

    // The county opens the recall: the batch reads 已召回 (not 未销售) and offers no sale (item 12).
    const recall = await api(county.token, 'POST', `/risk-cases/${riskId}/actions`, { action: 'openRecall' });
    expect(recall.statusCode, recall.body).toBe(200);
    const batch = await api(producer.token, 'GET', `/batches/${b.json().id}`);
    expect(batch.json()).toMatchObject({ recalled: true, statusName: '已召回', statusNameEn: 'Recalled' });
    expect(batch.json().allowedActions).not.toContain('sell');
    const closed = await api(county.token, 'POST', `/risk-cases/${riskId}/actions`, { action: 'close' });
    expect(closed.statusCode, closed.body).toBe(200);
    const after = await t.req(null, { method: 'GET', url: `/t/${code}` });
    expect(after.body).toContain('召回');
    expect(after.body).not.toContain('监督抽检不合格');
  });
});
