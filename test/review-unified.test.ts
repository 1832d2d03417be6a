import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, makeUser, proofFiles, testApp } from './helpers.js';

/**
 * Issue 13 item 3: review as one mechanism (seed 000 第十二条). Producer registrations and origin records are items on
 * the one review queue; deciding there performs the owner's transition, deciding on the owner's page resolves the
 * item; only those who may act on the owner record see and decide the item; nobody reviews their own entry.
 */
const COUNTY = '440117';
const TOWN = '440117103';

let t: TestApp;
let county: string; // county supervisor: reviews registrations and origin records
let outsider: string; // another county's supervisor
let townSup: string; // township supervisor: holds origin.review but is below the county
let infoReviewer: string; // catalogue reviewer (review.decide), not a registration or origin reviewer
let countyAdmin: string; // county information administrator: collects and reviews origin records
let collector: string; // township collector of origin records
let seq = 0;

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read loosely
type Json = Record<string, any>;
const req = (tok: string | null, method: string, url: string, payload?: object) =>
  t.req(tok, { method: method as 'GET', url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

const fields = (n: number) => ({
  orgForm: 'cooperative',
  subjectType: 'production',
  industries: ['planting'],
  name: `统一审核合作社${n}`,
  certType: 'credit_code',
  certNo: makeCreditCode(`93440117MA6R8${String(n).padStart(4, '0')}`),
  legalPersonName: '陈',
  contactName: '陈',
  contactPhone: '13800138000',
  address: '从化区温泉镇石海村',
  divisionCode: TOWN,
});

async function register() {
  const n = ++seq;
  const res = await req(null, 'POST', '/subjects/registrations', {
    ...fields(n),
    username: `uni_${n}`,
    password: 'Farmer123',
    files: await proofFiles(t, 'credit_code'),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { n, ...(res.json() as { subjectId: string; applicationId: string; username: string }) };
}

const origin = (n: number, over: Record<string, unknown> = {}) => ({
  divisionCode: TOWN,
  subjectName: `统一审核豇豆合作社${n}`,
  subjectType: 'cooperative',
  creditCode: makeCreditCode(`93440117MA7B${String(n).padStart(5, '0')}`),
  productCode: 'cowpea',
  certification: 'green',
  baseAddress: `温泉镇南平村${n}队`,
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

async function collect(tok: string) {
  const res = await req(tok, 'POST', '/origin/records', origin(++seq));
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().status).toBe('submitted');
  return res.json().id as string;
}

async function itemOf(tok: string, resource: string, recordId: string): Promise<Json | undefined> {
  const res = await req(tok, 'GET', `/reviews?resource=${resource}&pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.find((i: Json) => i.recordId === recordId);
}

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  const mk = async (username: string, orgName: string, divisionCode: string, roles: string[]) =>
    (await makeUser(t, admin, { username, orgName, divisionCode, roles })).token;
  county = await mk('uni_county', '从化区农产品质量安全监管站', COUNTY, ['supervisor']);
  outsider = await mk('uni_outside', '番禺区农产品质量安全监管站', '440113', ['supervisor']);
  townSup = await mk('uni_town', '温泉镇农产品质量安全监管组', TOWN, ['supervisor']);
  infoReviewer = await mk('uni_info', '从化区信息审核组', COUNTY, ['info_reviewer']);
  countyAdmin = await mk('uni_admin', '从化区信息中心', COUNTY, ['info_admin']);
  collector = await mk('uni_collector', '温泉镇采集组', TOWN, ['collector']);
});
afterAll(() => t?.close());

describe('producer registrations on the review queue', () => {
  it('return in the queue → reasons to the applicant, rejected; the resubmission re-enters; approval there approves', async () => {
    const r = await register();
    const item = await itemOf(county, 'subject', r.subjectId);
    expect(item, 'the registration is on the county reviewer’s queue').toBeDefined();
    expect(item?.state).toBe('pending');
    expect(item?.resourceZh).toBe('生产经营主体注册');
    expect(item?.resourceEn).toBe('Producer registration');
    expect(item?.link).toBe(`/subject-reviews?subject=${r.subjectId}`);
    expect(item?.allowedActions).toEqual(['approve', 'return']);
    const id = item?.id as string;

    // Only those who may decide the registration see or decide the item.
    expect(await itemOf(outsider, 'subject', r.subjectId)).toBeUndefined();
    expect((await req(outsider, 'GET', `/reviews/${id}`)).statusCode).toBe(403);
    expect((await req(outsider, 'POST', `/reviews/${id}/decision`, { action: 'approve' })).statusCode).toBe(403);
    expect(await itemOf(infoReviewer, 'subject', r.subjectId)).toBeUndefined();
    expect((await req(infoReviewer, 'POST', `/reviews/${id}/decision`, { action: 'approve' })).statusCode).toBe(403);
    expect(await itemOf(townSup, 'subject', r.subjectId)).toBeUndefined();

    const ret = await req(county, 'POST', `/reviews/${id}/decision`, {
      action: 'return',
      reasons: ['incomplete'],
      comment: '地址请写到村组',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json().state).toBe('returned');
    const subject = (await req(county, 'GET', `/subjects/${r.subjectId}`)).json();
    expect(subject.status).toBe('rejected');
    const applicant = await t.login(r.username, 'Farmer123');
    const me = (await req(applicant, 'GET', '/my-subject')).json();
    const reasons = me.applications[0].reasons.map((x: Json) => x.reason).join(' ');
    expect(reasons).toContain('信息不完整');
    expect(reasons).toContain('地址请写到村组');

    const resub = await req(applicant, 'PUT', '/my-subject/application', {
      ...fields(r.n),
      address: '从化区温泉镇石海村三社 12 号',
    });
    expect(resub.statusCode, resub.body).toBe(200);
    const again = (await req(county, 'GET', `/reviews/${id}`)).json();
    expect(again.state).toBe('pending');
    expect(again.events.map((e: Json) => e.action)).toEqual(['submit', 'return', 'resubmit']);

    const ok = await req(county, 'POST', `/reviews/${id}/decision`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().state).toBe('approved');
    const approved = (await req(county, 'GET', `/subjects/${r.subjectId}`)).json();
    expect(approved.status).toBe('approved');
    expect(approved.identityCode).toBeTruthy();
    // Decided: the subjects endpoint refuses a second decision.
    expect((await req(county, 'POST', `/subject-applications/${r.applicationId}/approve`, {})).statusCode).toBe(409);
  });

  it('approving or rejecting on the subject review page resolves the item', async () => {
    const a = await register();
    const b = await register();
    expect((await req(county, 'POST', `/subject-applications/${a.applicationId}/approve`, {})).statusCode).toBe(200);
    expect((await itemOf(county, 'subject', a.subjectId))?.state).toBe('approved');
    const rej = await req(county, 'POST', `/subject-applications/${b.applicationId}/reject`, {
      reasons: [{ reason: '证照模糊' }],
    });
    expect(rej.statusCode, rej.body).toBe(200);
    const item = await itemOf(county, 'subject', b.subjectId);
    expect(item?.state).toBe('returned');
    expect(item?.reasons.map((x: Json) => x.zh)).toEqual(['证照模糊']);
    // Decided already: the queue refuses.
    expect((await req(county, 'POST', `/reviews/${item?.id}/decision`, { action: 'approve' })).statusCode).toBe(409);
  });
});

describe('origin records on the review queue', () => {
  it('return in the queue → returned with the reasons; the correction re-enters; approval there approves', async () => {
    const id = await collect(collector);
    const item = await itemOf(county, 'origin_record', id);
    expect(item?.state).toBe('pending');
    expect(item?.resourceZh).toBe('产地溯源记录');
    expect(item?.link).toBe(`/origin/table?record=${id}`);
    const itemId = item?.id as string;

    expect(await itemOf(outsider, 'origin_record', id)).toBeUndefined();
    expect((await req(outsider, 'POST', `/reviews/${itemId}/decision`, { action: 'approve' })).statusCode).toBe(403);
    expect(await itemOf(townSup, 'origin_record', id)).toBeUndefined();
    expect(await itemOf(infoReviewer, 'origin_record', id)).toBeUndefined();
    // The collector sees its own entry, but corrects it on the origin pages (no action here).
    expect((await itemOf(collector, 'origin_record', id))?.allowedActions).toEqual([]);

    const ret = await req(county, 'POST', `/reviews/${itemId}/decision`, {
      action: 'return',
      reasons: ['inaccurate'],
      comment: '基地地址请写到村组',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    const rec = (await req(collector, 'GET', `/origin/records/${id}`)).json();
    expect(rec.status).toBe('returned');
    expect(rec.reviewComment).toContain('信息不准确');
    expect(rec.reviewComment).toContain('基地地址请写到村组');

    const fix = await req(collector, 'PATCH', `/origin/records/${id}`, {
      baseAddress: '温泉镇南平村一队二组',
      submit: true,
    });
    expect(fix.statusCode, fix.body).toBe(200);
    expect((await req(county, 'GET', `/reviews/${itemId}`)).json().state).toBe('pending');

    const ok = await req(county, 'POST', `/reviews/${itemId}/decision`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await req(collector, 'GET', `/origin/records/${id}`)).json().status).toBe('approved');
  });

  it('review on the origin pages resolves the item; bulk approval approves the records; nobody reviews their own entry', async () => {
    const a = await collect(collector);
    const onPage = await req(county, 'POST', `/origin/records/${a}/review`, { action: 'return', comment: '补充照片' });
    expect(onPage.statusCode, onPage.body).toBe(200);
    const item = await itemOf(county, 'origin_record', a);
    expect(item?.state).toBe('returned');
    expect(item?.comment).toBe('补充照片');

    const b = await collect(collector);
    const c = await collect(collector);
    const own = await collect(countyAdmin);
    const ownItem = await itemOf(countyAdmin, 'origin_record', own);
    expect(ownItem?.ownEntry).toBe(true);
    expect(ownItem?.allowedActions).toEqual([]);
    const refused = await req(countyAdmin, 'POST', `/reviews/${ownItem?.id}/decision`, { action: 'approve' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('REVIEW_OWN_ENTRY');

    const bulk = await req(countyAdmin, 'POST', '/reviews/bulk-approve', { resource: 'origin_record' });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json().approved).toBe(2);
    expect(bulk.json().skippedOwn).toBe(1);
    for (const id of [b, c]) expect((await req(county, 'GET', `/origin/records/${id}`)).json().status).toBe('approved');
    expect((await req(county, 'GET', `/origin/records/${own}`)).json().status).toBe('submitted');
    // Another county's reviewer approves nothing of this county.
    const far = await req(outsider, 'POST', '/reviews/bulk-approve', { resource: 'origin_record' });
    expect(far.json().approved).toBe(0);
    expect((await req(county, 'GET', `/origin/records/${own}`)).json().status).toBe('submitted');
  });
});
