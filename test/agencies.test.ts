import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

let t: TestApp;
let province: string;
let city: string;
let producer: { token: string; subjectId: string };

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  province = (
    await makeUser(t, admin, {
      username: 'gd_agy',
      orgName: '广东省农产品质量安全中心',
      divisionCode: '44',
      roles: ['supervisor'],
    })
  ).token;
  city = (
    await makeUser(t, admin, {
      username: 'gz_agy',
      orgName: '广州市监管科',
      divisionCode: '4401',
      roles: ['supervisor'],
    })
  ).token;
  producer = await makeProducer(t, { username: 'agy_p', name: '授权合作社', divisionCode: '440117103' });
});
afterAll(() => t?.close());

const body = (o: Record<string, unknown> = {}) => ({
  name: '广州农信追溯服务有限公司',
  creditCode: makeCreditCode('91440101MA5AGY001'),
  legalPerson: '周洁',
  services: '代为采集生产记录、打印标签',
  divisionCode: '4401',
  contactName: '周洁',
  contactPhone: '13800000123',
  username: 'agency_admin',
  password: 'Agency1234',
  ...o,
});

/** Registers an agency (publicly) and returns its organisation id. */
async function register(o: Record<string, unknown> = {}): Promise<string> {
  const res = await t.req(null, { method: 'POST', url: '/api/v1/service-agencies/registrations', payload: body(o) });
  if (res.statusCode !== 201) throw new Error(`register agency: ${res.body}`);
  return res.json().orgId as string;
}

/** A registered agency the province has approved. */
async function approvedAgency(o: Record<string, unknown> = {}): Promise<string> {
  const orgId = await register(o);
  const ok = await t.req(province, { method: 'POST', url: `/api/v1/service-agencies/${orgId}/approve` });
  if (ok.statusCode !== 200) throw new Error(`approve agency: ${ok.body}`);
  return orgId;
}

describe('third-party service agencies', () => {
  it('registers (publicly), cannot log in before the province approves', async () => {
    const mine = {
      name: '广州农信追溯服务有限公司（注册）',
      creditCode: makeCreditCode('91440101MA5AGY002'),
      username: 'agency_new',
    };
    const bad = await t.req(null, {
      method: 'POST',
      url: '/api/v1/service-agencies/registrations',
      payload: body({ ...mine, creditCode: '91440101MA5AGY0010' }),
    });
    expect(bad.statusCode).toBe(400);
    const res = await t.req(null, {
      method: 'POST',
      url: '/api/v1/service-agencies/registrations',
      payload: body(mine),
    });
    expect(res.statusCode, res.body).toBe(201);
    const orgId = res.json().orgId;
    const dup = await t.req(null, {
      method: 'POST',
      url: '/api/v1/service-agencies/registrations',
      payload: body({ ...mine, username: 'other1' }),
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().field).toBe('creditCode');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agency_new', password: 'Agency1234' },
    });
    expect(login.statusCode).toBe(403);
    expect(
      (await t.req(null, { method: 'GET', url: `/api/v1/service-agencies/registrations/${orgId}` })).json().status,
    ).toBe('pending');
  });

  it('only the province decides', async () => {
    const orgId = await register({
      name: '广州农信追溯服务有限公司（待审）',
      creditCode: makeCreditCode('91440101MA5AGY003'),
      username: 'agency_pending',
    });
    const byCity = await t.req(city, { method: 'POST', url: `/api/v1/service-agencies/${orgId}/approve` });
    expect(byCity.statusCode).toBe(403);
    expect(byCity.json().code).toBe('AGENCY_REVIEW_PROVINCE_ONLY');
    const list = await t.req(province, { method: 'GET', url: '/api/v1/service-agencies?status=pending' });
    expect(list.json().items[0].allowedActions).toEqual(['approve', 'reject']);
    const noReason = await t.req(province, {
      method: 'POST',
      url: `/api/v1/service-agencies/${orgId}/reject`,
      payload: {},
    });
    expect(noReason.statusCode).toBe(400);
    const ok = await t.req(province, { method: 'POST', url: `/api/v1/service-agencies/${orgId}/approve` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
  });

  it('a producer authorises the agency (scoped, revocable); the agency enters a change on its behalf', async () => {
    const orgId = await approvedAgency();
    const agency = await t.login('agency_admin', 'Agency1234');
    const notYet = await t.req(agency, {
      method: 'POST',
      url: `/api/v1/agency/clients/${producer.subjectId}/changes`,
      payload: { changes: { contactPhone: '13700000000' }, reason: '代为更新电话' },
    });
    expect(notYet.statusCode).toBe(403);
    expect(notYet.json().code).toBe('AGENCY_NOT_AUTHORISED');
    const wrong = await t.req(producer.token, {
      method: 'POST',
      url: '/api/v1/my-subject/authorisations',
      payload: { agencyOrgId: producer.subjectId, scopes: ['profile'] },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('agencyOrgId');
    const available = await t.req(producer.token, { method: 'GET', url: '/api/v1/my-subject/available-agencies' });
    expect(available.json().items.map((a: { orgId: string }) => a.orgId)).toContain(orgId);
    const batchesOnly = await t.req(producer.token, {
      method: 'POST',
      url: '/api/v1/my-subject/authorisations',
      payload: { agencyOrgId: orgId, scopes: ['batches'] },
    });
    expect(batchesOnly.statusCode).toBe(200);
    expect(
      (
        await t.req(agency, {
          method: 'POST',
          url: `/api/v1/agency/clients/${producer.subjectId}/changes`,
          payload: { changes: { contactPhone: '13700000000' }, reason: '代为更新电话' },
        })
      ).statusCode,
    ).toBe(403);
    const grant = await t.req(producer.token, {
      method: 'POST',
      url: '/api/v1/my-subject/authorisations',
      payload: { agencyOrgId: orgId, scopes: ['batches', 'profile'] },
    });
    expect(grant.json().items).toHaveLength(1);
    const clients = await t.req(agency, { method: 'GET', url: '/api/v1/agency/clients' });
    expect(clients.json().items[0].subjectId).toBe(producer.subjectId);
    const ch = await t.req(agency, {
      method: 'POST',
      url: `/api/v1/agency/clients/${producer.subjectId}/changes`,
      payload: { changes: { contactPhone: '13700000000' }, reason: '代为更新电话' },
    });
    expect(ch.statusCode, ch.body).toBe(200);
    expect(ch.json().status).toBe('change_pending');
    expect(ch.json().applications[0].data.enteredByOrg).toContain('广州农信追溯服务有限公司');
    const logged = await t.database.db
      .selectFrom('audit_log')
      .select(['on_behalf_of', 'org_id'])
      .where('verb', '=', 'subject.requestChange')
      .executeTakeFirstOrThrow();
    expect(logged.on_behalf_of).toBe(producer.subjectId);
    expect(logged.org_id).toBe(orgId);
    const revoke = await t.req(producer.token, {
      method: 'POST',
      url: `/api/v1/my-subject/authorisations/${grant.json().items[0].id}/revoke`,
    });
    expect(revoke.json().items[0].active).toBe(false);
    expect((await t.req(agency, { method: 'GET', url: '/api/v1/agency/clients' })).json().items).toEqual([]);
  });
});
