import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

/**
 * Issue 13 item 2 for a form other than the batch: a new rule is a data change. Publishing a catalogue version that
 * makes a patrol's findings required makes the API refuse a patrol result without them (400 CATALOG_RULE_VIOLATED
 * naming the field), where the same result was not refused by the catalogue before.
 */
let t: TestApp;
let admin: string;
let town: Awaited<ReturnType<typeof makeUser>>;
let code: string;

const api = (tok: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.req(tok, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  town = await makeUser(t, admin, {
    username: 'icp_town',
    orgName: '温泉镇农业服务中心',
    divisionCode: '440117103',
    roles: ['supervisor'],
  });
  const certNo = makeCreditCode('93440117MA5TCP001');
  const p = await makeProducer(t, { username: 'icp_coop', name: '巡查目录合作社', divisionCode: '440117103', certNo });
  code = identityCode({
    orgForm: 'cooperative',
    certType: 'credit_code',
    certNo,
    personalIdNo: null,
    countyCode: '440117',
    secret: 'x',
  });
  await t.database.db.updateTable('subject').set({ identity_code: code }).where('id', '=', p.subjectId).execute();
}, 600_000);
afterAll(() => t?.close());

async function startPatrol(): Promise<{ id: string; items: string[] }> {
  const res = await api(town.token, 'POST', '/patrols', { identityCode: code, target: 'base' });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, items: res.json().templateItems.map((i: { code: string }) => i.code) };
}

describe('a published catalogue rule governs a non-batch form (patrol)', () => {
  it('publishing "findings required" makes the API refuse a patrol result without findings, naming the field', async () => {
    const before = await startPatrol();
    const body = (items: string[]) => ({ result: 'pass', checklist: items.map((c) => ({ code: c, ok: true })) });
    // Under version 1.0 the catalogue does not refuse it (whatever the patrol module's own rules then say).
    const under10 = await api(town.token, 'POST', `/patrols/${before.id}/submit`, body(before.items));
    expect(under10.json().code).not.toBe('CATALOG_RULE_VIOLATED');

    const d = await api(admin, 'POST', '/info-catalog/versions', { version: '1.1', title: '巡查须填写发现的问题' });
    expect(d.statusCode, d.body).toBe(201);
    const content = d.json().content;
    const patrol = content.resources.find((r: { key: string }) => r.key === 'patrol');
    const findings = patrol.fields.find((f: { key: string }) => f.key === 'findings');
    expect(findings.required).toBe(false);
    findings.required = true;
    expect((await api(admin, 'PATCH', '/info-catalog/versions/1.1', { content })).statusCode).toBe(200);
    expect((await api(admin, 'POST', '/info-catalog/versions/1.1/publish', {})).statusCode).toBe(200);

    const p = await startPatrol();
    const refused = await api(town.token, 'POST', `/patrols/${p.id}/submit`, body(p.items));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('CATALOG_RULE_VIOLATED');
    expect(refused.json().field).toBe('findings');
    expect(refused.json().messageEn).toContain('1.1');
    // Nothing was written: the patrol is still in progress.
    expect((await api(town.token, 'GET', `/patrols/${p.id}`)).json().status).toBe('in_progress');
    // With the field the catalogue lets it through.
    const withFindings = await api(town.token, 'POST', `/patrols/${p.id}/submit`, {
      ...body(p.items),
      findings: '未发现问题',
    });
    expect(withFindings.json().code).not.toBe('CATALOG_RULE_VIOLATED');
  });
});
