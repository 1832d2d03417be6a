/**
 * Every field action the offline queue sends (issue 16) honours `Idempotency-Key`: batch, certificate, sale by scan,
 * receipt confirmation, market-gate check, sampling sheet, origin record with GPS (the patrol is in field.test.ts).
 * A retry with the same key returns the first answer (status and body, `Idempotent-Replayed: true`) and writes
 * once; a conflict (stock sold meanwhile) is answered with its reason and replayed as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

const TOWN = '440117103';
let t: TestApp;
type P = { token: string; subjectId: string };
let farmer: P;
let buyer: P;
let market: P;
let lab: string;
let county: string;
let collector: string;
let farmerCode: string;
let productId: string;

const send = (tok: string, url: string, payload: unknown, key?: string) =>
  t.req(tok, {
    method: 'POST',
    url: `/api/v1${url}`,
    payload: payload as object,
    headers: key ? { 'idempotency-key': key } : {},
  });
const count = async (table: string) =>
  Number(
    (
      await t.database.db
        .selectFrom(table as 'sale')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Sends `body` twice under one key: the second answer is the first one replayed, and `table` grew by one row. */
async function once(tok: string, url: string, body: unknown, table: string, key: string, status = 201) {
  const before = await count(table);
  const first = await send(tok, url, body, key);
  expect(first.statusCode, first.body).toBe(status);
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  const again = await send(tok, url, body, key);
  expect(again.statusCode).toBe(status);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.body).toBe(first.body);
  expect(await count(table)).toBe(before + 1);
  return first.json();
}

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  const certNo = makeCreditCode('93440117MA5TUP902');
  farmer = await makeProducer(t, { username: 'fa_farmer', name: '温泉镇绿源果蔬合作社', divisionCode: TOWN, certNo });
  farmerCode = identityCode({
    orgForm: 'cooperative',
    certType: 'credit_code',
    certNo,
    personalIdNo: null,
    countyCode: '440117',
    secret: 'x',
  });
  await t.database.db
    .updateTable('subject')
    .set({ identity_code: farmerCode })
    .where('id', '=', farmer.subjectId)
    .execute();
  buyer = await makeProducer(t, { username: 'fa_buyer', name: '荔湾区鲜达农产品经营部', divisionCode: '440103' });
  market = await makeProducer(t, {
    username: 'fa_market',
    name: '广州江南果菜批发市场',
    divisionCode: '440111',
    roles: ['market_staff'],
  });
  for (const [p, code] of [
    [buyer, 'ZT4401030000000001'],
    [market, 'ZT4401110000000002'],
  ] as const)
    await t.database.db.updateTable('subject').set({ identity_code: code }).where('id', '=', p.subjectId).execute();
  lab = (
    await makeUser(t, admin, {
      username: 'fa_lab',
      orgName: '从化区检测站',
      kind: 'testing',
      divisionCode: '440117',
      roles: ['inspector'],
    })
  ).token;
  county = (
    await makeUser(t, admin, {
      username: 'fa_county',
      orgName: '从化区农产品质量安全监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  collector = (
    await makeUser(t, admin, {
      username: 'fa_coll',
      orgName: '温泉镇农业服务中心',
      divisionCode: TOWN,
      roles: ['collector'],
    })
  ).token;
  productId = (await send(farmer.token, '/products', { name: '豇豆', industry: 'planting' })).json().id;
});
afterAll(() => t?.close());

