/**
 * Chains across platforms (issue 15 items 3 and 5): national, Guangdong and Sichuan, each its own app and database on
 * 127.0.0.1, connected and approved. A Guangdong farmer sells to a buyer registered on Sichuan's platform by the
 * buyer's identity code (looked up at national); the sale travels up and down the signed sharing channel as a
 * message; the buyer confirms on Sichuan and gets a Sichuan circulation code; the decision goes back to Guangdong;
 * national's lineage shows both lots with their platforms; a recall opened at national reaches the holders on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode } from '../src/kernel/codes.js';
import { type TestApp, makeUser } from './helpers.js';
import { type Network, type NetworkProducer, get, post, startNetwork } from './network-fixture.js';

let national: TestApp;
let gd: TestApp;
let sc: TestApp;
let farmer: NetworkProducer;
let buyer: NetworkProducer;
let net: Network;
const BUYER_CODE = 'ZT5101040000000077';
const sync = () => net.sync();

beforeAll(async () => {
  net = await startNetwork({
    farmer: { username: 'gd_farmer', name: '温泉镇绿源果蔬合作社', divisionCode: '440117103' },
    buyer: { username: 'sc_buyer', name: '锦江区鲜达农产品经营部', divisionCode: '510104' },
    buyerCode: BUYER_CODE,
  });
  ({ national, gd, sc, farmer, buyer } = net);
}, 600_000);
afterAll(async () => {
  await net?.close();
});

describe('a chain across two provinces', () => {
  let lot: { id: string; code: string };
  let saleId: string;
  let receiptCode: string;

  it('sells a Guangdong lot to a buyer registered on Sichuan, named by its identity code', async () => {
    const productId = (await post(gd, farmer.token, '/products', { name: '豇豆', industry: 'planting' })).json().id;
    const b = await post(gd, farmer.token, '/batches', {
      productId,
      baseId: null,
      quantity: 1000,
      producedAt: '2026-11-20T08:00:00+08:00',
      selfCheck: 'pass',
    });
    expect(b.statusCode, b.body).toBe(201);
    lot = b.json();
    // An identity code nobody registered: refused, nothing written.
    const unknown = await post(gd, farmer.token, '/sales', {
      batchId: lot.id,
      quantity: 10,
      buyerKind: 'registered',
      buyerIdentityCode: 'ZT5101040000000099',
    });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().code).toBe('BUYER_NOT_FOUND');
    const sale = await post(gd, farmer.token, '/sales', {
      batchId: lot.id,
      quantity: 300,
      buyerKind: 'registered',
      buyerIdentityCode: BUYER_CODE,
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json()).toMatchObject({
      status: 'pending',
      buyerName: '锦江区鲜达农产品经营部',
      buyerSubjectId: buyer.subjectId,
      buyerPlatform: 'province-51',
    });
    saleId = sale.json().id;
  });

  it('relays the sale down to Sichuan, where the buyer is notified and confirms by scanning the goods', async () => {
    await sync();
    const notes = (await get(sc, buyer.token, '/notifications?pageSize=50')).json().items;
    expect(notes.filter((x: { kind: string }) => x.kind === 'sale.incoming')).toHaveLength(1);
    const incoming = await get(sc, buyer.token, `/sales/${saleId}`);
    expect(incoming.statusCode, incoming.body).toBe(200);
    expect(incoming.json()).toMatchObject({ status: 'pending', sellerPlatform: 'province-44', quantity: 300 });
    const r = await post(sc, buyer.token, '/receipts', { code: lot.code, decision: 'accept' });
    expect(r.statusCode, r.body).toBe(200);
    receiptCode = r.json().receiptCode;
    const parsed = parseCode(receiptCode);
    const gdCode = parseCode(lot.code);
    expect(parsed.ok && gdCode.ok && parsed.code.platform !== gdCode.code.platform).toBe(true);
    expect(parsed.ok && parsed.code.kind).toBe('circulation');
    // Confirming twice is refused (the sale is no longer pending).
    const again = await post(sc, buyer.token, '/receipts', { saleId, decision: 'accept' });
    expect(again.statusCode).toBe(409);
  });

  it('settles the sale at Guangdong once the receipt comes back', async () => {
    await sync();
    const s = await get(gd, farmer.token, `/sales/${saleId}`);
    expect(s.json()).toMatchObject({ status: 'accepted', receivedQuantity: 300 });
    const notes = (await get(gd, farmer.token, '/notifications?pageSize=50')).json().items;
    expect(notes.some((x: { kind: string }) => x.kind === 'sale.accepted')).toBe(true);
    // Every message was handled once, none refused.
    for (const t of [gd, sc]) {
      const bad = await t.database.db
        .selectFrom('network_message')
        .select('error')
        .where('error', 'is not', null)
        .execute();
      expect(bad).toEqual([]);
    }
  });

  it('shows the whole chain at national, each lot with its platform', async () => {
    const tok = await national.login('admin');
    const r = await get(national, tok, `/network/lineage?code=${lot.code}`);
    expect(r.statusCode, r.body).toBe(200);
    const g = r.json();
    expect(g.platforms).toEqual(['province-44', 'province-51']);
    const byCode = new Map(g.nodes.map((n: { code: string }) => [n.code, n]));
    expect(byCode.get(lot.code)).toMatchObject({ depth: 0, platform: 'province-44', masked: false });
    expect(byCode.get(receiptCode)).toMatchObject({ depth: 1, platform: 'province-51', quantity: 300 });
    expect(g.edges).toEqual([
      expect.objectContaining({ kind: 'sale', saleId, fromPlatform: 'province-44', toPlatform: 'province-51' }),
    ]);
    const steps = (code: string) =>
      (byCode.get(code) as { steps: { bizStep: string; platform: string }[] }).steps.map(
        (s) => `${s.bizStep}@${s.platform}`,
      );
    expect(steps(lot.code)).toEqual(expect.arrayContaining(['commissioning@province-44', 'shipping@province-44']));
    expect(steps(receiptCode)).toContain('receiving@province-51');
    // From the buyer's code the same chain, upstream.
    const back = (await get(national, tok, `/network/lineage?code=${receiptCode}`)).json();
    expect(back.nodes.find((n: { code: string }) => n.code === lot.code)).toMatchObject({ depth: -1 });
    // A regulator of another province sees nothing of it.
    const bj = await makeUser(national, tok, {
      username: 'bj_sup',
      orgName: '北京市农业农村局',
      divisionCode: '11',
      roles: ['supervisor'],
    });
    expect((await get(national, bj.token, `/network/lineage?code=${lot.code}`)).statusCode).toBe(403);
  });

  it('reaches the holders on both provinces with a recall opened at national', async () => {
    const tok = await national.login('admin');
    const r = await post(national, tok, '/network/recalls', {
      code: lot.code,
      reason: '抽检不合格：毒死蜱超标',
      level: 1,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(
      r
        .json()
        .platforms.map((p: { platform: string }) => p.platform)
        .sort(),
    ).toEqual(['province-44', 'province-51']);
    await sync();
    await sync();
    for (const [t, p, code] of [
      [gd, farmer, lot.code],
      [sc, buyer, receiptCode],
    ] as const) {
      const list = (await get(t, p.token, '/recalls')).json().items;
      expect(list).toHaveLength(1);
      const one = (await get(t, p.token, `/recalls/${list[0].id}`)).json();
      expect(one).toMatchObject({ number: r.json().number, openerKind: 'upper', code, level: 1 });
      const notes = (await get(t, p.token, '/notifications?pageSize=50')).json().items;
      expect(notes.filter((x: { kind: string }) => x.kind === 'recall.notice')).toHaveLength(1);
    }
  });
});
