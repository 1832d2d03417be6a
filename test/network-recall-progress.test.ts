/**
 * Chains across platforms, the pages' side (issue 15 item 3): a buyer lists the sales coming from another platform
 * and confirms one; national lists its network recalls and sees, per platform and per holder, the progress each
 * provincial platform reports back up (recall.progress messages) as holders acknowledge and recalls close.
 * National, Guangdong and Sichuan on 127.0.0.1, as in network-chain.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeProgress } from '../src/modules/recall/progress.js';
import { type TestApp, makeUser } from './helpers.js';
import { type Network, type NetworkProducer, get, post, startNetwork } from './network-fixture.js';

let national: TestApp;
let gd: TestApp;
let sc: TestApp;
let farmer: NetworkProducer;
let buyer: NetworkProducer;
let net: Network;
const BUYER_CODE = 'ZT5101040000000078';
const sync = () => net.sync();

beforeAll(async () => {
  net = await startNetwork({
    farmer: { username: 'gd_farmer2', name: '从化区荔香果场', divisionCode: '440117103' },
    buyer: { username: 'sc_buyer2', name: '武侯区蜀味果品行', divisionCode: '510107' },
    buyerCode: BUYER_CODE,
  });
  ({ national, gd, sc, farmer, buyer } = net);
}, 600_000);
afterAll(async () => {
  await net?.close();
});

describe('incoming sales and recall progress across platforms', () => {
  let lot: { id: string; code: string };
  let saleId: string;
  let receiptCode: string;
  let recallId: string;

  it('lists a sale from another platform for the buyer, who confirms it from the list', async () => {
    const productId = (await post(gd, farmer.token, '/products', { name: '荔枝', industry: 'planting' })).json().id;
    const b = await post(gd, farmer.token, '/batches', {
      productId,
      baseId: null,
      quantity: 500,
      producedAt: '2026-11-20T08:00:00+08:00',
      selfCheck: 'pass',
    });
    expect(b.statusCode, b.body).toBe(201);
    lot = b.json();
    const sale = await post(gd, farmer.token, '/sales', {
      batchId: lot.id,
      quantity: 200,
      buyerKind: 'registered',
      buyerIdentityCode: BUYER_CODE,
    });
    expect(sale.statusCode, sale.body).toBe(201);
    saleId = sale.json().id;
    await sync();
    const pending = await get(sc, buyer.token, '/sales/incoming?status=pending');
    expect(pending.statusCode, pending.body).toBe(200);
    expect(pending.json()).toMatchObject({ total: 1 });
    expect(pending.json().items[0]).toMatchObject({
      id: saleId,
      sellerName: '从化区荔香果场',
      sellerPlatform: 'province-44',
      productName: '荔枝',
      quantity: 200,
      status: 'pending',
      batchCode: lot.code,
      allowedActions: ['accept', 'refuse'],
    });
    // The seller's own platform has no incoming sale; a bad status is a 400 naming the field.
    expect((await get(gd, farmer.token, '/sales/incoming')).json().total).toBe(0);
    const bad = await get(sc, buyer.token, '/sales/incoming?status=vouchered');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('status');
    // A regulator of Sichuan sees it too (inside its jurisdiction), one of Guangdong's platform does not have it.
    const scAdmin = await sc.login('admin');
    expect((await get(sc, scAdmin, '/sales/incoming')).json().total).toBe(1);
    const r = await post(sc, buyer.token, '/receipts', { saleId, decision: 'accept', receivedQuantity: 180 });
    expect(r.statusCode, r.body).toBe(200);
    receiptCode = r.json().receiptCode;
    const accepted = (await get(sc, buyer.token, '/sales/incoming?status=accepted')).json();
    expect(accepted.items[0]).toMatchObject({ id: saleId, receivedQuantity: 180, receiptCode, allowedActions: [] });
    expect((await get(sc, buyer.token, '/sales/incoming?status=pending')).json().total).toBe(0);
    await sync();
  });

  it('lists the network recall at national and shows every platform waiting for its report', async () => {
    const tok = await national.login('admin');
    const r = await post(national, tok, '/network/recalls', { code: lot.code, reason: '抽检不合格：多菌灵超标' });
    expect(r.statusCode, r.body).toBe(201);
    recallId = r.json().id;
    const list = (await get(national, tok, '/network/recalls')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: recallId, code: lot.code, platforms: 2, holders: 0, acknowledged: 0 });
    const d = await get(national, tok, `/network/recalls/${recallId}`);
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({
      number: r.json().number,
      code: lot.code,
      level: 2,
      progress: { platforms: 2, reported: 0, holders: 0, acknowledged: 0 },
    });
    expect(d.json().platforms.map((p: { platform: string; recalls: unknown[] }) => [p.platform, p.recalls])).toEqual([
      ['province-44', []],
      ['province-51', []],
    ]);
    expect(d.json().platforms[0].platformNameEn).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('receives each platform’s progress as the recalls open there and holders acknowledge', async () => {
    await sync();
    await sync();
    const tok = await national.login('admin');
    let d = (await get(national, tok, `/network/recalls/${recallId}`)).json();
    expect(d.progress).toMatchObject({ platforms: 2, reported: 2, acknowledged: 0 });
    const sc1 = d.platforms.find((p: { platform: string }) => p.platform === 'province-51');
    expect(sc1.recalls).toHaveLength(1);
    expect(sc1.recalls[0]).toMatchObject({ status: 'open', holders: 1, acknowledged: 0 });
    expect(sc1.recalls[0].notices).toEqual([
      expect.objectContaining({
        holderName: '武侯区蜀味果品行',
        masked: false,
        code: receiptCode,
        quantity: 180,
        status: 'notified',
        statusNameEn: expect.any(String),
      }),
    ]);

    // The buyer acknowledges on Sichuan; national sees it after the next exchange.
    const local = (await get(sc, buyer.token, '/recalls')).json().items[0];
    const ack = await post(sc, buyer.token, `/recalls/${local.id}/acknowledge`, {
      recoveredQuantity: 150,
      note: '已下架',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    await sync();
    d = (await get(national, tok, `/network/recalls/${recallId}`)).json();
    const after = d.platforms.find((p: { platform: string }) => p.platform === 'province-51').recalls[0];
    expect(after).toMatchObject({ acknowledged: 1, recovered: 150 });
    expect(after.notices[0]).toMatchObject({ status: 'acknowledged', recoveredQuantity: 150 });
    expect(after.notices[0].acknowledgedAt).toEqual(expect.any(String));
    expect(d.progress.acknowledged).toBe(1);
    expect((await get(national, tok, '/network/recalls')).json().items[0]).toMatchObject({ acknowledged: 1 });

    // Guangdong's regulator closes its recall: national shows it closed.
    const gdAdmin = await gd.login('admin');
    const gdRecall = (await get(gd, gdAdmin, '/recalls')).json().items[0];
    const closed = await post(gd, gdAdmin, `/recalls/${gdRecall.id}/close`, { note: '已全部下架' });
    expect(closed.statusCode, closed.body).toBe(200);
    await sync();
    d = (await get(national, tok, `/network/recalls/${recallId}`)).json();
    expect(d.platforms.find((p: { platform: string }) => p.platform === 'province-44').recalls[0]).toMatchObject({
      status: 'closed',
      statusNameEn: 'Closed',
    });
    for (const t of [national, gd, sc]) {
      const bad = await t.database.db
        .selectFrom('network_message')
        .select(['kind', 'error'])
        .where('error', 'is not', null)
        .execute();
      expect(bad).toEqual([]);
    }
  });

  it('keeps the later report when an earlier one arrives late, and refuses one from a platform not asked', async () => {
    const tok = await national.login('admin');
    const before = (await get(national, tok, `/network/recalls/${recallId}`)).json();
    const row = await national.database.db
      .selectFrom('network_recall_progress')
      .selectAll()
      .where('platform', '=', 'province-51')
      .executeTakeFirstOrThrow();
    const ctx = { db: national.database.db, actor: null, ip: null, config: national.app.config };
    const stale = {
      networkRecallId: recallId,
      recallId: row.recall_id,
      number: row.number,
      status: 'open',
      holders: 1,
      acknowledged: 0,
      external: 0,
      recovered: 0,
      notices: [],
      reportedAt: new Date(row.reported_at.getTime() - 60_000).toISOString(),
    };
    const m = { id: 'x', kind: 'recall.progress', from: 'province-51', to: 'national', payload: stale };
    await takeProgress(ctx, m);
    expect((await get(national, tok, `/network/recalls/${recallId}`)).json()).toEqual(before);
    await expect(takeProgress(ctx, { ...m, from: 'province-11' })).rejects.toThrow(/not sent to province-11/);
  });

  it('shows the network recall only to regulators whose jurisdiction holds the lot', async () => {
    const tok = await national.login('admin');
    const bj = await makeUser(national, tok, {
      username: 'bj_sup2',
      orgName: '北京市农业农村局',
      divisionCode: '11',
      roles: ['supervisor'],
    });
    expect((await get(national, bj.token, `/network/recalls/${recallId}`)).statusCode).toBe(403);
    expect((await get(national, bj.token, '/network/recalls')).json().total).toBe(0);
    const gdSup = await makeUser(national, tok, {
      username: 'gd_sup2',
      orgName: '广东省农业农村厅',
      divisionCode: '44',
      roles: ['supervisor'],
    });
    const d = (await get(national, gdSup.token, `/network/recalls/${recallId}`)).json();
    const scHolder = d.platforms.find((p: { platform: string }) => p.platform === 'province-51').recalls[0].notices[0];
    expect(scHolder).toMatchObject({ masked: true, holderName: '', code: null, status: 'acknowledged' });
    const missing = await get(national, tok, '/network/recalls/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
  });
});
