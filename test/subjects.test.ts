import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, chinaDate } from '../src/kernel/calendar.js';
import { makeCreditCode, makeIdNumber } from '../src/kernel/idcodes.js';
import { isIdentityCode } from '../src/modules/subjects/identity.js';
import { type TestApp, makeUser, proofFiles, testApp } from './helpers.js';
import { PNG } from './media.js';

function multipart(name: string, data: Buffer, mime = 'image/png') {
  const boundary = '----suyuan' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

let t: TestApp;
let admin: string;
let county: string; // 从化区 reviewer
let county2: string; // second 从化区 reviewer (four eyes)
let town: string; // 温泉镇 supervisor
let outside: string; // 蒲江县 reviewer
let seq = 0;

const credit = () => makeCreditCode(`93440117MA5${String(++seq).padStart(6, '0')}`);
function coop(overrides: Record<string, unknown> = {}) {
  return {
    orgForm: 'cooperative',
    subjectType: 'production',
    industries: ['planting'],
    name: `从化荔枝专业合作社${++seq}`,
    certType: 'credit_code',
    certNo: credit(),
    legalPersonName: '李大山',
    contactName: '李大山',
    contactPhone: '13800138000',
    address: '从化区温泉镇石海村',
    divisionCode: '440117103',
    longitude: 113.6,
    latitude: 23.6,
    username: `coop${seq}`,
    password: 'Farmer123',
    ...overrides,
  };
}
/** Registers `body`, with the proof files its certificate needs unless it names its own `files`. */
const register = async (body: Record<string, unknown>) =>
  t.req(null, {
    method: 'POST',
    url: '/api/v1/subjects/registrations',
    payload: 'files' in body ? body : { ...body, files: await proofFiles(t, String(body.certType)) },
  });
const count = async (table: 'subject' | 'organisation' | 'account' | 'subject_application') =>
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
  county = (
    await makeUser(t, admin, {
      username: 'ch_rev',
      orgName: '从化区农产品质量安全监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  const c2 = await t.database.db
    .selectFrom('organisation')
    .select('id')
    .where('name', '=', '从化区农产品质量安全监管站')
    .executeTakeFirstOrThrow();
  county2 = (
    await makeUser(t, admin, {
      username: 'ch_rev2',
      orgName: '',
      orgId: c2.id,
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  town = (
    await makeUser(t, admin, {
      username: 'wq_rev',
      orgName: '温泉镇农业服务中心',
      divisionCode: '440117103',
      roles: ['supervisor', 'collector'],
    })
  ).token;
  outside = (
    await makeUser(t, admin, {
      username: 'pj_rev',
      orgName: '蒲江县监管站',
      divisionCode: '510131',
      roles: ['supervisor'],
    })
  ).token;
});
afterAll(() => t?.close());

describe('files', () => {
  it('accepts a PNG licence and refuses other types and empty files', async () => {
    const ok = await t.req(null, {
      method: 'POST',
      url: '/api/v1/files?purpose=proof',
      ...multipart('licence.png', PNG),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().mime).toBe('image/png');
    const exe = await t.req(null, {
      method: 'POST',
      url: '/api/v1/files',
      ...multipart('licence.png', Buffer.from('MZ\x90\x00 not an image')),
    });
    expect(exe.statusCode).toBe(415);
    expect(exe.json().code).toBe('FILE_TYPE_NOT_ALLOWED');
    const empty = await t.req(null, { method: 'POST', url: '/api/v1/files', ...multipart('x.png', Buffer.alloc(0)) });
    expect(empty.statusCode).toBe(400);
    const json = await t.req(null, { method: 'POST', url: '/api/v1/files', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
  });

  it('sweeps uploads never attached after a day, keeping attached ones', async () => {
    const { sweepUnattached } = await import('../src/modules/files/sweep.js');
    const up = await t.req(null, { method: 'POST', url: '/api/v1/files', ...multipart('old.png', PNG) });
    await t.database.db
      .updateTable('stored_file')
      .set({ created_at: new Date(Date.now() - 2 * 86_400_000) })
      .where('id', '=', up.json().id)
      .execute();
    const deleted = await sweepUnattached(t.database.db, t.app.config);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(
      await t.database.db.selectFrom('stored_file').select('id').where('id', '=', up.json().id).executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('registration', () => {
  it('refuses a wrong check character, naming the field, and writes nothing', async () => {
    const before = await Promise.all([count('subject'), count('organisation'), count('account')]);
    const body = coop();
    const bad = `${(body.certNo as string).slice(0, 17)}${(body.certNo as string)[17] === '0' ? '1' : '0'}`;
    const res = await register({ ...body, certNo: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('certNo');
    expect(res.json().message).toContain('校验位');
    const idBad = await register(coop({ orgForm: 'individual', certType: 'id_card', certNo: '11010519491231002Y' }));
    expect(idBad.statusCode).toBe(400);
    expect(idBad.json().field).toBe('certNo');
    const form = await register(
      coop({ orgForm: 'cooperative', certType: 'id_card', certNo: makeIdNumber('440117', '19700101', '001') }),
    );
    expect(form.json().field).toBe('certType');
    const div = await register(coop({ divisionCode: '4401' }));
    expect(div.json().field).toBe('divisionCode');
    const unknownDiv = await register(coop({ divisionCode: '440199' }));
    expect(unknownDiv.statusCode).toBe(400);
    const weak = await register(coop({ password: 'password' }));
    expect(weak.json().field).toBe('password');
    const schema = await register({ ...coop(), industries: [] });
    expect(schema.statusCode).toBe(400);
    expect(await Promise.all([count('subject'), count('organisation'), count('account')])).toEqual(before);
  });

  it('refuses a duplicate credit code and a duplicate ID number with a clear message', async () => {
    const body = coop();
    expect((await register(body)).statusCode).toBe(201);
    const again = await register(coop({ certNo: body.certNo }));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SUBJECT_DUPLICATE');
    expect(again.json().field).toBe('certNo');
    expect(again.json().message).toContain('统一社会信用代码已经注册');
    const id = makeIdNumber('440117', '19650312', '123');
    expect((await register(coop({ orgForm: 'individual', certType: 'id_card', certNo: id }))).statusCode).toBe(201);
    // The same person as a family farm (by credit code) is the same producer: refused by ID number.
    const farm = await register(coop({ orgForm: 'family_farm', certType: 'credit_code', legalPersonIdNo: id }));
    expect(farm.statusCode).toBe(409);
    expect(farm.json().field).toBe('legalPersonIdNo');
    const user = await register(coop({ username: 'coop' + (seq - 5) }));
    expect([201, 409]).toContain(user.statusCode);
  });
});

describe('review → approval → producer rights', () => {
  // Each test registers its own producer and takes it as far as it needs with these steps.

  /** A registration with a licence image, waiting for the county: the applicant's token and what it registered. */
  let applicants = 0;
  async function newApplicant() {
    // Each applicant from its own address: the anonymous upload quota (20 files an hour per address) is not tested here.
    const up = await t.req(null, {
      method: 'POST',
      url: '/api/v1/files',
      remoteAddress: `10.9.0.${++applicants}`,
      ...multipart('执照.png', PNG),
    });
    const fileId = up.json().id as string;
    const body = coop({ files: [{ fileId, kind: 'licence' }] });
    const res = await register(body);
    expect(res.statusCode, res.body).toBe(201);
    const applicant = await t.login(body.username as string, 'Farmer123');
    return { applicant, subjectId: res.json().subjectId as string, fileId, body };
  }
  const latestApplication = async (token: string) =>
    (await t.req(token, { method: 'GET', url: '/api/v1/my-subject' })).json().applications[0] as { id: string };

  /** Rejected once for its address, corrected and resubmitted (two register applications), waiting again. */
  async function resubmitted() {
    const a = await newApplicant();
    const rej = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${(await latestApplication(a.applicant)).id}/reject`,
      payload: { reasons: [{ field: 'address', reason: '地址不详细，请写到村组' }] },
    });
    expect(rej.statusCode, rej.body).toBe(200);
    const { username: _u, password: _p, ...fields } = a.body;
    const fix = await t.req(a.applicant, {
      method: 'PUT',
      url: '/api/v1/my-subject/application',
      payload: { ...fields, address: '从化区温泉镇石海村三社 12 号' },
    });
    expect(fix.statusCode, fix.body).toBe(200);
    return a;
  }

  /** Resubmitted and approved by the county: producer rights are open. */
  async function approved() {
    const a = await resubmitted();
    const ok = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${(await latestApplication(a.applicant)).id}/approve`,
      payload: { note: '材料齐全' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    return a;
  }

  it('registers with a licence image; the deadline is 5 working days', async () => {
    const up = await t.req(null, { method: 'POST', url: '/api/v1/files', ...multipart('执照.png', PNG) });
    const fileId = up.json().id;
    const body = coop({ files: [{ fileId, kind: 'licence' }] });
    const res = await register(body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().status).toBe('pending');
    expect(res.json().dueDate).toBe(addWorkingDays(chinaDate(), 5));
  });

  it('the applicant sees the status but has no producer rights yet', async () => {
    const { applicant, fileId } = await newApplicant();
    const me = await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' });
    expect(me.statusCode).toBe(200);
    expect(me.json().status).toBe('pending');
    expect(me.json().allowedActions).toEqual([]);
    expect(me.json().files[0].kind).toBe('licence');
    const file = await t.req(applicant, { method: 'GET', url: `/api/v1/files/${fileId}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(
      (
        await t.req(applicant, {
          method: 'POST',
          url: '/api/v1/my-subject/cancellation',
          payload: { reason: '不干了' },
        })
      ).statusCode,
    ).toBe(403);
    expect((await t.req(applicant, { method: 'GET', url: '/api/v1/subjects' })).statusCode).toBe(403);
    // Another producer's file is not readable by this applicant.
    expect((await t.req(outside, { method: 'GET', url: `/api/v1/files/${fileId}` })).statusCode).toBe(403);
  });

  it('the queue shows the county reviewer what to do; others may not decide', async () => {
    const { subjectId } = await newApplicant();
    const q = await t.req(county, { method: 'GET', url: '/api/v1/subject-applications?kind=register' });
    expect(q.statusCode).toBe(200);
    const item = q.json().items.find((i: { subjectId: string }) => i.subjectId === subjectId);
    expect(item.allowedActions).toEqual(['approve', 'reject']);
    expect(item.overdue).toBe(false);
    expect(item.workingDaysLeft).toBe(5);
    const tq = await t.req(town, { method: 'GET', url: '/api/v1/subject-applications' });
    expect(tq.json().items.find((i: { subjectId: string }) => i.subjectId === subjectId).allowedActions).toEqual([]);
    const byTown = await t.req(town, {
      method: 'POST',
      url: `/api/v1/subject-applications/${item.id}/approve`,
      payload: {},
    });
    expect(byTown.statusCode).toBe(403);
    expect(byTown.json().code).toBe('SUBJECT_REVIEW_COUNTY_ONLY');
    const byOutside = await t.req(outside, {
      method: 'POST',
      url: `/api/v1/subject-applications/${item.id}/approve`,
      payload: {},
    });
    expect(byOutside.statusCode).toBe(403);
    expect(
      (await t.req(outside, { method: 'GET', url: '/api/v1/subject-applications' }))
        .json()
        .items.some((i: { subjectId: string }) => i.subjectId === subjectId),
    ).toBe(false);
  });

  it('reject needs reasons; the applicant corrects and resubmits', async () => {
    const { applicant, body } = await newApplicant();
    const app = (await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' })).json().applications[0];
    const none = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${app.id}/reject`,
      payload: { reasons: [] },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().field).toBe('reasons');
    const rej = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${app.id}/reject`,
      payload: { reasons: [{ field: 'address', reason: '地址不详细，请写到村组' }] },
    });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(rej.json().status).toBe('rejected');
    const again = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${app.id}/approve`,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    const me = (await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' })).json();
    expect(me.allowedActions).toEqual(['resubmit']);
    expect(me.applications[0].reasons[0].reason).toContain('村组');
    const { username: _u, password: _p, ...fields } = body;
    const badFix = await t.req(applicant, {
      method: 'PUT',
      url: '/api/v1/my-subject/application',
      payload: { ...fields, certNo: 'X' },
    });
    expect(badFix.statusCode).toBe(400);
    const fix = await t.req(applicant, {
      method: 'PUT',
      url: '/api/v1/my-subject/application',
      payload: { ...fields, address: '从化区温泉镇石海村三社 12 号' },
    });
    expect(fix.statusCode, fix.body).toBe(200);
    expect(fix.json().status).toBe('pending');
    expect(fix.json().applications).toHaveLength(2);
  });

  it('approval issues the identity code and opens producer rights', async () => {
    const { applicant, body } = await resubmitted();
    const app = (await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' })).json().applications[0];
    const ok = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${app.id}/approve`,
      payload: { note: '材料齐全' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
    const code = ok.json().identityCode as string;
    expect(isIdentityCode(code)).toBe(true);
    expect(code.startsWith(`HC${body.certNo}`)).toBe(true);
    const me = (await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' })).json();
    expect(me.allowedActions.sort()).toEqual(['requestCancel', 'requestChange']);
    const qr = await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject/identity-qr.svg' });
    expect(qr.statusCode).toBe(200);
    expect(qr.body).toContain('<svg');
    const pdf = await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject/identity-card.pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const acc = await t.database.db
      .selectFrom('account')
      .select(['roles', 'user_code'])
      .where('username', '=', body.username as string)
      .executeTakeFirstOrThrow();
    expect(acc.roles).toEqual(['producer_admin']);
    expect(acc.user_code).toBe(`${code}-00`);
  });

  it('a regulator opens the subject by identity code within jurisdiction only (and it is logged)', async () => {
    const { applicant, subjectId } = await approved();
    const code = (await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' })).json().identityCode as string;
    const res = await t.req(town, { method: 'GET', url: `/api/v1/subjects/by-identity-code/${code.toLowerCase()}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().id).toBe(subjectId);
    expect((await t.req(outside, { method: 'GET', url: `/api/v1/subjects/by-identity-code/${code}` })).statusCode).toBe(
      403,
    );
    const typo = `${code.slice(0, 5)}${code[5] === '1' ? '2' : '1'}${code.slice(6)}`;
    const bad = await t.req(town, { method: 'GET', url: `/api/v1/subjects/by-identity-code/${typo}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('code');
    const logged = await t.database.db
      .selectFrom('audit_log')
      .select('verb')
      .where('verb', '=', 'subject.scan')
      .where('target_id', '=', subjectId)
      .execute();
    expect(logged.length).toBe(1);
    const card = await t.req(county, { method: 'GET', url: `/api/v1/subjects/${subjectId}/identity-card.pdf` });
    expect(card.statusCode).toBe(200);
  });

  it('sub-accounts get user codes and must change their password', async () => {
    const { applicant } = await approved();
    const code = (await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' })).json().identityCode as string;
    const a = await t.req(applicant, {
      method: 'POST',
      url: '/api/v1/my-subject/staff',
      payload: { username: `staff${seq}`, displayName: '仓管 小王', password: 'Staff1234' },
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().userCode).toBe(`${code}-01`);
    const b = await t.req(applicant, {
      method: 'POST',
      url: '/api/v1/my-subject/staff',
      payload: { username: `staffb${seq}`, displayName: '销售 小张', password: 'Staff1234' },
    });
    expect(b.json().userCode).toBe(`${code}-02`);
    const dupe = await t.req(applicant, {
      method: 'POST',
      url: '/api/v1/my-subject/staff',
      payload: { username: `staff${seq}`, displayName: 'x', password: 'Staff1234' },
    });
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().field).toBe('username');
    const staffToken = await t.login(`staff${seq}`, 'Staff1234');
    expect((await t.req(staffToken, { method: 'GET', url: '/api/v1/my-subject' })).statusCode).toBe(403); // password change first
    const list = await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject/staff' });
    expect(list.json().items).toHaveLength(3);
    const dis = await t.req(applicant, {
      method: 'PATCH',
      url: `/api/v1/my-subject/staff/${b.json().id}`,
      payload: { status: 'disabled' },
    });
    expect(dis.json().status).toBe('disabled');
    const self = list.json().items.find((x: { main: boolean }) => x.main);
    expect(
      (
        await t.req(applicant, {
          method: 'PATCH',
          url: `/api/v1/my-subject/staff/${self.id}`,
          payload: { status: 'disabled' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await t.req(applicant, { method: 'PATCH', url: `/api/v1/my-subject/staff/${b.json().id}`, payload: {} }))
        .statusCode,
    ).toBe(400);
  });

  it('changes are re-reviewed and the history is kept', async () => {
    const { applicant } = await approved();
    const bad = await t.req(applicant, {
      method: 'POST',
      url: '/api/v1/my-subject/changes',
      payload: { changes: {}, reason: '改名' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('changes');
    const far = await t.req(applicant, {
      method: 'POST',
      url: '/api/v1/my-subject/changes',
      payload: { changes: { divisionCode: '510131' }, reason: '搬迁' },
    });
    expect(far.json().field).toBe('changes.divisionCode');
    const ch = await t.req(applicant, {
      method: 'POST',
      url: '/api/v1/my-subject/changes',
      payload: { changes: { name: '从化石海荔枝合作社', contactPhone: '13900139000' }, reason: '更名' },
    });
    expect(ch.statusCode, ch.body).toBe(200);
    expect(ch.json().status).toBe('change_pending');
    expect(ch.json().name).not.toBe('从化石海荔枝合作社');
    const app = ch.json().applications[0];
    expect(app.kind).toBe('change');
    const ok = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${app.id}/approve`,
      payload: {},
    });
    expect(ok.json().status).toBe('approved');
    expect(ok.json().name).toBe('从化石海荔枝合作社');
    expect(ok.json().contactPhone).toBe('13900139000');
    expect(ok.json().applications.map((a: { kind: string }) => a.kind)).toEqual(['change', 'register', 'register']);
  });

  it('revocation is proposed by one officer and decided by another; rights close', async () => {
    const { applicant, subjectId, body } = await approved();
    const prop = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subjects/${subjectId}/revocation`,
      payload: { reason: '提供虚假信息' },
    });
    expect(prop.statusCode, prop.body).toBe(200);
    expect(prop.json().status).toBe('revoke_pending');
    const app = prop.json().applications[0];
    const self = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${app.id}/approve`,
      payload: {},
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('SUBJECT_FOUR_EYES');
    const ok = await t.req(county2, {
      method: 'POST',
      url: `/api/v1/subject-applications/${app.id}/approve`,
      payload: {},
    });
    expect(ok.json().status).toBe('revoked');
    const me = await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject' });
    expect(me.json().status).toBe('revoked');
    expect(me.json().allowedActions).toEqual([]);
    expect((await t.req(applicant, { method: 'GET', url: '/api/v1/my-subject/staff' })).statusCode).toBe(403);
    // The credit code is free again for a new registration.
    expect((await register(coop({ certNo: body.certNo }))).statusCode).toBe(201);
  });
});

describe('cancellation, search, export, overdue', () => {
  it('a producer cancels; a rejected cancellation returns to approved', async () => {
    const b = coop();
    const reg = await register(b);
    const tok = await t.login(b.username as string, 'Farmer123');
    const app = (await t.req(tok, { method: 'GET', url: '/api/v1/my-subject' })).json().applications[0];
    await t.req(county, { method: 'POST', url: `/api/v1/subject-applications/${app.id}/approve`, payload: {} });
    const c1 = await t.req(tok, {
      method: 'POST',
      url: '/api/v1/my-subject/cancellation',
      payload: { reason: '停止经营' },
    });
    expect(c1.json().status).toBe('cancel_pending');
    const r1 = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${c1.json().applications[0].id}/reject`,
      payload: { reasons: [{ reason: '尚有未完结批次' }] },
    });
    expect(r1.json().status).toBe('approved');
    const c2 = await t.req(tok, {
      method: 'POST',
      url: '/api/v1/my-subject/cancellation',
      payload: { reason: '停止经营' },
    });
    const ok = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${c2.json().applications[0].id}/approve`,
      payload: {},
    });
    expect(ok.json().status).toBe('cancelled');
    expect(reg.json().subjectId).toBe(ok.json().id);
  });

  it('search is limited to the jurisdiction and filters', async () => {
    const all = await t.req(town, { method: 'GET', url: '/api/v1/subjects?pageSize=200' });
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBeGreaterThan(3);
    expect(all.json().items.every((s: { divisionCode: string }) => s.divisionCode.startsWith('440117103'))).toBe(true);
    const none = await t.req(outside, { method: 'GET', url: '/api/v1/subjects' });
    expect(none.json().total).toBe(0);
    const revoked = await t.req(county, { method: 'GET', url: '/api/v1/subjects?status=revoked' });
    expect(revoked.json().items.every((s: { status: string }) => s.status === 'revoked')).toBe(true);
    expect(revoked.json().total).toBe(1);
    const byName = await t.req(county, { method: 'GET', url: `/api/v1/subjects?q=${encodeURIComponent('石海荔枝')}` });
    expect(byName.json().total).toBe(1);
    const ind = await t.req(county, { method: 'GET', url: '/api/v1/subjects?industry=fishery' });
    expect(ind.json().total).toBe(0);
    const bad = await t.req(county, { method: 'GET', url: '/api/v1/subjects?status=nonsense' });
    expect(bad.statusCode).toBe(400);
    // ID numbers are masked for officers who are not the county reviewers.
    const ind2 = (await t.req(town, { method: 'GET', url: '/api/v1/subjects?orgForm=individual' })).json().items[0];
    expect(ind2.certNo).toContain('*');
    const full = (await t.req(county, { method: 'GET', url: `/api/v1/subjects/${ind2.id}` })).json();
    expect(full.certNo).not.toContain('*');
  });

  it('producer organisations are not listed among agencies', async () => {
    const orgs = await t.req(admin, { method: 'GET', url: '/api/v1/organisations?pageSize=200' });
    expect(orgs.statusCode).toBe(200);
    expect(orgs.json().items.length).toBeGreaterThan(0);
    expect(orgs.json().items.some((o: { kind: string }) => o.kind === 'producer')).toBe(false);
  });

  it('exports Excel', async () => {
    const res = await t.req(county, { method: 'GET', url: '/api/v1/subjects/export.xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(1).value).toBe('主体名称');
    expect(ws.rowCount).toBeGreaterThan(3);
  });

  it('flags overdue applications', async () => {
    const b = coop();
    const reg = await register(b);
    await t.database.db
      .updateTable('subject_application')
      .set({ due_date: '2026-01-05', submitted_at: new Date('2025-12-26T02:00:00Z') })
      .where('id', '=', reg.json().applicationId)
      .execute();
    const q = await t.req(county, { method: 'GET', url: '/api/v1/subject-applications?overdue=true' });
    const item = q.json().items.find((i: { id: string }) => i.id === reg.json().applicationId);
    expect(item.overdue).toBe(true);
    expect(item.overdueWorkingDays).toBeGreaterThan(100);
    expect(q.json().items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
  });
});
