import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recallWarnings } from '../src/modules/recall/service.js';
import { type TestApp, expandLineage, makeProducer, makeUser, testApp } from './helpers.js';

/**
 * The chain end to end (issue 5): farmer → buyer (scan-to-trade) → repack → market (voucher, gate) → lineage →
 * recall → acknowledgement; concurrency of sales on one batch; split/merge conservation; anomalies; notifications.
 */
let t: TestApp;
type P = { token: string; subjectId: string; orgId: string };
let farmer: P; // 从化区 温泉镇
let buyer: P; // 荔湾区 (another county)
let market: P; // 江南市场 (market staff)
let market2: P;
let stranger: P; // 锦江区, Sichuan
let county: string;
let outsider: string;
let productId: string;
let baseId: string;

const post = (tok: string | null, url: string, payload: unknown) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
const get = (tok: string | null, url: string) => t.req(tok, { method: 'GET', url: `/api/v1${url}` });
const count = async (table: string) =>
  Number(
    (
      await t.database.db
        .selectFrom(table as 'sale')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const stockOf = async (id: string) =>
  Number(
    (await t.database.db.selectFrom('batch').select('stock').where('id', '=', id).executeTakeFirstOrThrow()).stock,
  );

async function newBatch(p: P, quantity: number, product = productId, base: string | null = baseId) {
  const res = await post(p.token, '/batches', {
    productId: product,
    baseId: base,
    quantity,
    producedAt: '2026-11-20T08:00:00+08:00',
    selfCheck: 'pass',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string; stock: number };
}

beforeAll(async () => {
  t = await testApp({ PUBLIC_BASE_URL: 'https://trace.example.cn', PLATFORM_TIER: 'national' });
  const admin = await t.login('admin');
  farmer = await makeProducer(t, { username: 'c_farmer', name: '温泉镇绿源果蔬合作社', divisionCode: '440117103' });
  buyer = await makeProducer(t, { username: 'c_buyer', name: '荔湾区鲜达农产品经营部', divisionCode: '440103' });
  market = await makeProducer(t, {
    username: 'c_market',
    name: '广州江南果菜批发市场',
    divisionCode: '440111',
    roles: ['market_staff'],
  });
  market2 = await makeProducer(t, {
    username: 'c_market2',
    name: '成都农产品中心批发市场',
    divisionCode: '510104',
    roles: ['market_staff'],
  });
  stranger = await makeProducer(t, { username: 'c_stranger', name: '锦江区某农场', divisionCode: '510104' });
  await t.database.db
    .updateTable('subject')
    .set({ identity_code: 'ZT4401030000000001' })
    .where('id', '=', buyer.subjectId)
    .execute();
  await t.database.db
    .updateTable('subject')
    .set({ identity_code: 'ZT4401110000000002' })
    .where('id', '=', market.subjectId)
    .execute();
  county = (
    await makeUser(t, admin, {
      username: 'c_county',
      orgName: '从化区农业农村局',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  outsider = (
    await makeUser(t, admin, {
      username: 'c_out',
      orgName: '锦江区农业农村局',
      divisionCode: '510104',
      roles: ['supervisor'],
    })
  ).token;
  productId = (await post(farmer.token, '/products', { name: '豇豆', industry: 'planting' })).json().id;
  baseId = (await post(farmer.token, '/bases', { name: '温泉一号基地', divisionCode: '440117103' })).json().id;
});
afterAll(() => t?.close());

// Each test builds the part of the chain it needs from these steps (no test relies on another having run).

/** A farm lot of the farmer with a certificate for all of it. */
async function farmLot(quantity = 1000) {
  const b = await newBatch(farmer, quantity);
  const cert = await post(farmer.token, '/certificates', { batchId: b.id, quantity, basis: ['self_test', 'control'] });
  expect(cert.statusCode, cert.body).toBe(201);
  return { id: b.id, code: b.code, certNumber: cert.json().number as string };
}

/** A sale of part of a farm lot to the registered buyer, waiting for its confirmation; returns the sale id. */
async function sellToBuyer(lotId: string, quantity: number): Promise<string> {
  const res = await post(farmer.token, '/sales', {
    batchId: lotId,
    quantity,
    buyerKind: 'registered',
    buyerIdentityCode: 'ZT4401030000000001',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** Part of a farm lot sold to the buyer and confirmed: returns the buyer's received lot. */
async function receivedLot(lotId: string, quantity = 300): Promise<string> {
  const saleId = await sellToBuyer(lotId, quantity);
  const res = await post(buyer.token, '/receipts', { saleId, decision: 'accept' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().receiptBatchId;
}

/** 120 of a received lot repacked by the buyer (a new lot and code). */
async function repackedLot(receivedId: string): Promise<{ id: string; code: string }> {
  const res = await post(buyer.token, `/batches/${receivedId}/split`, { parts: [{ quantity: 120 }], mode: 'repack' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().outputs[0];
}

/**
 * The whole story: farm lot → buyer (300) → repacked (120) → 100 into the market with a market-entry voucher; the
 * farmer also sells 10 to an unregistered buyer (李四) with a traceability voucher; `gate`: the market verifies it.
 */
async function chain(opts: { gate?: boolean } = {}) {
  const lot = await farmLot();
  const repacked = await repackedLot(await receivedLot(lot.id));
  const m = await post(buyer.token, '/sales', {
    batchId: repacked.id,
    quantity: 100,
    buyerKind: 'market',
    buyerIdentityCode: 'ZT4401110000000002',
  });
  expect(m.statusCode, m.body).toBe(201);
  const trace = await post(farmer.token, '/sales', {
    batchId: lot.id,
    quantity: 10,
    buyerKind: 'unregistered',
    buyerName: '李四',
    buyerPhone: '13911112222',
  });
  expect(trace.statusCode, trace.body).toBe(201);
  if (opts.gate) {
    const ok = await post(market.token, '/voucher-checks', { code: m.json().voucherCode, quantity: 100 });
    expect(ok.json().verified, ok.body).toBe(true);
  }
  return { lot, repacked, voucher: m.json().voucherCode as string, marketSale: m.json().id as string };
}

describe('sales', () => {
  it('sells to a registered buyer by scanning the identity code; the buyer is notified', async () => {
    const { id: batchId, code: batchCode } = await farmLot();
    const res = await post(farmer.token, '/sales', {
      batchId,
      quantity: 300,
      buyerKind: 'registered',
      buyerIdentityCode: 'zt4401030000000001',
      price: 900,
    });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    expect(s.status).toBe('pending');
    expect(s.buyerName).toBe('荔湾区鲜达农产品经营部');
    expect(s.batchCode).toBe(batchCode);
    expect(await stockOf(batchId)).toBe(700);
    const n = await get(buyer.token, '/notifications?unread=true');
    expect(n.json().items[0].kind).toBe('sale.incoming');
    expect(n.json().unread).toBeGreaterThan(0);
    const mark = await post(buyer.token, `/notifications/${n.json().items[0].id}/read`, {});
    expect(mark.statusCode, mark.body).toBe(200);
    expect(mark.json().readAt).not.toBeNull();
    expect((await post(farmer.token, `/notifications/${n.json().items[0].id}/read`, {})).statusCode).toBe(404);
  });

  it('refuses bad sales naming the field, writing nothing', async () => {
    const { id: batchId } = await farmLot();
    await sellToBuyer(batchId, 300);
    const before = await count('sale');
    const events = await count('trace_event');
    const cases: [unknown, number, string][] = [
      [{ batchId, quantity: 5000, buyerKind: 'registered', buyerIdentityCode: 'ZT4401030000000001' }, 409, 'quantity'],
      [
        { batchId, quantity: 1, buyerKind: 'registered', buyerIdentityCode: 'ZT0000000000000000' },
        400,
        'buyerIdentityCode',
      ],
      [{ batchId, quantity: 1, buyerKind: 'registered' }, 400, 'buyerIdentityCode'],
      [{ batchId, quantity: 1, buyerKind: 'unregistered' }, 400, 'buyerName'],
      [{ batchId, quantity: -1, buyerKind: 'unregistered', buyerName: '张三' }, 400, 'quantity'],
      [{ batchId, quantity: 1, buyerKind: 'barter', buyerName: '张三' }, 400, 'buyerKind'],
      [{ batchId, quantity: 1, buyerKind: 'unregistered', buyerName: '张三', buyerPhone: '12' }, 400, 'buyerPhone'],
      [
        { batchId, quantity: 1, buyerKind: 'unregistered', buyerName: '张三', soldAt: '2020-01-01T00:00:00Z' },
        400,
        'soldAt',
      ],
    ];
    for (const [body, status, field] of cases) {
      const res = await post(farmer.token, '/sales', body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      expect(res.json().field, res.body).toBe(field);
    }
    const foreign = await post(stranger.token, '/sales', {
      batchId,
      quantity: 1,
      buyerKind: 'unregistered',
      buyerName: '张三',
    });
    expect(foreign.statusCode).toBe(403);
    expect(
      (await post(county, '/sales', { batchId, quantity: 1, buyerKind: 'unregistered', buyerName: '张三' })).statusCode,
    ).toBe(403);
    expect(await count('sale')).toBe(before);
    expect(await count('trace_event')).toBe(events);
    expect(await stockOf(batchId)).toBe(700);
  });

  it('never oversells: parallel sales of one batch stop exactly at zero', async () => {
    const b = await newBatch(farmer, 100);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        post(farmer.token, '/sales', { batchId: b.id, quantity: 10, buyerKind: 'unregistered', buyerName: `散户${i}` }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 201).length;
    const refused = results.filter((r) => r.statusCode === 409);
    expect(ok).toBe(10);
    expect(refused).toHaveLength(15);
    expect(refused[0].json().code).toBe('INSUFFICIENT_STOCK');
    expect(await stockOf(b.id)).toBe(0);
    const row = await t.database.db
      .selectFrom('batch')
      .select('status')
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('sold_out');
    const sold = await t.database.db
      .selectFrom('sale')
      .select((eb) => eb.fn.sum<string>('quantity').as('q'))
      .where('batch_id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(Number(sold.q)).toBe(100);
  });

  it('the buyer confirms by scanning the code: a circulation batch linked to its source', async () => {
    const lot = await farmLot();
    const batchCode = lot.code;
    const saleId = await sellToBuyer(lot.id, 300);
    const bad = await post(buyer.token, '/receipts', { code: '12345', decision: 'accept' });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().field).toBe('code');
    expect((await post(buyer.token, '/receipts', { decision: 'accept' })).json().field).toBe('saleId');
    expect(
      (await post(buyer.token, '/receipts', { saleId, decision: 'accept', receivedQuantity: 301 })).json().field,
    ).toBe('receivedQuantity');
    expect((await post(stranger.token, '/receipts', { saleId, decision: 'accept' })).statusCode).toBe(403);
    const res = await post(buyer.token, '/receipts', { code: batchCode, decision: 'accept' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.status).toBe('accepted');
    expect(s.receiptCode).toMatch(/^2/);
    const rb = await get(buyer.token, `/batches/${s.receiptBatchId}`);
    expect(rb.json().kind).toBe('circulation');
    expect(rb.json().stock).toBe(300);
    expect(rb.json().productName).toBe('豇豆');
    const again = await post(buyer.token, '/receipts', { saleId, decision: 'refuse', reason: '重复' });
    expect(again.statusCode).toBe(409);
    expect(
      (await get(farmer.token, '/notifications'))
        .json()
        .items.some((n: { kind: string }) => n.kind === 'sale.accepted'),
    ).toBe(true);
  });

  it('a refusal returns the stock to the seller', async () => {
    const { id: batchId } = await farmLot();
    await sellToBuyer(batchId, 300);
    const s = (
      await post(farmer.token, '/sales', {
        batchId,
        quantity: 50,
        buyerKind: 'registered',
        buyerIdentityCode: 'ZT4401030000000001',
      })
    ).json();
    expect(await stockOf(batchId)).toBe(650);
    expect((await post(buyer.token, '/receipts', { saleId: s.id, decision: 'refuse' })).json().field).toBe('reason');
    const res = await post(buyer.token, '/receipts', { saleId: s.id, decision: 'refuse', reason: '品质不符' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('refused');
    expect(await stockOf(batchId)).toBe(700);
  });
});

describe('repack, market entry and the gate', () => {
  it('the buyer repacks: a new batch and code, the certificate re-issued buyer-style with the collected one', async () => {
    const { id: batchId, certNumber } = await farmLot();
    const received = await receivedLot(batchId);
    const res = await post(buyer.token, `/batches/${received}/split`, { parts: [{ quantity: 120 }], mode: 'repack' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.outputs).toHaveLength(1);
    expect(r.input.stock).toBe(180);
    expect(r.outputs[0].stock).toBe(120);
    expect(r.outputs[0].code).not.toBe(r.input.code);
    expect(r.certificates).toHaveLength(1);
    const cert = (await get(buyer.token, `/certificates?batchId=${r.outputs[0].id}`)).json();
    expect(cert[0].style).toBe('buyer');
    const full = (await get(buyer.token, `/certificates/${cert[0].id}`)).json();
    expect(full.sources.map((s: { number: string }) => s.number)).toContain(certNumber);
    const over = await post(buyer.token, `/batches/${received}/split`, {
      parts: [{ quantity: 100 }, { quantity: 100 }],
    });
    expect(over.statusCode).toBe(409);
    expect(over.json().field).toBe('parts');
    expect((await post(buyer.token, `/batches/${received}/split`, { parts: [] })).json().field).toBe('parts');
    expect((await post(buyer.token, `/batches/${batchId}/split`, { parts: [{ quantity: 1 }] })).statusCode).toBe(403);
  });

  it('sells into a market with a market-entry voucher, printable as PDF', async () => {
    const { id: batchId } = await farmLot();
    const repacked = await repackedLot(await receivedLot(batchId));
    const res = await post(buyer.token, '/sales', {
      batchId: repacked.id,
      quantity: 100,
      buyerKind: 'market',
      buyerIdentityCode: 'ZT4401110000000002',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().voucherName).toBe('入市追溯凭证');
    expect(res.json()).toMatchObject({
      voucherNameEn: 'Market-entry voucher',
      statusNameEn: 'Voucher issued',
      allowedActions: ['printVoucher'],
    });
    expect(res.json().voucherCode).toMatch(/^3/);
    const marketSale = res.json().id;
    const pdf = await get(buyer.token, `/sales/${marketSale}/voucher.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain("filename*=UTF-8''voucher-");
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(stranger.token, `/sales/${marketSale}/voucher.pdf`)).statusCode).toBe(403);
    const trace = await post(farmer.token, '/sales', {
      batchId,
      quantity: 10,
      buyerKind: 'unregistered',
      buyerName: '李四',
      buyerPhone: '13911112222',
    });
    expect(trace.json().voucherName).toBe('追溯凭证');
    // Choosing a customer fills the buyer's name and phone.
    const cust = (
      await post(farmer.token, '/customers', { name: '从化街口菜市场刘记', kind: 'retailer', phone: '13722223333' })
    ).json();
    const byCustomer = await post(farmer.token, '/sales', {
      batchId,
      quantity: 5,
      buyerKind: 'unregistered',
      customerId: cust.id,
    });
    expect(byCustomer.statusCode, byCustomer.body).toBe(201);
    expect(byCustomer.json()).toMatchObject({ buyerName: '从化街口菜市场刘记', buyerPhone: '13722223333' });
    expect(
      (
        await post(buyer.token, '/sales', {
          batchId: repacked.id,
          quantity: 1,
          buyerKind: 'unregistered',
          customerId: cust.id,
        })
      ).json().field,
    ).toBe('customerId');
  });

  it('the gate verifies the voucher and records every check; a second market is refused and flagged', async () => {
    const {
      lot: { code: batchCode },
      voucher,
    } = await chain();
    const ok = await post(market.token, '/voucher-checks', { code: voucher, quantity: 100, productName: '豇豆' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().verified, ok.body).toBe(true);
    expect(ok.json().reasons.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const tooMuch = await post(market.token, '/voucher-checks', { code: voucher, quantity: 150 });
    expect(tooMuch.json().verified).toBe(false);
    expect(tooMuch.json().reasons.find((r: { ok: boolean }) => !r.ok).code).toBe('QUANTITY');
    const typo = await post(market.token, '/voucher-checks', {
      code: `${voucher.slice(0, 19)}${(Number(voucher[19]) + 1) % 10}`,
    });
    expect(typo.json().verified).toBe(false);
    expect(typo.json().reasons[0].code).toBe('FORMAT');
    const elsewhere = await post(market2.token, '/voucher-checks', { code: voucher });
    expect(elsewhere.json().verified).toBe(false);
    const codes = elsewhere
      .json()
      .reasons.filter((r: { ok: boolean }) => !r.ok)
      .map((r: { code: string }) => r.code);
    expect(codes).toContain('NOT_USED_ELSEWHERE');
    expect(codes).toContain('THIS_MARKET');
    expect(await count('voucher_check')).toBe(4);
    const anomalies = (await get(county, '/anomalies?kind=code_reused')).json();
    expect(anomalies.total).toBe(0); // the repacked batch belongs to 荔湾区, not 从化区
    const mine = (await get(buyer.token, '/anomalies?kind=code_reused')).json();
    expect(mine.total).toBe(1);
    expect((await post(market.token, '/voucher-checks', { code: '' })).json().field).toBe('code');
    expect((await post(farmer.token, '/voucher-checks', { code: voucher })).statusCode).toBe(403);
    const list = (await get(market.token, '/voucher-checks')).json();
    expect(list.items).toHaveLength(3);
    // A batch code is on every package of the batch: it may enter two markets without being flagged.
    expect((await post(market.token, '/voucher-checks', { code: batchCode })).json().verified).toBe(true);
    const second = await post(market2.token, '/voucher-checks', { code: batchCode });
    expect(second.json().verified, second.body).toBe(true);
    expect((await get(farmer.token, '/anomalies?kind=code_reused')).json().total).toBe(0);
  });
});

describe('lineage', () => {
  it('traces forward from the farm to every holder and back from the market lot to the farm', async () => {
    const {
      lot: { id: batchId },
      repacked,
    } = await chain();
    const fwd = await get(county, `/batches/${batchId}/forward`);
    expect(fwd.statusCode, fwd.body).toBe(200);
    const f = expandLineage(fwd.json());
    expect(f.total).toBe(3); // farm lot, received lot, repacked lot
    expect(f.nodes.map((n: { depth: number }) => n.depth)).toEqual([0, 1, 2]);
    expect(f.edges).toHaveLength(2);
    // The buyer is in 荔湾区, outside 从化区: the county officer sees the lot masked (seed 003 本辖区; issue 12 item 9).
    expect(f.nodes[1].subjectName).toBeNull();
    expect(f.nodes[1].masked).toBe(true);
    expect(f.nodes[1].divisionName).toContain('荔湾区');
    expect(f.nodes[1].inJurisdiction).toBe(false);
    // A masked lot's id is an alias: the leaf is the buyer's repacked lot.
    expect(f.nodes[2].batchId).not.toBe(repacked.id);
    const leaf = repacked.id;
    const back = (await get(buyer.token, `/batches/${leaf}/backward`)).json();
    // A producer sees one step up only (seed 003): the received lot, not the farm.
    expect(back.total).toBe(2);
    expect(back.maxDepth).toBe(1);
    const paged = (await get(county, `/batches/${batchId}/forward?pageSize=2&page=2`)).json();
    expect(paged.nodes).toHaveLength(1);
    expect(paged.more).toBe(false);
    const graph = (await get(county, `/batches/${batchId}/graph`)).json();
    expect(graph.nodes).toHaveLength(3);
    expect(graph.edges).toHaveLength(2);
    expect((await get(outsider, `/batches/${batchId}/forward`)).statusCode).toBe(403);
    expect((await get(stranger.token, `/batches/${batchId}/forward`)).statusCode).toBe(403);
    expect((await get(buyer.token, `/batches/${batchId}/graph`)).statusCode).toBe(403);
    expect((await get(county, `/batches/${batchId}/forward?maxDepth=0`)).json().field).toBe('maxDepth');
  });

  it('exports the whole record up- and downstream as a sortable spreadsheet', async () => {
    const {
      lot: { id: batchId },
    } = await chain({ gate: true });
    const res = await get(county, `/batches/${batchId}/lineage.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ev = wb.getWorksheet('事件 Events');
    expect(ev?.autoFilter).toBeTruthy();
    const steps = new Set<string>();
    ev?.eachRow((row, i) => {
      if (i > 1) steps.add(String(row.getCell(9).value));
    });
    for (const s of ['commissioning', 'shipping', 'receiving', 'repacking', 'certifying', 'accepting'])
      expect(steps).toContain(s);
    expect(wb.getWorksheet('批次 Lots')?.rowCount).toBe(4);
  });
});

describe('merge', () => {
  it('conserves quantities and marks fully consumed inputs merged', async () => {
    const a = await newBatch(farmer, 40);
    const b = await newBatch(farmer, 60);
    const res = await post(farmer.token, '/batches/merge', {
      inputs: [{ batchId: a.id }, { batchId: b.id, quantity: 50 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json().outputs[0];
    expect(out.quantity).toBe(90);
    expect(out.stock).toBe(90);
    expect(res.json().certificates).toHaveLength(0);
    expect(res.json().certificateWarning).toBeTruthy();
    const rows = await t.database.db
      .selectFrom('batch')
      .select(['id', 'stock', 'status'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(rows.find((r) => r.id === a.id)?.status).toBe('merged');
    expect(Number(rows.find((r) => r.id === b.id)?.stock)).toBe(10);
    const edges = await t.database.db
      .selectFrom('trace_edge')
      .select(['quantity'])
      .where('to_batch', '=', out.id)
      .execute();
    expect(edges.reduce((s, e) => s + Number(e.quantity), 0)).toBe(90);
    for (const [body, field] of [
      [{ inputs: [{ batchId: b.id }] }, 'inputs'],
      [{ inputs: [{ batchId: b.id }, { batchId: b.id }] }, 'inputs.1.batchId'],
      [{ inputs: [{ batchId: b.id, quantity: 11 }, { batchId: out.id }] }, 'inputs.0.quantity'],
      [{ inputs: [{ batchId: a.id }, { batchId: out.id }] }, 'inputs.0.batchId'],
    ] as const) {
      const bad = await post(farmer.token, '/batches/merge', body);
      expect(bad.statusCode, bad.body).toBeGreaterThanOrEqual(400);
      expect(bad.json().field, bad.body).toBe(field);
    }
  });
});

describe('recall', () => {
  it('the county opens a recall: forward trace, notices to every holder, outside buyers listed with contacts', async () => {
    const {
      lot: { id: batchId },
    } = await chain();
    expect((await post(outsider, '/recalls', { batchId, reason: '抽检农药残留超标' })).statusCode).toBe(403);
    expect((await post(county, '/recalls', { batchId, reason: 'x' })).json().field).toBe('reason');
    expect((await post(county, '/recalls', { batchId, reason: '抽检超标', level: 9 })).json().field).toBe('level');
    const res = await post(county, '/recalls', { batchId, reason: '抽检发现腐霉利残留超标', level: 1 });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    const recallId = r.id;
    expect(r.progress.batches).toBe(3);
    const names = r.notices.map((n: { holderName: string }) => n.holderName);
    expect(names).toContain('荔湾区鲜达农产品经营部');
    expect(names).toContain('广州江南果菜批发市场');
    const outside = r.notices.find((n: { holderName: string }) => n.holderName === '李四');
    expect(outside.status).toBe('external');
    expect(outside.phone).toBe('13911112222');
    const note = (await get(buyer.token, '/notifications'))
      .json()
      .items.find((n: { kind: string }) => n.kind === 'recall.notice');
    expect(note.link).toBe(`/chain/recalls/${recallId}`);
    expect((await post(county, '/recalls', { batchId, reason: '再次召回' })).statusCode).toBe(409);
    const warnings = await recallWarnings(t.database.db, [batchId, r.notices[0].batchId]);
    expect(warnings.get(batchId)?.number).toBe(r.number);
    const sell = await post(farmer.token, '/sales', {
      batchId,
      quantity: 1,
      buyerKind: 'unregistered',
      buyerName: '王五',
    });
    expect(sell.statusCode).toBe(409);
    expect(sell.json().code).toBe('BATCH_RECALLED');
  });

  it('holders acknowledge; progress and reports follow', async () => {
    const { lot } = await chain();
    const opened = await post(county, '/recalls', { batchId: lot.id, reason: '抽检发现腐霉利残留超标', level: 1 });
    expect(opened.statusCode, opened.body).toBe(201);
    const recallId = opened.json().id;
    const view = (await get(buyer.token, `/recalls/${recallId}`)).json();
    expect(view.allowedActions).toContain('acknowledge');
    expect(view).toMatchObject({ statusNameEn: 'Open', levelNameEn: 'Level 1 (serious health hazard)' });
    expect((await post(stranger.token, `/recalls/${recallId}/acknowledge`, {})).statusCode).toBe(403);
    expect((await post(buyer.token, `/recalls/${recallId}/acknowledge`, { recoveredQuantity: -1 })).json().field).toBe(
      'recoveredQuantity',
    );
    const res = await post(buyer.token, `/recalls/${recallId}/acknowledge`, {
      recoveredQuantity: 80,
      note: '已下架封存',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().progress.acknowledged).toBeGreaterThanOrEqual(2);
    expect((await post(buyer.token, `/recalls/${recallId}/acknowledge`, {})).statusCode).toBe(409);
    const x = await get(county, `/recalls/${recallId}/report.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('通知名单 Holders')?.rowCount).toBeGreaterThan(3);
    const pdf = await get(county, `/recalls/${recallId}/report.pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const list = (await get(county, '/recalls')).json();
    expect(list.items[0].acknowledged).toBeGreaterThanOrEqual(2);
    const gate = await post(market.token, '/voucher-checks', {
      code: (await get(buyer.token, '/sales?role=seller')).json().items[0].voucherCode,
    });
    expect(gate.json().reasons.find((r: { code: string }) => r.code === 'NOT_RECALLED').ok).toBe(false);
    const closed = await post(county, `/recalls/${recallId}/close`, { note: '全部追回' });
    expect(closed.json().status).toBe('closed');
  });
});

describe('anomalies', () => {
  it('flags a short receipt to the producer and the county, and the scan finds it once', async () => {
    const b = await newBatch(farmer, 20);
    const s = (
      await post(farmer.token, '/sales', {
        batchId: b.id,
        quantity: 20,
        buyerKind: 'registered',
        buyerIdentityCode: 'ZT4401030000000001',
      })
    ).json();
    await post(buyer.token, '/receipts', { saleId: s.id, decision: 'accept', receivedQuantity: 15 });
    const a = (await get(county, '/anomalies?kind=receipt_mismatch')).json();
    expect(a.total).toBe(1);
    expect(a.items[0].details).toMatchObject({ sold: 20, received: 15 });
    const scan = await post(county, '/anomalies/scan', {});
    expect(scan.statusCode, scan.body).toBe(200);
    expect((await get(county, '/anomalies?kind=receipt_mismatch')).json().total).toBe(1);
    // A received lot corrected upward exceeds what came in.
    await t.database.db
      .updateTable('batch')
      .set({ quantity: 999 })
      .where('id', '=', (await get(buyer.token, `/sales/${s.id}`)).json().receiptBatchId)
      .execute();
    expect((await post(county, '/anomalies/scan', {})).json().flagged).toBeGreaterThanOrEqual(1);
    expect((await get(buyer.token, '/anomalies?kind=output_exceeds_input')).json().total).toBe(1);
    expect(
      (await get(farmer.token, '/notifications'))
        .json()
        .items.some((n: { kind: string }) => n.kind === 'anomaly.flagged'),
    ).toBe(true);
    expect((await post(farmer.token, '/anomalies/scan', {})).statusCode).toBe(403);
  });
});