describe('every queued field action is applied once per Idempotency-Key', () => {
  it('batch, certificate, sale by scan, receipt confirmation and market-gate check', async () => {
    const batch = await once(
      farmer.token,
      '/batches',
      { productId, quantity: 500, producedAt: '2026-11-20T08:00:00+08:00', selfCheck: 'pass' },
      'batch',
      'q-batch-1',
    );
    const cert = await once(
      farmer.token,
      '/certificates',
      { batchId: batch.id, quantity: 500, basis: ['self_test', 'control'] },
      'certificate',
      'q-cert-1',
    );
    expect(cert.number).toBeTruthy();
    const stock = async () =>
      Number(
        (await t.database.db.selectFrom('batch').select('stock').where('id', '=', batch.id).executeTakeFirstOrThrow())
          .stock,
      );
    const sale = await once(
      farmer.token,
      '/sales',
      { batchId: batch.id, quantity: 300, buyerKind: 'registered', buyerIdentityCode: 'ZT4401030000000001' },
      'sale',
      'q-sale-1',
    );
    expect(await stock()).toBe(200); // the stock went down once
    const received = await once(
      buyer.token,
      '/receipts',
      { saleId: sale.id, decision: 'accept' },
      'batch',
      'q-receipt-1',
      200,
    );
    expect(received.receiptBatchId).toBeTruthy();

    const toMarket = await send(farmer.token, '/sales', {
      batchId: batch.id,
      quantity: 100,
      buyerKind: 'market',
      buyerIdentityCode: 'ZT4401110000000002',
    });
    expect(toMarket.statusCode, toMarket.body).toBe(201);
    const gate = await once(
      market.token,
      '/voucher-checks',
      { code: toMarket.json().voucherCode, quantity: 100 },
      'voucher_check',
      'q-gate-1',
      200,
    );
    expect(gate.verified).toBe(true);

    // A conflict (the stock was sold meanwhile): refused with its reason naming the field, and replayed as such.
    const tooMuch = { batchId: batch.id, quantity: 150, buyerKind: 'unregistered', buyerName: '张三' };
    const c1 = await send(farmer.token, '/sales', tooMuch, 'q-sale-2');
    expect(c1.statusCode).toBe(409);
    expect(c1.json()).toMatchObject({ code: 'INSUFFICIENT_STOCK', field: 'quantity' });
    expect(c1.json().message).toContain('库存不足');
    expect(c1.json().messageEn).toContain('Not enough stock');
    const c2 = await send(farmer.token, '/sales', tooMuch, 'q-sale-2');
    expect(c2.headers['idempotent-replayed']).toBe('true');
    expect(c2.json()).toEqual(c1.json());
    // Fixed and resent (the queue's new revision: a new key): applied.
    const fixed = await send(farmer.token, '/sales', { ...tooMuch, quantity: 100 }, 'q-sale-2b');
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(await stock()).toBe(0);
  });

  it('sampling sheet and origin record with GPS', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const week = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const labOrg = await t.database.db
      .selectFrom('organisation')
      .select('id')
      .where('name', '=', '从化区检测站')
      .executeTakeFirstOrThrow();
    const task = await send(county, '/monitoring-tasks', {
      title: '豇豆农药残留专项监测',
      kind: 'special',
      products: ['豇豆'],
      startDate: today,
      endDate: week,
      items: [{ item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
      assignments: [{ testingOrgId: labOrg.id, divisionCode: '440117', quantity: 20, deadline: week }],
    });
    expect(task.statusCode, task.body).toBe(201);
    const assignmentId = task.json().assignments[0].id;
    await once(
      lab,
      `/monitoring-assignments/${assignmentId}/sheets`,
      {
        productName: '豇豆',
        place: '温泉镇某基地',
        divisionCode: TOWN,
        sampledAt: new Date().toISOString(),
        quantity: '1 kg',
        identityCode: farmerCode,
      },
      'sampling_sheet',
      'q-sheet-1',
    );

    const record = await once(
      collector,
      '/origin/records',
      {
        divisionCode: TOWN,
        subjectName: '从化绿源豇豆种植专业合作社',
        subjectType: 'cooperative',
        creditCode: '93440117MA5ABCDE1M',
        productCode: 'cowpea',
        certification: 'green',
        baseAddress: '温泉镇南平村一队',
        longitude: 113.5867,
        latitude: 23.5487,
        geoSource: 'gps',
        gpsAccuracyM: 8,
        contactName: '李四',
        contactPhone: '13800138000',
        scale: 12.5,
        marketStart: '2026-05-01',
        marketEnd: '2026-09-30',
        productionMethod: 'open_field',
        traceMethods: ['certificate', 'trace_code'],
      },
      'origin_record',
      'q-origin-1',
    );
    expect(record.gpsAccuracyM).toBe(8);
  });
});
