import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../src/kernel/jobs.js';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';
import { originRow, originWorkbook } from './origin-sheet.js';

/**
 * Issue 13 item 3, the gaps the first pass left (seed 000 第十二条): producer change (变更), cancellation (注销) and
 * revocation (撤销) applications and origin records imported already submitted are items on the one review queue,
 * decided there through the owner's transition or on the owner's page; the queue's clock is the owner's due date;
 * each item links to its record; the origin map's own review refuses a reviewer's own entry, as the queue does.
 */
const COUNTY = '440117';
const TOWN = '440117103';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let county: string; // county supervisor: reviews applications and origin records
let county2: string; // a second county supervisor (proposes revocations, reviews too)
let countyAdmin: { token: string; userId: string }; // county information administrator: collects and reviews
let seq = 0;

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read loosely
type Json = Record<string, any>;
const req = (tok: string | null, method: string, url: string, payload?: object) =>
  t.req(tok, { method: method as 'GET', url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

async function itemOf(tok: string, resource: string, recordId: string): Promise<Json | undefined> {
  const res = await req(tok, 'GET', `/reviews?resource=${resource}&pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.find((i: Json) => i.recordId === recordId);
}

/** The subject's pending application (as the subject review page lists it). */
async function pendingApplication(subjectId: string): Promise<Json> {
  const res = await req(county, 'GET', `/subject-applications?subjectId=${subjectId}&status=pending`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().items).toHaveLength(1);
  return res.json().items[0];
}

const producer = () =>
  makeProducer(t, { username: `kinds_${++seq}`, name: `队列种类合作社${seq}`, divisionCode: TOWN });

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  const station = await makeUser(t, admin, {
    username: 'kinds_county',
    orgName: '从化区农产品质量安全监管站',
    divisionCode: COUNTY,
    roles: ['supervisor'],
  });
  county = station.token;
  county2 = (
    await makeUser(t, admin, {
      username: 'kinds_county2',
      orgName: '',
      orgId: station.orgId,
      divisionCode: COUNTY,
      roles: ['supervisor'],
    })
  ).token;
  countyAdmin = await makeUser(t, admin, {
    username: 'kinds_admin',
    orgName: '从化区信息中心',
    divisionCode: COUNTY,
    roles: ['info_admin'],
  });
});
afterAll(() => t?.close());

describe('change, cancellation and revocation applications on the review queue', () => {
  it('a change application is an item with the application’s due date; approving it in the queue applies the change', async () => {
    const p = await producer();
    const ch = await req(p.token, 'POST', '/my-subject/changes', {
      changes: { contactPhone: '13711112222' },
      reason: '更换联系电话',
    });
    expect(ch.statusCode, ch.body).toBe(200);
    const app = await pendingApplication(p.subjectId);
    expect(app.kind).toBe('change');

    const item = await itemOf(county, 'subject_change', app.id);
    expect(item, 'the change application is on the county reviewer’s queue').toBeDefined();
    expect(item?.resourceZh).toBe('主体变更申请');
    expect(item?.resourceEn).toBe('Producer change application');
    expect(item?.state).toBe('pending');
    // One deadline: the application's (5 working days), shown as the end of that China day.
    expect(item?.dueAt).toBe(new Date(`${app.dueDate}T23:59:59+08:00`).toISOString());
    expect(item?.link).toBe(`/subject-reviews?application=${app.id}`);
    expect(item?.allowedActions).toEqual(['approve', 'return']);
    // The producer sees its own application's item, read-only.
    expect((await itemOf(p.token, 'subject_change', app.id))?.allowedActions).toEqual([]);

    const ok = await req(county, 'POST', `/reviews/${item?.id}/decision`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().state).toBe('approved');
    const s = (await req(county, 'GET', `/subjects/${p.subjectId}`)).json();
    expect(s.status).toBe('approved');
    expect(s.contactPhone).toBe('13711112222');
    const decided = (await req(county, 'GET', `/subject-applications?applicationId=${app.id}`)).json().items[0];
    expect(decided.status).toBe('approved');
  });

  it('a cancellation returned in the queue is rejected with the reasons; one rejected on the review page resolves its item', async () => {
    const p = await producer();
    expect((await req(p.token, 'POST', '/my-subject/cancellation', { reason: '停止经营' })).statusCode).toBe(200);
    const app = await pendingApplication(p.subjectId);
    const item = await itemOf(county, 'subject_cancel', app.id);
    expect(item?.resourceZh).toBe('主体注销申请');
    expect(item?.dueAt).toBe(new Date(`${app.dueDate}T23:59:59+08:00`).toISOString());
    const ret = await req(county, 'POST', `/reviews/${item?.id}/decision`, {
      action: 'return',
      reasons: ['incomplete'],
      comment: '请先结清在售批次',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json().state).toBe('returned');
    expect((await req(county, 'GET', `/subjects/${p.subjectId}`)).json().status).toBe('approved');
    const mine = (await req(p.token, 'GET', '/my-subject')).json();
    const cancel = mine.applications.find((a: Json) => a.id === app.id);
    expect(cancel.status).toBe('rejected');
    expect(cancel.reasons.map((r: Json) => r.reason).join(' ')).toContain('请先结清在售批次');

    // A second cancellation is a new item; rejecting it on the subject review page resolves that item.
    expect((await req(p.token, 'POST', '/my-subject/cancellation', { reason: '确定停止经营' })).statusCode).toBe(200);
    const again = await pendingApplication(p.subjectId);
    expect(again.id).not.toBe(app.id);
    expect((await itemOf(county, 'subject_cancel', again.id))?.state).toBe('pending');
    const rej = await req(county, 'POST', `/subject-applications/${again.id}/reject`, {
      reasons: [{ reason: '材料不全' }],
    });
    expect(rej.statusCode, rej.body).toBe(200);
    const resolved = await itemOf(county, 'subject_cancel', again.id);
    expect(resolved?.state).toBe('returned');
    expect(resolved?.reasons.map((r: Json) => r.zh)).toEqual(['材料不全']);
  });

  it('a revocation proposal: its proposer may not decide it in the queue; another reviewer’s approval revokes', async () => {
    const p = await producer();
    const prop = await req(county2, 'POST', `/subjects/${p.subjectId}/revocation`, { reason: '提供虚假信息' });
    expect(prop.statusCode, prop.body).toBe(200);
    const app = await pendingApplication(p.subjectId);
    const mineItem = await itemOf(county2, 'subject_revoke', app.id);
    expect(mineItem?.resourceZh).toBe('主体撤销申请');
    expect(mineItem?.ownEntry).toBe(true);
    expect(mineItem?.allowedActions).toEqual([]);
    const refused = await req(county2, 'POST', `/reviews/${mineItem?.id}/decision`, { action: 'approve' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('REVIEW_OWN_ENTRY');
    // The producer does not see a regulator's proposal on its queue.
    expect(await itemOf(p.token, 'subject_revoke', app.id)).toBeUndefined();

    const ok = await req(county, 'POST', `/reviews/${mineItem?.id}/decision`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await req(county, 'GET', `/subjects/${p.subjectId}`)).json().status).toBe('revoked');
  });

  it('bulk approval on the queue approves pending change applications through the subjects service', async () => {
    const p = await producer();
    await req(p.token, 'POST', '/my-subject/changes', {
      changes: { address: '温泉镇石海村二社 8 号' },
      reason: '门牌',
    });
    const app = await pendingApplication(p.subjectId);
    const bulk = await req(county, 'POST', '/reviews/bulk-approve', {
      ids: [(await itemOf(county, 'subject_change', app.id))?.id],
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json().approved).toBe(1);
    expect((await req(county, 'GET', `/subjects/${p.subjectId}`)).json().address).toBe('温泉镇石海村二社 8 号');
  });
});

describe('origin records on the review queue', () => {
  it('rows imported already submitted are items with the record’s review deadline; approving one there approves it', async () => {
    const rows = [0, 1].map((i) => originRow(TOWN, { 2: `导入审核户${i}`, 8: `温泉镇石坑村${i}号地` }));
    const buf = await originWorkbook(t, countyAdmin.token, rows);
    const res = await t.req(countyAdmin.token, {
      method: 'POST',
      url: '/api/v1/origin/imports',
      ...multipartFile('import.xlsx', buf, XLSX),
    });
    expect(res.statusCode, res.body).toBe(202);
    await drain(t.database.db, t.app.config);
    const list = (await req(county, 'GET', '/origin/records?q=导入审核户&pageSize=10')).json().items as Json[];
    expect(list).toHaveLength(2);
    for (const r of list) {
      expect(r.status).toBe('submitted');
      const item = await itemOf(county, 'origin_record', r.id);
      expect(item, `imported record ${r.subjectName} is on the queue`).toBeDefined();
      expect(item?.state).toBe('pending');
      expect(item?.dueAt).toBe(new Date(`${r.reviewDue}T23:59:59+08:00`).toISOString());
      expect(item?.link).toBe(`/origin/table?record=${r.id}`);
    }
    // The importer entered them: not on its own review; the county supervisor approves one from the queue.
    const own = await itemOf(countyAdmin.token, 'origin_record', list[0].id);
    expect(own?.ownEntry).toBe(true);
    const item = await itemOf(county, 'origin_record', list[0].id);
    const ok = await req(county, 'POST', `/reviews/${item?.id}/decision`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await req(county, 'GET', `/origin/records/${list[0].id}`)).json().status).toBe('approved');
  });

  it('the origin map’s own review refuses a reviewer’s own entry, and hides its buttons', async () => {
    const list = (await req(county, 'GET', '/origin/records?q=导入审核户&status=submitted&pageSize=10')).json()
      .items as Json[];
    expect(list).toHaveLength(1);
    const id = list[0].id as string;
    const mine = (await req(countyAdmin.token, 'GET', `/origin/records/${id}`)).json();
    expect(mine.ownEntry).toBe(true);
    expect(mine.allowedActions).not.toContain('approve');
    expect(mine.allowedActions).not.toContain('return');
    for (const body of [{ action: 'approve' }, { action: 'return', comment: '照片不清' }]) {
      const refused = await req(countyAdmin.token, 'POST', `/origin/records/${id}/review`, body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('REVIEW_OWN_ENTRY');
      expect(refused.json().message).toContain('不能审核自己录入的信息');
      expect(refused.json().messageEn).toContain('Nobody reviews their own entry');
    }
    const batch = await req(countyAdmin.token, 'POST', '/origin/records/review', { ids: [id], action: 'approve' });
    expect(batch.statusCode).toBe(403);
    expect((await req(county, 'GET', `/origin/records/${id}`)).json().status).toBe('submitted');
    // Another reviewer sees the buttons and decides it.
    const theirs = (await req(county, 'GET', `/origin/records/${id}`)).json();
    expect(theirs.ownEntry).toBe(false);
    expect(theirs.allowedActions).toEqual(expect.arrayContaining(['approve', 'return']));
    const ok = await req(county, 'POST', `/origin/records/${id}/review`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await itemOf(county, 'origin_record', id))?.state).toBe('approved');
  });

  it('a pending item’s clock follows the record’s review deadline when it moves', async () => {
    const rows = [originRow(TOWN, { 2: '期限跟随户', 8: '温泉镇石坑村9号地' })];
    const buf = await originWorkbook(t, countyAdmin.token, rows);
    const res = await t.req(countyAdmin.token, {
      method: 'POST',
      url: '/api/v1/origin/imports',
      ...multipartFile('due.xlsx', buf, XLSX),
    });
    expect(res.statusCode, res.body).toBe(202);
    await drain(t.database.db, t.app.config);
    const r = (await req(county, 'GET', '/origin/records?q=期限跟随户')).json().items[0] as Json;
    // The owner's deadline moves (as a county extending it would); the next write of the record carries it over.
    await sql`UPDATE origin_record SET review_due = '2027-01-29' WHERE id = ${r.id}`.execute(t.database.db);
    const upd = await req(countyAdmin.token, 'PATCH', `/origin/records/${r.id}`, { contactName: '王五' });
    expect(upd.statusCode, upd.body).toBe(200);
    const item = await itemOf(county, 'origin_record', r.id);
    expect(item?.dueAt).toBe(new Date('2027-01-29T23:59:59+08:00').toISOString());
  });
});

describe('existing data (migration 202612090101)', () => {
  it('a pending change application and a submitted origin record without items get them, with the owner’s deadline', async () => {
    const p = await producer();
    await req(p.token, 'POST', '/my-subject/changes', { changes: { contactName: '陈二' }, reason: '换联系人' });
    const app = await pendingApplication(p.subjectId);
    const rec = (await req(county, 'GET', '/origin/records?q=期限跟随户')).json().items[0] as Json;
    // As before this change: no item for either, and the record's deadline not the item's.
    const db = t.database.db;
    const ids = [app.id, rec.id];
    await sql`DELETE FROM review_event WHERE item_id IN (SELECT id FROM review_item WHERE record_id IN (${sql.join(ids)}))`.execute(
      db,
    );
    await sql`DELETE FROM review_item WHERE record_id IN (${sql.join(ids)})`.execute(db);
    expect(await itemOf(county, 'subject_change', app.id)).toBeUndefined();
    const file = new URL('../src/migrations/202612090101_review_owner_kinds.sql', import.meta.url);
    const text = readFileSync(file, 'utf8').replace(/^--.*$/gm, '');
    for (const stmt of text.split(/;\s*\n/).filter((x) => x.trim())) await sql.raw(stmt).execute(db);

    const change = await itemOf(county, 'subject_change', app.id);
    expect(change?.state).toBe('pending');
    expect(change?.dueAt).toBe(new Date(`${app.dueDate}T23:59:59+08:00`).toISOString());
    expect(change?.allowedActions).toEqual(['approve', 'return']);
    const origin = await itemOf(county, 'origin_record', rec.id);
    expect(origin?.state).toBe('pending');
    expect(origin?.dueAt).toBe(new Date('2027-01-29T23:59:59+08:00').toISOString());
    expect((await req(county, 'GET', `/reviews/${origin?.id}`)).json().events.map((e: Json) => e.action)).toEqual([
      'submit',
    ]);
    // Decided from the queue like any other.
    const ok = await req(county, 'POST', `/reviews/${change?.id}/decision`, { action: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await req(county, 'GET', `/subjects/${p.subjectId}`)).json().contactName).toBe('陈二');
  });
});
