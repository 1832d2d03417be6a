import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProducer, makeUser, type TestApp, testApp } from './helpers.js';

/**
 * getCollectedRecord: how one record was collected — the catalogue version, work and upload time, the late flag
 * (seed 000 art. 11) and its review item with the reasons of a return (art. 12) — for the record's page. A producer
 * sees its own records only, a regulator those inside its jurisdiction.
 */
let t: TestApp;
let farmer: { token: string; orgId: string };
let other: { token: string };
let reviewer: string;
let outside: string;
const DAY = 86_400_000;

const get = (token: string, url: string) => t.req(token, { method: 'GET', url: `/api/v1${url}` });
const post = (token: string, url: string, payload: unknown) =>
  t.req(token, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });

async function batch(producedAt: Date, quantity = 100): Promise<string> {
  const products = (await get(farmer.token, '/products')).json() as { id: string }[];
  const res = await post(farmer.token, '/batches', {
    productId: products[0].id,
    quantity,
    producedAt: producedAt.toISOString(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  farmer = await makeProducer(t, { username: 'rec_farmer', name: '温泉镇果蔬合作社', divisionCode: '440117103' });
  other = await makeProducer(t, { username: 'rec_other', name: '温泉镇另一家合作社', divisionCode: '440117103' });
  expect((await post(farmer.token, '/products', { name: '豇豆', industry: 'planting' })).statusCode).toBe(201);
  reviewer = (
    await makeUser(t, admin, {
      username: 'rec_reviewer',
      orgName: '从化区农产品质量安全监管站',
      divisionCode: '440117',
      roles: ['info_reviewer'],
    })
  ).token;
  outside = (
    await makeUser(t, admin, {
      username: 'rec_outside',
      orgName: '番禺区农产品质量安全监管站',
      divisionCode: '440113',
      roles: ['info_reviewer'],
    })
  ).token;
}, 600_000);
afterAll(async () => {
  await t?.close();
});

describe('getCollectedRecord', () => {
  it('flags a batch uploaded 4 days after the work as late, and one of today as on time', async () => {
    const late = await batch(new Date(Date.now() - 4 * DAY));
    const r = await get(farmer.token, `/info-catalog/records/batch/${late}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      resource: 'batch',
      recordId: late,
      collected: true,
      catalogVersion: '1.0',
      lateDays: 3,
      late: true,
      review: { state: 'pending', reasons: [], allowedActions: [] },
    });
    expect(Date.parse(r.json().uploadedAt) - Date.parse(r.json().workAt)).toBeGreaterThan(3 * DAY);

    const onTime = await batch(new Date());
    expect((await get(farmer.token, `/info-catalog/records/batch/${onTime}`)).json()).toMatchObject({ late: false });
  });

  it('shows the reasons of a return to the producer, who may resubmit; a correction puts it back to pending', async () => {
    const id = await batch(new Date(), 300);
    const item = (await get(reviewer, `/info-catalog/records/batch/${id}`)).json().review;
    expect(item.allowedActions).toEqual(['approve', 'return']);
    const ret = await post(reviewer, `/reviews/${item.id}/decision`, {
      action: 'return',
      reasons: ['inaccurate'],
      comment: '数量与过磅单不符',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    const seen = (await get(farmer.token, `/info-catalog/records/batch/${id}`)).json().review;
    expect(seen).toMatchObject({
      state: 'returned',
      comment: '数量与过磅单不符',
      reasons: [{ code: 'inaccurate', zh: '信息不准确', en: 'Inaccurate' }],
      allowedActions: ['resubmit'],
    });
    const fixed = await post(farmer.token, `/batches/${id}/corrections`, { quantity: 280, reason: '按过磅单更正' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await get(farmer.token, `/info-catalog/records/batch/${id}`)).json().review.state).toBe('pending');
  });

  it('answers an empty status for another organisation’s record, one outside the jurisdiction and an unknown one', async () => {
    const id = await batch(new Date());
    const unknown = {
      collected: false,
      catalogVersion: null,
      uploadedAt: null,
      lateDays: null,
      late: false,
      review: null,
    };
    // Nothing of the collection shows to those who may not see the record (the same answer as for no record at all).
    for (const who of [other.token, outside]) {
      const r = await get(who, `/info-catalog/records/batch/${id}`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ resource: 'batch', recordId: id, workAt: null, ...unknown });
    }
    expect((await get(reviewer, `/info-catalog/records/batch/${id}`)).json()).toMatchObject({
      collected: true,
      catalogVersion: '1.0',
    });
    // A record never collected through the catalogue (the batch page asks for every batch): unknown, not 404.
    const none = crypto.randomUUID();
    const r = await get(farmer.token, `/info-catalog/records/batch/${none}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ recordId: none, ...unknown });
    // Malformed id or resource key.
    expect((await get(farmer.token, '/info-catalog/records/batch/not-a-uuid')).statusCode).toBe(400);
    expect((await get(farmer.token, `/info-catalog/records/1x/${id}`)).statusCode).toBe(400);
  });
});
