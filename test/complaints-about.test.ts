/**
 * Issue 17 item 7 (seed 000 art. 26) over HTTP: a complaint without a trace code, about a collector or an agency,
 * routed by the place picked; the public follows it by number (JSON and the script-free page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, makeUser, multipartFile, testApp } from './helpers.js';

let t: TestApp;
let county: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
const post = (url: string, payload: unknown) =>
  t.req(null, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  county = await makeUser(t, admin, {
    username: 'ch_sup',
    orgName: '从化区监管站',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  other = await makeUser(t, admin, {
    username: 'jj_sup',
    orgName: '锦江区监管站',
    divisionCode: '510104',
    roles: ['supervisor'],
  });
});
afterAll(() => t?.close());

describe('complaints without a code, about a collector or an agency', () => {
  let number: string;
  it('refuses a product complaint without a code, and a codeless one without a name; hostile input is 4xx', async () => {
    const none = await post('/public/complaints', { text: '豇豆有农药味' });
    expect(none.statusCode).toBe(400);
    expect(none.json().field).toBe('code');
    const noName = await post('/public/complaints', { about: 'collector', text: '采集员乱填数据' });
    expect(noName.json().field).toBe('aboutName');
    const badPlace = await post('/public/complaints', {
      about: 'collector',
      aboutName: '张三',
      text: '乱填',
      divisionCode: '999999',
    });
    expect(badPlace.statusCode).toBe(400);
    expect(badPlace.json().field).toBe('divisionCode');
    for (const bad of [
      { about: 'alien', aboutName: 'x', text: 'x' },
      { about: 'agency', aboutName: 'x'.repeat(101), text: 'x' },
      { about: 'agency', aboutName: 'x', text: 'x'.repeat(2001) },
    ])
      expect((await post('/public/complaints', bad)).statusCode).toBe(400);
    expect(await t.database.db.selectFrom('complaint').select('id').execute()).toHaveLength(0);
  });

  it('a complaint about a collector reaches the county of the place picked, which handles it', async () => {
    const res = await post('/public/complaints', {
      about: 'collector',
      aboutName: '温泉镇协管员张某',
      place: '温泉镇石南村',
      divisionCode: '440117103',
      category: 'other',
      text: '协管员采集产地信息时收取费用',
      contactPhone: '13800138000',
    });
    expect(res.statusCode, res.body).toBe(201);
    number = res.json().number;
    expect(res.json().orgName).toBe('从化区监管站');
    const list = await t.req(county.token, { method: 'GET', url: '/api/v1/complaints' });
    const c = list.json().items.find((x: { number: string }) => x.number === number);
    expect(c).toMatchObject({
      code: null,
      about: 'collector',
      aboutZh: '信息采集人员',
      aboutEn: 'Information collector',
      aboutName: '温泉镇协管员张某',
      place: '温泉镇石南村',
    });
    expect((await t.req(other.token, { method: 'GET', url: `/api/v1/complaints/${c.id}` })).statusCode).toBe(403);

    // The public follows it by number: no text, no contact; the outcome once closed.
    const s1 = await t.req(null, { method: 'GET', url: `/api/v1/public/complaints/${number}` });
    expect(s1.statusCode).toBe(200);
    expect(s1.json()).toMatchObject({ number, status: 'submitted', statusName: '待受理', outcome: null });
    expect(s1.body).not.toContain('13800138000');
    expect(s1.body).not.toContain('收取费用');
    const act = (body: object) =>
      t.req(county.token, { method: 'POST', url: `/api/v1/complaints/${c.id}/actions`, payload: body });
    expect((await act({ action: 'accept' })).statusCode).toBe(200);
    expect((await act({ action: 'close', outcome: '已核实，责令该协管员退还费用并调离岗位' })).statusCode).toBe(200);
    const s2 = await t.req(null, { method: 'GET', url: `/api/v1/public/complaints/${number.toLowerCase()}` });
    expect(s2.json()).toMatchObject({ status: 'closed', outcome: '已核实，责令该协管员退还费用并调离岗位' });
    const page = await t.req(null, { method: 'GET', url: `/complaint/status?number=${number}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已核实');
    const missing = await t.req(null, { method: 'GET', url: '/complaint/status?number=TS<script>' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<script>');
    expect((await t.req(null, { method: 'GET', url: '/api/v1/public/complaints/TS000' })).statusCode).toBe(404);
  });

  it('the script-free form takes a complaint about an agency without a code', async () => {
    const form = await t.req(null, { method: 'GET', url: '/complaint' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="aboutName"');
    const boundary = '----x17';
    const fields: Record<string, string> = {
      about: 'agency',
      aboutName: '某某追溯服务公司',
      category: 'other',
      text: '服务机构代录信息与实际不符',
    };
    const payload = Buffer.from(
      `${Object.entries(fields)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join('')}--${boundary}--\r\n`,
    );
    const res = await t.req(null, {
      method: 'POST',
      url: '/complaint',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toContain('/complaint/status?number=TS');
    const empty = await t.req(null, {
      method: 'POST',
      url: '/complaint',
      ...multipartFile('x.txt', Buffer.from('x'), 'text/plain'),
    });
    expect(empty.statusCode).toBe(400);
  });
});
