import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { runReviewDeadlines } from '../src/modules/subjects/deadlines.js';
import { type TestApp, makeUser, proofFiles, testApp } from './helpers.js';

/** Issue 17 item 2: registration as seed 001 第八条 says — proofs, the 5-working-day clock, reasons, bulk approval. */
let t: TestApp;
let county: string;
let city: string;
let seq = 0;

const body = (o: Record<string, unknown> = {}) => {
  seq++;
  return {
    orgForm: 'cooperative',
    subjectType: 'production',
    industries: ['planting'],
    name: `第八条合作社${seq}`,
    certType: 'credit_code',
    certNo: makeCreditCode(`93440117MA5R8${String(seq).padStart(4, '0')}`),
    legalPersonName: '李',
    contactName: '李',
    contactPhone: '13800138000',
    address: '从化区温泉镇石海村',
    divisionCode: '440117103',
    username: `art8_${seq}`,
    password: 'Farmer123',
    ...o,
  };
};
const post = (tok: string | null, url: string, payload?: object) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

async function registered(o: Record<string, unknown> = {}): Promise<string> {
  const res = await post(null, '/subjects/registrations', { ...body(o), files: await proofFiles(t, 'credit_code') });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().applicationId;
}

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  county = (
    await makeUser(t, admin, {
      username: 'r8_county',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  city = (
    await makeUser(t, admin, {
      username: 'r8_city',
      orgName: '广州市监管处',
      divisionCode: '4401',
      roles: ['supervisor'],
    })
  ).token;
});
afterAll(() => t?.close());

describe('registration review (第八条)', () => {
  it('requires the proof files the certificate needs', async () => {
    const none = await post(null, '/subjects/registrations', body());
    expect(none.statusCode).toBe(400);
    expect(none.json().field).toBe('files');
    expect(none.json().message).toContain('营业执照');
    expect(none.json().messageEn).toContain('Business licence');
    const idFront = (await proofFiles(t, 'id_card')).slice(0, 1);
    const half = await post(null, '/subjects/registrations', {
      ...body({ orgForm: 'individual', certType: 'id_card', certNo: '11010519491231002X' }),
      files: idFront,
    });
    expect(half.statusCode).toBe(400);
    expect(half.json().message).toContain('身份证反面');
    // Nothing was written by the refused attempts.
    const n = await t.database.db.selectFrom('subject').select('id').where('name', 'like', '第八条合作社%').execute();
    expect(n).toHaveLength(0);
    await registered();
  });

  it('rejects with reasons from the list plus free text', async () => {
    const id = await registered();
    const list = await t.req(county, { method: 'GET', url: '/api/v1/subject-applications/reject-reasons' });
    expect(list.statusCode).toBe(200);
    expect(list.json().find((r: { code: string }) => r.code === 'address_incomplete')).toMatchObject({
      zh: '地址不详细（请写到村组门牌）',
      en: 'The address is incomplete',
      field: 'address',
    });
    expect(
      (await post(county, `/subject-applications/${id}/reject`, { reasons: [{ code: 'other' }] })).statusCode,
    ).toBe(400);
    expect((await post(county, `/subject-applications/${id}/reject`, { reasons: [{ code: 'nope' }] })).statusCode).toBe(
      400,
    );
    const ok = await post(county, `/subject-applications/${id}/reject`, {
      reasons: [{ code: 'address_incomplete', reason: '写到门牌号' }, { code: 'proof_unclear' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const app = ok.json().applications.find((a: { id: string }) => a.id === id);
    expect(app.reasons).toEqual([
      { code: 'address_incomplete', field: 'address', reason: '地址不详细（请写到村组门牌）：写到门牌号' },
      { code: 'proof_unclear', field: 'files', reason: '证明材料不清晰或已过期' },
    ]);
  });

  it('approves a filtered set at once, listing the ones it could not approve', async () => {
    const a = await registered();
    const b = await registered();
    const done = await registered();
    expect((await post(county, `/subject-applications/${done}/approve`, {})).statusCode).toBe(200);
    const res = await post(county, '/subject-applications/approve-many', { ids: [a, b, done], note: '批量通过' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().approved.sort()).toEqual([a, b].sort());
    expect(res.json().failed).toEqual([expect.objectContaining({ id: done, code: 'INVALID_STATE' })]);
    const codes = await t.database.db
      .selectFrom('subject_application as x')
      .innerJoin('subject as s', 's.id', 'x.subject_id')
      .select(['s.status', 's.identity_code'])
      .where('x.id', 'in', [a, b])
      .execute();
    for (const c of codes) {
      expect(c.status).toBe('approved');
      expect(c.identity_code).toBeTruthy();
    }
    // A city (not the county) cannot decide, and nothing is approved by a failed bulk call.
    const c = await registered();
    const byCity = await post(city, '/subject-applications/approve-many', { ids: [c] });
    expect(byCity.json().approved).toEqual([]);
    expect(byCity.json().failed[0].code).toBe('SUBJECT_REVIEW_COUNTY_ONLY');
    expect((await post(county, '/subject-applications/approve-many', { ids: [] })).statusCode).toBe(400);
  });

  it('reminds the county the working day before the deadline and escalates overdue applications to the city', async () => {
    const dueSoon = await registered();
    const late = await registered();
    const db = t.database.db;
    await db.updateTable('subject_application').set({ due_date: '2026-12-08' }).where('id', '=', dueSoon).execute();
    await db.updateTable('subject_application').set({ due_date: '2026-11-30' }).where('id', '=', late).execute();
    // Monday 2026-12-07: dueSoon is due the next working day, late is 5 working days overdue.
    const first = await runReviewDeadlines(db, '2026-12-07');
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    const again = await runReviewDeadlines(db, '2026-12-07');
    expect(again).toEqual({ reminded: 0, escalated: 0 });
    const forCity = (await t.req(city, { method: 'GET', url: '/api/v1/notifications' })).json().items as {
      title: string;
      titleEn: string;
    }[];
    const lateName = (
      await db
        .selectFrom('subject_application as a')
        .innerJoin('subject as s', 's.id', 'a.subject_id')
        .select('s.name')
        .where('a.id', '=', late)
        .executeTakeFirstOrThrow()
    ).name;
    expect(forCity.find((n) => n.title.includes(lateName))?.title).toContain('已超期 5 个工作日');
    expect(forCity.find((n) => n.title.includes(lateName))?.titleEn).toContain('overdue by 5 working day(s)');
    const forCounty = (await t.req(county, { method: 'GET', url: '/api/v1/notifications' })).json().items as {
      title: string;
    }[];
    expect(forCounty.some((n) => n.title.includes('即将到期（2026-12-08）'))).toBe(true);
    expect(forCounty.some((n) => n.title.includes(lateName))).toBe(true);
  });
});
