/**
 * Supervision, monitoring, enforcement and credit end to end over HTTP: patrol by scan with photo and signature,
 * double-random draw, monitoring task → sampling → failing result → risk case → recall, penalty case, credit
 * archive, statistics. Every endpoint also gets bad input that must be refused with the field named and nothing written.
 */
import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { drain } from '../src/kernel/jobs.js';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';
import { PNG } from './media.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const JPG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const IN_A_WEEK = new Date(Date.now() + 8 * 3600_000 + 7 * 86400_000).toISOString().slice(0, 10);

function multipart(name: string, data: Buffer, mime = 'image/png') {
  const boundary = `----sup${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An approved producer with an identity code (cooperative, credit-code based). */
async function producerWithCode(t: TestApp, n: number, divisionCode: string, username = `coop${n}`) {
  const certNo = makeCreditCode(`93440117MA5TUP${String(n).padStart(3, '0')}`);
  const p = await makeProducer(t, { username, name: `测试合作社${n}`, divisionCode, certNo });
  const code = identityCode({
    orgForm: 'cooperative',
    certType: 'credit_code',
    certNo,
    personalIdNo: null,
    countyCode: divisionCode.slice(0, 6),
    secret: 'x',
  });
  await t.database.db.updateTable('subject').set({ identity_code: code }).where('id', '=', p.subjectId).execute();
  return { ...p, identityCode: code };
}

let t: TestApp;
let admin: string;
let county: Awaited<ReturnType<typeof makeUser>>;
let town: Awaited<ReturnType<typeof makeUser>>;
let town2: Awaited<ReturnType<typeof makeUser>>;
let lab: Awaited<ReturnType<typeof makeUser>>;
let law: Awaited<ReturnType<typeof makeUser>>;
let outside: Awaited<ReturnType<typeof makeUser>>;
let producer: Awaited<ReturnType<typeof producerWithCode>>;

const api = (tok: string | null, method: string, url: string, payload?: unknown) =>
  t.req(tok, { method: method as 'GET', url: `/api/v1${url}`, payload: payload as object });
async function upload(tok: string, name: string, data: Buffer, mime = 'image/png') {
  const r = await t.req(tok, { method: 'POST', url: '/api/v1/files?purpose=image', ...multipart(name, data, mime) });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}
const count = async (
  table: 'credit_record' | 'patrol' | 'test_result' | 'risk_case' | 'enforcement_case' | 'sampling_sheet',
) =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  county = await makeUser(t, admin, {
    username: 'ch_sup',
    orgName: '从化区监管站',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  town = await makeUser(t, admin, {
    username: 'wq_sup',
    orgName: '温泉镇农业服务中心',
    divisionCode: '440117103',
    roles: ['supervisor', 'collector'],
  });
  town2 = await makeUser(t, admin, {
    username: 'wq_xg',
    orgName: '温泉镇',
    divisionCode: '440117103',
    roles: ['collector'],
    orgId: town.orgId,
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
  outside = await makeUser(t, admin, {
    username: 'jj_sup',
    orgName: '锦江区监管站',
    divisionCode: '510104',
    roles: ['supervisor'],
  });
  producer = await producerWithCode(t, 1, '440117103', 'coop_main');
});
afterAll(() => t?.close());

describe('patrols', () => {
  it('plans with targets; bad period numbers and duplicates are refused', async () => {
    const bad = await api(town.token, 'POST', '/patrol-plans', {
      year: YEAR,
      period: 'quarter',
      periodNo: 5,
      target: 10,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('periodNo');
    const ok = await api(town.token, 'POST', '/patrol-plans', { year: YEAR, period: 'year', target: 12 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ target: 12, periodNo: 0, done: 0 });
    const dup = await api(town.token, 'POST', '/patrol-plans', { year: YEAR, period: 'year', target: 5 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().field).toBe('periodNo');
  });

  it('scan: a mistyped code is 400, an unknown valid code 404, outside jurisdiction 403, a good code the subject card', async () => {
    const typo = producer.identityCode.slice(0, -1) + (producer.identityCode.endsWith('0') ? '1' : '0');
    const a = await api(town.token, 'GET', `/patrols/scan?code=${typo}`);
    expect(a.statusCode).toBe(400);
    expect(a.json().field).toBe('code');
    const other = identityCode({
      orgForm: 'cooperative',
      certType: 'credit_code',
      certNo: makeCreditCode('93440117MA5NXBXDY'),
      personalIdNo: null,
      countyCode: '440117',
      secret: 'x',
    });
    const b = await api(town.token, 'GET', `/patrols/scan?code=${other}`);
    expect(b.statusCode).toBe(404);
    expect(b.json().code).toBe('SUBJECT_CODE_UNKNOWN');
    expect((await api(outside.token, 'GET', `/patrols/scan?code=${producer.identityCode}`)).statusCode).toBe(403);
    // The URL form printed on a label and lower case with spaces both work.
    const c = await api(
      town.token,
      'GET',
      `/patrols/scan?code=${encodeURIComponent(`https://example.cn/s/${producer.identityCode}`)}`,
    );
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().subject).toMatchObject({ id: producer.subjectId, name: '测试合作社1' });
    expect(c.json().credit.grade).toBe('A');
  });

  // One patrol from start to failed submission: the refusals leave it in progress, then it is recorded as failed.
  it('starts by scanning, refuses incomplete submissions without writing anything, then records a failing patrol with a photo, a signature and a bad credit entry', async () => {
    const start = await api(town.token, 'POST', '/patrols', {
      identityCode: producer.identityCode,
      target: 'base',
      longitude: 113.6,
      latitude: 23.6,
      accuracyM: 8,
    });
    expect(start.statusCode, start.body).toBe(201);
    const patrolId = start.json().id;
    const items: string[] = start.json().templateItems.map((i: { code: string }) => i.code);
    expect(start.json()).toMatchObject({ status: 'in_progress', allowedActions: ['submit'], inspectorName: 'wq_sup' });
    expect((await api(outside.token, 'POST', '/patrols', { identityCode: producer.identityCode })).statusCode).toBe(
      403,
    );
    expect(
      (
        await api(town.token, 'POST', '/patrols', {
          identityCode: producer.identityCode,
          templateId: '00000000-0000-4000-8000-000000000000',
        })
      ).json().field,
    ).toBe('templateId');

    const sig = await upload(town.token, 'signature.png', PNG);
    const missing = await api(town.token, 'POST', `/patrols/${patrolId}/submit`, {
      result: 'fail',
      findings: 'x',
      checklist: [{ code: items[0], ok: false }],
      signatureFileId: sig,
      signerName: '张三',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().field).toBe('checklist');
    const all = items.map((code, i) => ({ code, ok: i !== 1 }));
    const noSig = await api(town.token, 'POST', `/patrols/${patrolId}/submit`, {
      result: 'fail',
      findings: '发现禁用农药',
      checklist: all,
      signerName: '张三',
    });
    expect(noSig.json().field).toBe('signatureFileId');
    const passWithFail = await api(town.token, 'POST', `/patrols/${patrolId}/submit`, {
      result: 'pass',
      checklist: all,
      signatureFileId: sig,
      signerName: '张三',
    });
    expect(passWithFail.json().field).toBe('result');
    const foreignItem = await api(town.token, 'POST', `/patrols/${patrolId}/submit`, {
      result: 'pass',
      checklist: [...all, { code: 'nope', ok: true }],
      signatureFileId: sig,
      signerName: '张三',
    });
    expect(foreignItem.json().field).toBe(`checklist/${all.length}/code`);
    // Someone else's upload cannot be attached.
    const notMine = await upload(county.token, 'x.png', PNG);
    const stolen = await api(town.token, 'POST', `/patrols/${patrolId}/submit`, {
      result: 'fail',
      findings: '问题',
      checklist: all,
      signatureFileId: notMine,
      signerName: '张三',
    });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().field).toBe('signatureFileId');
    const p = await api(town.token, 'GET', `/patrols/${patrolId}`);
    expect(p.json().status).toBe('in_progress');
    expect(await count('credit_record')).toBe(0);

    // The failing patrol, with a photo and a signature.
    const photo = await upload(town.token, 'scene.jpg', JPG, 'image/jpeg');
    const sig2 = await upload(town.token, 'signature.png', PNG);
    const checklist = items.map((code, i) => ({ code, ok: i !== 2, note: i === 2 ? '仓库发现甲拌磷' : null }));
    const res = await api(town.token, 'POST', `/patrols/${patrolId}/submit`, {
      result: 'fail',
      findings: '仓库存放禁用农药甲拌磷',
      checklist,
      photoIds: [photo],
      signatureFileId: sig2,
      signerName: '张三',
      longitude: 113.61,
      latitude: 23.61,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'failed', result: 'fail', signerName: '张三', allowedActions: [] });
    expect(res.json().photos).toHaveLength(1);
    expect(res.json().signature.id).toBe(sig2);
    const file = await t.req(county.token, { method: 'GET', url: `/api/v1/files/${sig2}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect((await t.req(outside.token, { method: 'GET', url: `/api/v1/files/${sig2}` })).statusCode).toBe(403);
    const again = await api(town.token, 'POST', `/patrols/${patrolId}/submit`, {
      result: 'pass',
      checklist: items.map((code) => ({ code, ok: true })),
      signatureFileId: sig2,
      signerName: '张三',
    });
    expect(again.statusCode).toBe(409);
    const arch = await api(county.token, 'GET', `/credit/subjects/${producer.subjectId}`);
    expect(arch.json().records).toHaveLength(1);
    expect(arch.json().records[0]).toMatchObject({ source: 'patrol', sourceId: patrolId, ruleCode: 'patrol_fail' });
  });

  it('rectify: deadline required, follow-up closes the loop; plan progress counts patrols', async () => {
    const start = await api(town2.token, 'POST', '/patrols', {
      identityCode: producer.identityCode,
      target: 'subject',
    });
    const id = start.json().id;
    const list = start
      .json()
      .templateItems.map((i: { code: string }) => ({ code: i.code, ok: i.code !== 'certificate' }));
    const sig = await upload(town2.token, 's.png', PNG);
    const noDeadline = await api(town2.token, 'POST', `/patrols/${id}/submit`, {
      result: 'rectify',
      findings: '合格证未开具',
      checklist: list,
      signatureFileId: sig,
      signerName: '李四',
    });
    expect(noDeadline.json().field).toBe('rectifyDeadline');
    const ok = await api(town2.token, 'POST', `/patrols/${id}/submit`, {
      result: 'rectify',
      findings: '合格证未开具',
      checklist: list,
      signatureFileId: sig,
      signerName: '李四',
      rectifyDeadline: IN_A_WEEK,
    });
    expect(ok.json()).toMatchObject({ status: 'rectifying', rectifyDeadline: IN_A_WEEK, allowedActions: ['followUp'] });
    const bad = await api(town2.token, 'POST', `/patrols/${id}/follow-up`, { rectified: true });
    expect(bad.json().field).toBe('note');
    const done = await api(town2.token, 'POST', `/patrols/${id}/follow-up`, { rectified: true, note: '已补开合格证' });
    expect(done.json()).toMatchObject({ status: 'closed', followUpNote: '已补开合格证' });
    const plans = await api(town.token, 'GET', `/patrol-plans?year=${YEAR}`);
    expect(plans.json().items[0]).toMatchObject({ target: 12, done: 2 });
    const listed = await api(county.token, 'GET', '/patrols?pageSize=10');
    expect(listed.json().total).toBe(2);
    expect((await api(outside.token, 'GET', '/patrols')).json().total).toBe(0);
  });
});

