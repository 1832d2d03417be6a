/**
 * Corrections requested from above (更正请求, issue 14 item 5) between two real platforms over HTTP on 127.0.0.1:
 * national requests, the request rides down in the answer to Guangdong's next push, becomes one notification there,
 * nothing is overwritten, and Guangdong's own edit (a new version, shared up as usual) shows it corrected at national.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushOnce } from '../src/modules/sharing/worker.js';
import { type TestApp, makeUser, testApp } from './helpers.js';

let national: TestApp;
let gd: TestApp;
let county: TestApp | undefined;
const tok = {} as Record<'national' | 'gd' | 'county', string>;
let gdUrl: string;
let countyUser: Awaited<ReturnType<typeof makeUser>>;

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${addr.port}`;
}
/** A few push rounds (heartbeats included): the request goes down in one answer, is acknowledged in the next. */
const pushes = async (n = 3, from: TestApp = gd) => {
  for (let i = 0; i < n; i++) await pushOnce(from.database.db, from.app.config, true);
};
const list = async (t: TestApp, token: string, q = '') => {
  const r = await t.req(token, { method: 'GET', url: `/api/v1/sharing/corrections?pageSize=50${q}` });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items as {
    id: string;
    status: string;
    direction: string;
    canAnswer: boolean;
    answer: string;
    deliveredAt: string | null;
    deliverTo: string | null;
  }[];
};
const request = (token: string, payload: Record<string, unknown>) =>
  national.req(token, { method: 'POST', url: '/api/v1/sharing/corrections', payload });

