import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

let t: TestApp;
let county: string;
let town: string;
let producer: string;

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  county = (
    await makeUser(t, admin, {
      username: 'ch_agr',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  town = (
    await makeUser(t, admin, {
      username: 'wq_agr',
      orgName: '温泉镇农业服务中心',
      divisionCode: '440117103',
      roles: ['supervisor'],
    })
  ).token;
  producer = (await makeProducer(t, { username: 'agr_p1', name: '签约合作社', divisionCode: '440117103' })).token;
  await makeProducer(t, { username: 'agr_p2', name: '未签合作社', divisionCode: '440117104' });
  await makeProducer(t, {
    username: 'agr_p3',
    name: '待审合作社',
    divisionCode: '440117104',
    status: 'pending',
    roles: ['producer_applicant'],
  });
});
afterAll(() => t?.close());

/** The clauses seed 001 art. 10 requires (issue 17 item 3). */
const clauses = [
  { key: 'info_collection', text: '乙方如实采集并上传追溯信息。' },
  { key: 'info_transfer', text: '乙方销售时向下游传递追溯信息。' },
  { key: 'scan_trading', text: '乙方交易时扫码确认收货和销售。' },
  { key: 'truthfulness', text: '乙方承诺所填信息真实准确。' },
];
const acceptedClauses = clauses.map((c) => c.key);

describe('traceability agreements (追溯协议)', () => {
  it('the county publishes versions; townships may not', async () => {
    const v1 = await t.req(county, {
      method: 'POST',
      url: '/api/v1/agreement-templates',
      payload: {
        title: '从化区农产品质量安全追溯协议',
        body: '甲方（监管站）与乙方（生产经营主体）约定：乙方如实记录生产信息。',
        clauses,
      },
    });
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json().version).toBe(1);
    const byTown = await t.req(town, {
      method: 'POST',
      url: '/api/v1/agreement-templates',
      payload: { title: '镇协议', body: '镇里的协议文本内容。。', clauses },
    });
    expect(byTown.statusCode).toBe(403);
    expect(byTown.json().code).toBe('AGREEMENT_COUNTY_ONLY');
    const short = await t.req(county, {
      method: 'POST',
      url: '/api/v1/agreement-templates',
      payload: { title: '短', body: '太短', clauses },
    });
    expect(short.statusCode).toBe(400);
  });

  it('a producer accepts the current version; a newer version needs a new acceptance', async () => {
    const mine = await t.req(producer, { method: 'GET', url: '/api/v1/my-subject/agreement' });
    expect(mine.json().signedCurrent).toBe(false);
    const tpl = mine.json().template;
    const signed = await t.req(producer, {
      method: 'POST',
      url: '/api/v1/my-subject/agreement',
      payload: { templateId: tpl.id, acceptedClauses },
    });
    expect(signed.json().signedCurrent).toBe(true);
    expect(signed.json().history[0].version).toBe(1);
    let unsigned = await t.req(county, { method: 'GET', url: '/api/v1/agreements/unsigned' });
    expect(unsigned.json().items.map((i: { name: string }) => i.name)).toEqual(['未签合作社']);
    const v2 = await t.req(county, {
      method: 'POST',
      url: '/api/v1/agreement-templates',
      payload: {
        title: '从化区农产品质量安全追溯协议（2027 版）',
        body: '新增：乙方应在采收后 3 日内上传批次信息。',
        clauses,
      },
    });
    expect(v2.json().version).toBe(2);
    const stale = await t.req(producer, {
      method: 'POST',
      url: '/api/v1/my-subject/agreement',
      payload: { templateId: tpl.id, acceptedClauses },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().field).toBe('templateId');
    unsigned = await t.req(county, { method: 'GET', url: '/api/v1/agreements/unsigned' });
    expect(unsigned.json().total).toBe(2);
    expect(unsigned.json().items.find((i: { name: string }) => i.name === '签约合作社').signedVersion).toBe(1);
    const versions = await t.req(town, { method: 'GET', url: '/api/v1/agreement-templates?county=440117' });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await t.req(town, { method: 'GET', url: '/api/v1/agreements/unsigned?within=510131' })).statusCode).toBe(
      403,
    );
  });
});