describe('double-random checks', () => {
  it('draws reproducibly from recorded pools; pool too small is 400 naming the field', async () => {
    for (let i = 2; i <= 6; i++) await producerWithCode(t, i, '440117103');
    const small = await api(county.token, 'POST', '/random-draws', {
      title: '抽查',
      taskKind: 'patrol',
      subjectCount: 50,
    });
    expect(small.statusCode).toBe(400);
    expect(small.json().field).toBe('subjectCount');
    const a = await api(county.token, 'POST', '/random-draws', {
      title: `${YEAR}年第一次双随机`,
      taskKind: 'patrol',
      seed: 'public-seed-1',
      subjectCount: 3,
      inspectorsPerSubject: 2,
    });
    expect(a.statusCode, a.body).toBe(201);
    const d = a.json();
    expect(d).toMatchObject({
      seed: 'public-seed-1',
      algorithm: 'sha256-ctr/fisher-yates/v1',
      reproducible: true,
      subjectCount: 3,
    });
    expect(d.subjectPool).toHaveLength(6);
    expect(d.tasks).toHaveLength(3);
    for (const task of d.tasks) expect(new Set(task.inspectors.map((i: { id: string }) => i.id)).size).toBe(2);
    const b = await api(county.token, 'POST', '/random-draws', {
      title: '复现',
      taskKind: 'patrol',
      seed: 'public-seed-1',
      subjectCount: 3,
      inspectorsPerSubject: 2,
    });
    expect(b.json().tasks.map((x: { subjectId: string }) => x.subjectId)).toEqual(
      d.tasks.map((x: { subjectId: string }) => x.subjectId),
    );
    // Tampering with the stored result is detected on read.
    await t.database.db
      .updateTable('random_draw')
      .set({ result: JSON.stringify([]) })
      .where('id', '=', d.id)
      .execute();
    expect((await api(county.token, 'GET', `/random-draws/${d.id}`)).json().reproducible).toBe(false);
    expect((await api(outside.token, 'GET', `/random-draws/${b.json().id}`)).statusCode).toBe(403);
  });

  it('a drawn patrol task is closed by the patrol that names it', async () => {
    const d = (
      await api(county.token, 'POST', '/random-draws', {
        title: '单个',
        taskKind: 'patrol',
        seed: 's2',
        subjectCount: 6,
        inspectorsPerSubject: 1,
      })
    ).json();
    const task = d.tasks.find((x: { subjectId: string }) => x.subjectId === producer.subjectId);
    const wrong = await api(town.token, 'POST', '/patrols', {
      identityCode: producer.identityCode,
      taskId: d.tasks.find((x: { subjectId: string }) => x.subjectId !== producer.subjectId).id,
    });
    expect(wrong.json().field).toBe('taskId');
    const p = (
      await api(town.token, 'POST', '/patrols', { identityCode: producer.identityCode, taskId: task.id })
    ).json();
    const sig = await upload(town.token, 's.png', PNG);
    await api(town.token, 'POST', `/patrols/${p.id}/submit`, {
      result: 'pass',
      checklist: p.templateItems.map((i: { code: string }) => ({ code: i.code, ok: true })),
      signatureFileId: sig,
      signerName: '王五',
    });
    const after = (await api(county.token, 'GET', `/random-draws/${d.id}`)).json();
    expect(after.tasks.find((x: { id: string }) => x.id === task.id)).toMatchObject({ status: 'done', doneRef: p.id });
  });
});