/** The lower platform applies (its admin) and the upper platform's admin approves. */
async function connect(lower: TestApp, lowerToken: string, upper: TestApp, upperToken: string, platformId: string) {
  const applied = await lower.req(lowerToken, {
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    payload: { contactName: '平台管理员', contactPhone: '13800138000' },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  const conns = await upper.req(upperToken, { method: 'GET', url: '/api/v1/sharing/connections' });
  const conn = conns.json().items.find((i: { platformId: string }) => i.platformId === platformId);
  const ok = await upper.req(upperToken, {
    method: 'POST',
    url: `/api/v1/sharing/connections/${conn.id}/actions`,
    payload: { action: 'approve' },
  });
  expect(ok.statusCode, ok.body).toBe(200);
}
/** National asks for a correction of a record shared from Guangdong (or its county); answers the id. */
async function ask(recordId: string, fields: string[], reason: string, originPlatform = 'province-44') {
  const made = await request(tok.national, { originPlatform, resource: 'organisation', recordId, fields, reason });
  expect(made.statusCode, made.body).toBe(201);
  return made.json();
}

beforeAll(async () => {
  national = await testApp({ PLATFORM_TIER: 'national' });
  const nationalUrl = await listen(national);
  gd = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '44', UPPER_PLATFORM_URL: nationalUrl });
  gdUrl = await listen(gd);
  tok.national = await national.login('admin');
  tok.gd = await gd.login('admin');
  await connect(gd, tok.gd, national, tok.national, 'province-44');
  // The county regulator of Conghua on Guangdong's platform: its organisation is itself a shared record.
  countyUser = await makeUser(gd, tok.gd, {
    username: 'ch-supervisor',
    orgName: '从化区农业农村局',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  await pushes(2);
}, 600_000);
afterAll(async () => {
  await county?.close();
  await gd?.close();
  await national?.close();
});

describe('corrections requested from above', () => {
  it('refuses bad input naming the field, unknown records and records outside the jurisdiction', async () => {
    const base = { originPlatform: 'province-44', resource: 'organisation', recordId: countyUser.orgId };
    const bad = await request(tok.national, { ...base, fields: ['nope'], reason: '字段不存在' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('fields');
    expect(bad.json().message).toContain('nope');
    const empty = await request(tok.national, { ...base, fields: [], reason: '空' });
    expect(empty.statusCode).toBe(400);
    const missing = await request(tok.national, { ...base, recordId: 'no-such-id', fields: ['name'], reason: '无' });
    expect(missing.statusCode).toBe(404);
    const sc = await makeUser(national, tok.national, {
      username: 'sc-supervisor',
      orgName: '四川省监管',
      divisionCode: '51',
      roles: ['supervisor'],
    });
    const outside = await request(sc.token, { ...base, fields: ['name'], reason: '越权' });
    expect(outside.statusCode).toBe(403);
    expect(await list(national, tok.national)).toHaveLength(0);
  });

  it('travels down once as a notification, overwrites nothing, and shows corrected after the lower edit', async () => {
    const made = await ask(countyUser.orgId, ['name'], '机构名称应为“广州市从化区农业农村局”');
    const id = made.id as string;
    expect(made).toMatchObject({
      status: 'open',
      direction: 'sent',
      deliverTo: 'province-44',
      deliveredAt: null,
    });
    // Pushes repeat (heartbeats, batches): the request arrives, is acknowledged, and is stored and notified once.
    await pushes(4);
    const note = async () => {
      const r = await gd.req(countyUser.token, { method: 'GET', url: '/api/v1/notifications?pageSize=50' });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items.filter((n: { kind: string }) => n.kind === 'share_correction');
    };
    const notes = await note();
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain('广州市从化区农业农村局');
    const atGd = await list(gd, countyUser.token);
    expect(atGd).toHaveLength(1);
    expect(atGd[0]).toMatchObject({ id, direction: 'received', status: 'open', canAnswer: true });
    expect((await list(national, tok.national))[0].deliveredAt).toBeTruthy();
    // Nothing overwritten at Guangdong.
    const org = await gd.req(tok.gd, { method: 'GET', url: `/api/v1/organisations/${countyUser.orgId}` });
    expect(org.json().name).toBe('从化区农业农村局');
    // As if Guangdong's acknowledgement had been lost: national resends it; Guangdong stores and notifies nothing new.
    await national.database.db.updateTable('share_correction').set({ delivered_at: null }).execute();
    await pushes(3);
    expect(await note()).toHaveLength(1);
    expect(await list(gd, countyUser.token)).toHaveLength(1);
    expect((await list(national, tok.national))[0].deliveredAt).toBeTruthy();
    // Guangdong's own user edits the record; the new version flows up as usual and national shows it corrected.
    const edit = await gd.req(tok.gd, {
      method: 'PATCH',
      url: `/api/v1/organisations/${countyUser.orgId}`,
      payload: { name: '广州市从化区农业农村局' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await list(gd, countyUser.token))[0]).toMatchObject({ status: 'corrected', canAnswer: false });
    expect((await list(national, tok.national))[0].status).toBe('open');
    await pushes(2);
    const after = (await list(national, tok.national))[0];
    expect(after).toMatchObject({ id, status: 'corrected', statusLabel: { zh: '已更正', en: 'Corrected' } });
  });

  it('carries the lower platform answer up', async () => {
    const { id } = await ask(countyUser.orgId, ['divisionCode'], '请核实区划');
    await pushes(2);
    const answered = await gd.req(countyUser.token, {
      method: 'POST',
      url: `/api/v1/sharing/corrections/${id}/answer`,
      payload: { answer: '区划无误，不需更正' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', canAnswer: false });
    const again = await gd.req(countyUser.token, {
      method: 'POST',
      url: `/api/v1/sharing/corrections/${id}/answer`,
      payload: { answer: '再答' },
    });
    expect(again.statusCode).toBe(400);
    await pushes(2);
    const atNational = (await list(national, tok.national)).find((c) => c.id === id);
    expect(atNational).toMatchObject({ status: 'answered', answer: '区划无误，不需更正' });
  });

  it('names resources and fields for people: the filter’s list, shared records and requests (issue 17 item 10)', async () => {
    const res = await national.req(tok.national, { method: 'GET', url: '/api/v1/sharing/resources' });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { key: string; label: { zh: string; en: string }; fields: { key: string }[] }[];
    expect(items.find((r) => r.key === 'organisation')?.label).toEqual({ zh: '机构', en: 'organisation' });
    expect(items.find((r) => r.key === 'batch')?.label).toEqual({ zh: '生产批次', en: 'Production batch' });
    // Every resource has a name that is not its key, in both languages.
    for (const r of items) {
      expect(r.label.zh, r.key).not.toBe(r.key);
      expect(r.label.en, r.key).not.toMatch(/[\u4e00-\u9fff]/);
      expect(r.fields.map((f) => f.key)).toContain('divisionCode');
    }
    const shared = await national.req(tok.national, {
      method: 'GET',
      url: '/api/v1/sharing/records?resource=organisation&pageSize=5',
    });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(shared.json().items.length).toBeGreaterThan(0);
    for (const r of shared.json().items) expect(r.resourceLabel).toEqual({ zh: '机构', en: 'organisation' });
    // A request names its resource and the fields every record carries.
    await ask(countyUser.orgId, ['divisionCode', 'status'], '请核实区划与状态');
    const sent = (await list(national, tok.national, '&status=open')) as unknown as {
      resourceLabel: { zh: string };
      fieldLabels: { zh: string; en: string }[];
    }[];
    expect(sent[0].resourceLabel.zh).toBe('机构');
    expect(sent[0].fieldLabels).toEqual([
      { zh: '所在区划', en: 'division' },
      { zh: '状态', en: 'status' },
    ]);
    // Only those who may read shared records see the list.
    const lab = await makeUser(national, tok.national, {
      username: 'inspector-n',
      orgName: '国家执法队',
      kind: 'enforcement',
      divisionCode: '11',
      roles: ['enforcer'],
    });
    expect((await national.req(lab.token, { method: 'GET', url: '/api/v1/sharing/resources' })).statusCode).toBe(403);
  });

  it("relays a request for a county's record through the province, keeping its origin, and the answer back up", async () => {
    const c = await testApp({ PLATFORM_TIER: 'county', PLATFORM_REGION: '440117', UPPER_PLATFORM_URL: gdUrl });
    county = c;
    const admin = await c.login('admin');
    await connect(c, admin, gd, tok.gd, 'county-440117');
    const officer = await makeUser(c, admin, {
      username: 'town-officer',
      orgName: '温泉镇农产品质量安全监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    });
    await pushes(2, c);
    await pushes(2);
    const made = await ask(officer.orgId, ['name'], '请核对站名', 'county-440117');
    expect(made).toMatchObject({ deliverTo: 'province-44', originPlatform: 'county-440117' });
    const id = made.id as string;
    await pushes(2); // national → Guangdong
    expect((await list(gd, tok.gd)).find((x) => x.id === id)).toMatchObject({
      direction: 'received',
      canAnswer: false,
      deliverTo: 'county-440117',
    });
    await pushes(2, c); // Guangdong → the county
    const atCounty = await list(c, officer.token);
    expect(atCounty).toHaveLength(1);
    expect(atCounty[0]).toMatchObject({ id, canAnswer: true, requestedByPlatform: 'national' });
    const answered = await c.req(officer.token, {
      method: 'POST',
      url: `/api/v1/sharing/corrections/${id}/answer`,
      payload: { answer: '站名无误' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    await pushes(2, c); // the answer → Guangdong
    await pushes(2); // → national
    expect((await list(national, tok.national)).find((x) => x.id === id)).toMatchObject({
      status: 'answered',
      answer: '站名无误',
    });
  });
});