describe('monitoring → failed result → risk chain', () => {
  const taskBody = () => ({
    title: `${YEAR}年豇豆农药残留专项监测`,
    kind: 'special',
    products: ['豇豆'],
    startDate: TODAY,
    endDate: IN_A_WEEK,
    items: [
      { item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
      { item: '克百威', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
    ],
    assignments: [{ testingOrgId: lab.orgId, divisionCode: '440117', quantity: 20, deadline: IN_A_WEEK }],
  });
  /** A county monitoring task with one assignment to the lab. */
  async function monitoringTask(): Promise<{ taskId: string; assignmentId: string }> {
    const res = await api(county.token, 'POST', '/monitoring-tasks', taskBody());
    expect(res.statusCode, res.body).toBe(201);
    return { taskId: res.json().id, assignmentId: res.json().assignments[0].id };
  }
  /** A sample of the producer's cowpeas taken by the lab under a new task, waiting for results. */
  async function sampledSheet(): Promise<string> {
    const { assignmentId } = await monitoringTask();
    const res = await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, {
      productName: '豇豆',
      place: '温泉镇某基地',
      divisionCode: '440117103',
      sampledAt: new Date().toISOString(),
      quantity: '1 kg',
      identityCode: producer.identityCode,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  it('creates a task with assignments; wrong level or a non-testing organisation is refused', async () => {
    const body = taskBody();
    expect((await api(county.token, 'POST', '/monitoring-tasks', { ...body, level: 'province' })).json().field).toBe(
      'level',
    );
    expect(
      (
        await api(county.token, 'POST', '/monitoring-tasks', {
          ...body,
          assignments: [{ ...body.assignments[0], testingOrgId: town.orgId }],
        })
      ).json().field,
    ).toBe('assignments/0/testingOrgId');
    const outsideArea = await api(county.token, 'POST', '/monitoring-tasks', {
      ...body,
      assignments: [{ ...body.assignments[0], divisionCode: '510104' }],
    });
    expect(outsideArea.statusCode).toBe(403);
    expect(outsideArea.json().field).toBe('assignments/0/divisionCode');
    const res = await api(county.token, 'POST', '/monitoring-tasks', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ level: 'county', kind: 'special', kindZh: '专项监测' });
    const assignmentId = res.json().assignments[0].id;
    const mine = await api(lab.token, 'GET', '/monitoring-assignments/mine');
    expect(mine.json().items.map((a: { id: string }) => a.id)).toContain(assignmentId);
    const note = await api(lab.token, 'GET', '/notifications');
    expect(note.json().items[0].kind).toBe('monitoring.assigned');
  });

  it('takes a sample (temporary code when no trace code); missing subject is refused', async () => {
    const { taskId, assignmentId } = await monitoringTask();
    const base = {
      productName: '豇豆',
      place: '温泉镇某基地',
      divisionCode: '440117103',
      sampledAt: new Date().toISOString(),
      quantity: '1 kg',
    };
    const noSubject = await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, base);
    expect(noSubject.json().field).toBe('tempSubject');
    const badCode = await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, {
      ...base,
      identityCode: producer.identityCode,
      traceCode: 'not-a-code',
    });
    expect(badCode.json().field).toBe('traceCode');
    expect(await count('sampling_sheet')).toBe(0);
    expect(
      (
        await api(county.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, {
          ...base,
          identityCode: producer.identityCode,
        })
      ).statusCode,
    ).toBe(403);
    const photo = await upload(lab.token, 'sample.jpg', JPG, 'image/jpeg');
    const res = await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, {
      ...base,
      identityCode: producer.identityCode,
      photoIds: [photo],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().sampleCode).toMatch(/^JC\d{4}440117\d{4}-0001$/);
    expect(res.json().tempCode).toBe(`T${res.json().sampleCode.replace('-', '')}`);
    expect(res.json()).toMatchObject({ subjectId: producer.subjectId, status: 'sampled' });
    const progress = await api(county.token, 'GET', `/monitoring-tasks/${taskId}`);
    expect(progress.json().assignments[0]).toMatchObject({ sampled: 1, tested: 0, quantity: 20 });
    expect((await api(outside.token, 'GET', `/monitoring-tasks/${taskId}`)).statusCode).toBe(403);
  });

  it('a contradictory result is refused and nothing is written; a failing residue opens the risk chain', async () => {
    const sheetId = await sampledSheet();
    const bad = await api(lab.token, 'POST', `/sampling-sheets/${sheetId}/results`, {
      results: [{ item: '毒死蜱', value: 0.12, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021', passed: true }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('results/0/passed');
    expect(await count('test_result')).toBe(0);
    const res = await api(lab.token, 'POST', `/sampling-sheets/${sheetId}/results`, {
      results: [
        { item: '毒死蜱', value: 0.12, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
        { item: '克百威', valueText: '未检出', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021', passed: true },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('failed');
    expect(res.json().results.find((r: { item: string }) => r.item === '毒死蜱').passed).toBe(false);
    const riskId = res.json().riskCaseId;
    expect(riskId).toBeTruthy();
    expect(
      (
        await api(lab.token, 'POST', `/sampling-sheets/${sheetId}/results`, {
          results: [{ item: 'x', value: 1, unit: 'g', standard: 's', passed: true }],
        })
      ).statusCode,
    ).toBe(409);

    // The county is notified and sees the case with the proposed recall; the trace awaits the chain module.
    const notes = (await api(county.token, 'GET', '/notifications?unread=true')).json();
    const n = notes.items.find((x: { kind: string }) => x.kind === 'risk.failedTest');
    expect(n.link).toBe(`/risk-cases/${riskId}`);
    expect((await api(county.token, 'POST', `/notifications/${n.id}/read`)).statusCode).toBeLessThan(300);
    const risk = (await api(county.token, 'GET', `/risk-cases/${riskId}`)).json();
    expect(risk).toMatchObject({
      countyCode: '440117',
      status: 'open',
      subjectId: producer.subjectId,
      allowedActions: ['openRecall', 'close'],
    });
    expect(risk.proposedRecall.reasonZh).toContain('毒死蜱');
    expect(risk.trace.status).toBe('unavailable');
    expect(risk.creditRecordId).toBeTruthy();
    // The township sits inside the producer's area but the recall is the county's job.
    expect((await api(town.token, 'POST', `/risk-cases/${riskId}/actions`, { action: 'openRecall' })).statusCode).toBe(
      403,
    );
    expect((await api(lab.token, 'POST', `/risk-cases/${riskId}/actions`, { action: 'openRecall' })).statusCode).toBe(
      403,
    );
    const opened = await api(county.token, 'POST', `/risk-cases/${riskId}/actions`, { action: 'openRecall' });
    expect(opened.json()).toMatchObject({ status: 'recall_opened', allowedActions: ['close'] });
    expect(
      (await api(county.token, 'POST', `/risk-cases/${riskId}/actions`, { action: 'openRecall' })).statusCode,
    ).toBe(409);
    expect((await api(county.token, 'POST', `/risk-cases/${riskId}/actions`, { action: 'explode' })).json().field).toBe(
      'action',
    );
  });

  it('a drawn sampling task is closed by the sampling sheet that names it', async () => {
    const { assignmentId } = await monitoringTask();
    const d = (
      await api(county.token, 'POST', '/random-draws', {
        title: '抽样双随机',
        taskKind: 'sampling',
        seed: 'samp',
        subjectCount: 6,
        inspectorsPerSubject: 1,
      })
    ).json();
    expect(d.tasks).toHaveLength(6);
    const task = d.tasks.find((x: { subjectId: string }) => x.subjectId === producer.subjectId);
    const other = d.tasks.find((x: { subjectId: string }) => x.subjectId !== producer.subjectId);
    const base = {
      productName: '豇豆',
      identityCode: producer.identityCode,
      place: '基地',
      divisionCode: '440117103',
      sampledAt: new Date().toISOString(),
    };
    const before = await count('sampling_sheet');
    const wrong = await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, {
      ...base,
      randomTaskId: other.id,
    });
    expect(wrong.json().field).toBe('randomTaskId');
    expect(await count('sampling_sheet')).toBe(before);
    const ok = await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, {
      ...base,
      randomTaskId: task.id,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const after = (await api(county.token, 'GET', `/random-draws/${d.id}`)).json();
    expect(after.tasks.find((x: { id: string }) => x.id === task.id)).toMatchObject({
      status: 'done',
      doneRef: ok.json().id,
    });
  });

  it('imports results from Excel: one bad row rejects the file, then a clean file is applied', async () => {
    const { assignmentId } = await monitoringTask();
    const base = {
      productName: '韭菜',
      place: '良口镇市场',
      divisionCode: '440117',
      sampledAt: new Date().toISOString(),
      tempSubject: { name: '摊主王某' },
    };
    const s1 = (await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, base)).json();
    const s2 = (
      await api(lab.token, 'POST', `/monitoring-assignments/${assignmentId}/sheets`, {
        ...base,
        identityCode: producer.identityCode,
      })
    ).json();
    const book = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('r');
      ws.addRow(['样品编号', '检测项目', '检测值', '单位', '限量', '判定依据', '判定结果']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    // The import's upload style: multipart `file` → 202 {jobId}; the job's result is the report.
    const upload = (name: string, data: Buffer, mime = XLSX) =>
      t.req(lab.token, { method: 'POST', url: '/api/v1/test-results/imports', ...multipartFile(name, data, mime) });
    const bad = await upload(
      'r.xlsx',
      await book([
        [s1.sampleCode, '腐霉利', 0.1, 'mg/kg', 0.2, 'GB 2763-2021', ''],
        ['NOPE-1', '腐霉利', 0.1, 'mg/kg', 0.2, 'GB 2763', ''],
      ]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('IMPORT_ROWS_INVALID');
    expect(bad.json().details[0]).toMatchObject({ row: 3, field: '样品编号' });
    expect((await api(lab.token, 'GET', `/sampling-sheets/${s1.id}`)).json().status).toBe('sampled');
    const started = await upload(
      'r.xlsx',
      await book([
        [s1.sampleCode, '腐霉利', 0.1, 'mg/kg', 0.2, 'GB 2763-2021', ''],
        [s2.sampleCode, '腐霉利', 0.5, 'mg/kg', 0.2, 'GB 2763-2021', ''],
        [s2.sampleCode, '氧乐果', '未检出', 'mg/kg', 0.02, 'GB 2763-2021', '合格'],
      ]),
    );
    expect(started.statusCode, started.body).toBe(202);
    await drain(t.database.db, t.app.config);
    const job = (await api(lab.token, 'GET', `/jobs/${started.json().jobId}`)).json();
    expect(job.status, JSON.stringify(job)).toBe('done');
    const ok = job.result;
    expect(ok.imported).toBe(3);
    const bySheet = Object.fromEntries(
      ok.sheets.map((s: { sampleCode: string; status: string }) => [s.sampleCode, s.status]),
    );
    expect(bySheet).toEqual({ [s1.sampleCode]: 'passed', [s2.sampleCode]: 'failed' });
    const tpl = await t.req(lab.token, { method: 'GET', url: '/api/v1/test-results/import-template.xlsx' });
    expect(tpl.statusCode).toBe(200);
    expect(tpl.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await upload('hello.txt', Buffer.from('hello'), 'text/plain')).statusCode).toBe(415);
  });
});

describe('enforcement and credit', () => {
  it('penalty case: violation types from art. 17, state table, decision lands on the credit archive', async () => {
    const body = {
      identityCode: producer.identityCode,
      productName: '豇豆',
      facts: '该社将两个批次混装并使用同一追溯码销售',
      violationType: 'batch_mixing',
      sourceType: 'inspection',
    };
    const badType = await api(law.token, 'POST', '/enforcement-cases', { ...body, violationType: 'speeding' });
    expect(badType.json().field).toBe('violationType');
    const noParty = await api(law.token, 'POST', '/enforcement-cases', {
      facts: '无当事人信息的案件',
      violationType: 'other',
    });
    expect(noParty.json().field).toBe('partyName');
    expect(await count('enforcement_case')).toBe(0);
    expect((await api(county.token, 'POST', '/enforcement-cases', body)).statusCode).toBe(403);
    const c = await api(law.token, 'POST', '/enforcement-cases', body);
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({
      status: 'registered',
      article: '001 art. 17 (4)',
      allowedActions: ['investigate', 'dismiss', 'orderCorrection'],
    });
    expect(c.json().caseNo).toMatch(new RegExp(`^440117农罚〔${YEAR}〕0001号$`));
    const id = c.json().id;
    expect((await api(law.token, 'POST', `/enforcement-cases/${id}/actions`, { action: 'close' })).statusCode).toBe(
      409,
    );
    await api(law.token, 'POST', `/enforcement-cases/${id}/actions`, { action: 'investigate' });
    expect((await api(law.token, 'POST', `/enforcement-cases/${id}/actions`, { action: 'decide' })).json().field).toBe(
      'decision',
    );
    const decided = await api(law.token, 'POST', `/enforcement-cases/${id}/actions`, {
      action: 'decide',
      decision: '责令改正，罚款五千元',
      fineYuan: 5000,
    });
    expect(decided.json()).toMatchObject({ status: 'decided', fineYuan: 5000 });
    expect(decided.json().creditRecordId).toBeTruthy();
    expect((await api(law.token, 'POST', `/enforcement-cases/${id}/actions`, { action: 'close' })).json().status).toBe(
      'closed',
    );
    expect((await api(county.token, 'GET', '/enforcement-cases')).json().items).toHaveLength(1);
    expect((await api(outside.token, 'GET', `/enforcement-cases/${id}`)).statusCode).toBe(403);
  });

  it('the archive shows patrol, test and penalty records; grade from data; repeat offenders are public; producers see their own', async () => {
    const arch = (await api(county.token, 'GET', `/credit/subjects/${producer.subjectId}`)).json();
    const sources = arch.records.map((r: { source: string }) => r.source).sort();
    expect(sources).toEqual(['patrol', 'patrol', 'penalty', 'test', 'test']);
    // 5 (patrol fail) + 2 (rectify) + 10 + 10 (two failed tests) + 15 (penalty) = 42 → D (> 24)
    expect(arch.points).toBe(42);
    expect(arch.rating.grade).toBe('D');
    expect(arch.repeatOffender).toBe(true);
    const mine = await api(producer.token, 'GET', '/credit/mine');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().records).toHaveLength(5);
    expect((await api(producer.token, 'GET', `/credit/subjects/${producer.subjectId}`)).statusCode).toBe(403);
    const pub = await api(null, 'GET', '/public/credit/offenders');
    expect(pub.statusCode).toBe(200);
    expect(pub.json().items.map((i: { name: string }) => i.name)).toEqual(['测试合作社1']);
    expect(pub.json().items[0]).not.toHaveProperty('subjectId');
    const rules = (await api(county.token, 'GET', '/credit/rules')).json();
    expect(rules.grades.map((g: { grade: string }) => g.grade)).toEqual(['A', 'B', 'C', 'D']);
    // Rules are data: change a row, the rating follows.
    await t.database.db.updateTable('credit_grade').set({ max_points: 100 }).where('grade', '=', 'C').execute();
    expect((await api(county.token, 'GET', `/credit/subjects/${producer.subjectId}`)).json().rating.grade).toBe('C');
    expect((await api(county.token, 'GET', '/credit/subjects?repeatOnly=true')).json().items).toHaveLength(1);
  });
});

describe('statistics', () => {
  it('patrols done vs planned, pass rates by product and item, cases by type; Excel export', async () => {
    const s = await api(county.token, 'GET', `/supervision/stats?year=${YEAR}`);
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json().patrols).toMatchObject({ planned: 12, done: 3 });
    const cowpea = s.json().tests.byProduct.find((p: { product: string }) => p.product === '豇豆');
    expect(cowpea).toMatchObject({ total: 1, passed: 0, passRate: 0 });
    const leek = s.json().tests.byProduct.find((p: { product: string }) => p.product === '韭菜');
    expect(leek).toMatchObject({ total: 2, passed: 1, passRate: 50 });
    expect(s.json().cases.byType).toEqual([
      { type: 'batch_mixing', zh: expect.any(String), en: expect.any(String), total: 1, closed: 1, fines: 5000 },
    ]);
    expect((await api(county.token, 'GET', `/supervision/stats?year=${YEAR}&within=510104`)).statusCode).toBe(403);
    expect((await api(county.token, 'GET', '/supervision/stats?year=1800')).json().field).toBe('year');
    const x = await t.req(county.token, { method: 'GET', url: `/api/v1/supervision/stats.xlsx?year=${YEAR}` });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    expect(wb.worksheets.map((w) => w.name)).toContain('检测合格率（按产品）');
  });
});

describe('risk chain through the traceability chain (issue 5)', () => {
  it('a failing sample with a trace code traces its batch both ways and opens a real recall', async () => {
    const tok = producer.token;
    const product = (await api(tok, 'POST', '/products', { name: '豇豆', industry: 'planting' })).json();
    const base = (await api(tok, 'POST', '/bases', { name: '石南村一号基地', divisionCode: '440117103' })).json();
    const batch = await api(tok, 'POST', '/batches', {
      productId: product.id,
      baseId: base.id,
      quantity: 500,
      producedAt: new Date().toISOString(),
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const code = batch.json().code as string;
    const body = {
      title: '豇豆复检',
      kind: 'retest',
      products: ['豇豆'],
      startDate: TODAY,
      endDate: IN_A_WEEK,
      items: [{ item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
      assignments: [{ testingOrgId: lab.orgId, divisionCode: '440117', quantity: 5, deadline: IN_A_WEEK }],
    };
    const task = (await api(county.token, 'POST', '/monitoring-tasks', body)).json();
    const sheet = await api(lab.token, 'POST', `/monitoring-assignments/${task.assignments[0].id}/sheets`, {
      productName: '豇豆',
      traceCode: code,
      place: '批发市场',
      divisionCode: '440117',
      sampledAt: new Date().toISOString(),
    });
    expect(sheet.statusCode, sheet.body).toBe(201);
    // The producer comes from the trace code; no temporary code is needed.
    expect(sheet.json()).toMatchObject({ subjectId: producer.subjectId, tempCode: null });
    const res = await api(lab.token, 'POST', `/sampling-sheets/${sheet.json().id}/results`, {
      results: [{ item: '毒死蜱', value: 0.3, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
    });
    const risk = (await api(county.token, 'GET', `/risk-cases/${res.json().riskCaseId}`)).json();
    expect(risk.trace.status).toBe('available');
    expect(risk.trace.backward[0]).toMatchObject({ batchId: batch.json().id, depth: 0 });
    expect(risk.batchId).toBe(batch.json().id);
    const opened = await api(county.token, 'POST', `/risk-cases/${risk.id}/actions`, { action: 'openRecall' });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().recallId).toBeTruthy();
    const rec = await api(county.token, 'GET', `/recalls/${opened.json().recallId}`);
    expect(rec.statusCode, rec.body).toBe(200);
  });
});
