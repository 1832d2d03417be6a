import { hashPassword } from '../../kernel/auth/crypto.js';
import { countyOf, isAtOrBelow } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { creditCodeCheckChar } from '../../kernel/idcodes.js';
import type { DemoStep } from '../../kernel/module.js';
import { DEMO_PASSWORD } from '../accounts/demo.js';
import { createBatch } from '../batches/service.js';
import { createBase, createProduct } from '../catalog/service.js';
import { issueCertificate } from '../certificates/service.js';
import { mergeBatches, splitBatch } from '../lineage/transform.js';
import { seedProducer } from '../subjects/demo.js';
import { scanAnomalies } from '../trade/anomalies.js';
import { confirmReceipt, createSale } from '../trade/service.js';
import { verifyVoucher } from '../trade/verify.js';
import { acknowledgeRecall, openRecall } from './service.js';

/** The certificates module's trace step, named here (the chains start from the demo farmer after it). */
const TRACE_STEP = 'products, bases, batches, codes and certificates of demo producers';
export const CHAIN_STEP = 'trade chains across counties and provinces, vouchers, gate checks, a recall';

/**
 * Multi-step chains across counties and provinces (issue 5), built on the demo producers of issues 3–4 through the
 * services (so stock, events, edges, codes and certificates are the real ones):
 *  A. 从化 farm → 广州荔湾 buyer (scan-to-trade, confirmed) → repacked (certificate re-issued) → 江南 market (voucher,
 *     gate verified) and an unregistered buyer (traceability voucher);
 *  B. 从化 farm → 成都 distributor (cross-province) ← 蒲江 farm; the distributor merges both lots → 成都 market;
 *  C. a short receipt (anomaly) and a sale waiting for confirmation;
 *  D. a recall opened by the 从化 county regulator on a third lot, acknowledged by one holder.
 * New accounts (password Demo12345): demo_buyer, demo_market, demo_gate (market_staff), demo_sc_buyer, demo_sc_market,
 * demo_sc_gate, demo_pj_farmer. Idempotent: skipped when demo_buyer exists. It lives in the recall module, the one
 * module above every module it drives (trade, lineage, certificates, batches, catalog, subjects).
 */
interface NewSubject {
  username: string;
  name: string;
  division: string;
  type: 'production' | 'operation';
  gate?: string;
}
const SUBJECTS: NewSubject[] = [
  { username: 'demo_buyer', name: '广州市荔湾区鲜达农产品经营部', division: '440103', type: 'operation' },
  { username: 'demo_market', name: '广州江南果菜批发市场', division: '440111', type: 'operation', gate: 'demo_gate' },
  { username: 'demo_sc_buyer', name: '成都蜀鲜农产品配送中心', division: '510104', type: 'operation' },
  {
    username: 'demo_sc_market',
    name: '成都农产品中心批发市场',
    division: '510106',
    type: 'operation',
    gate: 'demo_sc_gate',
  },
  { username: 'demo_pj_farmer', name: '蒲江县鹤山豇豆专业合作社', division: '510131001', type: 'production' },
];

async function makeSubject(ctx: Ctx<Actor | null>, s: NewSubject, n: number, passwordHash: string) {
  const body17 = `93${countyOf(s.division)}MD${String(n).padStart(7, '0')}`;
  const certNo = body17 + creditCodeCheckChar(body17);
  const made = await seedProducer(ctx, {
    org: { contactName: '联系人', contactPhone: `1390000100${n}`, address: null },
    subject: {
      name: s.name,
      org_form: 'enterprise',
      subject_type: s.type,
      industries: ['planting'],
      cert_type: 'credit_code',
      cert_no: certNo,
      dedup_key: `C${certNo}`,
      legal_person_name: '法人',
      legal_person_id_no: null,
      legal_person_phone: null,
      contact_name: '联系人',
      contact_phone: `1390000100${n}`,
      contact_email: null,
      address: `${s.name}经营场所`,
      division_code: s.division,
      longitude: null,
      latitude: null,
      source_ref: 'demo',
    },
    accounts: [
      { username: s.username, displayName: s.name, roles: ['producer_admin'] },
      ...(s.gate ? [{ username: s.gate, displayName: `${s.name.slice(0, 6)}门岗`, roles: ['market_staff'] }] : []),
    ],
    passwordHash,
  });
  return {
    orgId: made.orgId,
    subjectId: made.subjectId,
    identity: made.identityCode as string,
    division: s.division,
    name: s.name,
    accounts: made.accounts,
  };
}

export const chainDemo: DemoStep = {
  name: CHAIN_STEP,
  after: [TRACE_STEP],
  async run({ database, config, log, system }) {
    const db = database.db;
    if (await db.selectFrom('account').select('id').where('username', '=', 'demo_buyer').executeTakeFirst())
      return log('chain demo: already there');
    const farmer = await db
      .selectFrom('account as a')
      .innerJoin('subject as s', 's.org_id', 'a.org_id')
      .innerJoin('organisation as o', 'o.id', 'a.org_id')
      .select([
        'a.id',
        'a.username',
        'a.roles',
        's.id as subject_id',
        's.name',
        's.division_code',
        'a.org_id',
        'o.name as org_name',
      ])
      .where('a.username', '=', 'demo_farmer')
      .where('s.status', '=', 'approved')
      .executeTakeFirst();
    if (!farmer) return log('chain demo: demo_farmer (issue 3 demo) missing: skipped');
    const hash = await hashPassword(DEMO_PASSWORD);
    const actorOf = (
      accountId: string,
      username: string,
      orgId: string,
      name: string,
      division: string,
      roles: string[],
    ): Actor => ({
      id: accountId,
      username,
      displayName: name,
      orgId,
      orgName: name,
      orgKind: 'producer',
      scope: division,
      roles,
      verbs: new Set(),
      mustChangePassword: false,
    });
    let counts = { sales: 0, receipts: 0, checks: 0 };
    await system(async (sys) => {
      const trx = sys.db;
      const made: Awaited<ReturnType<typeof makeSubject>>[] = [];
      for (const [i, s] of SUBJECTS.entries()) made.push(await makeSubject(sys, s, i + 1, hash));
      const [buyer, market, scBuyer, scMarket, pjFarmer] = made;
      const ctxOf = (
        m: (typeof made)[number],
        username = Object.keys(m.accounts)[0],
        roles = ['producer_admin'],
      ): Ctx => ({
        db: trx,
        ip: null,
        config,
        actor: actorOf(m.accounts[username], username, m.orgId, m.name, m.division, roles),
      });
      const farm: Ctx = {
        db: trx,
        ip: null,
        config,
        actor: actorOf(farmer.id, farmer.username, farmer.org_id, farmer.org_name, farmer.division_code, farmer.roles),
      };
      const township = isAtOrBelow(farmer.division_code, 'township') ? farmer.division_code : '440117103';
      // The farmer's lots of 豇豆 (issue 4's demo made products; make our own to be independent of it).
      const product = await createProduct(farm, {
        name: '豇豆（供链演示）',
        industry: 'planting',
        unit: 'kg',
        keyProduct: '豇豆',
        certifications: [],
      });
      const base = await createBase(farm, {
        name: '石南村链条演示基地',
        divisionCode: township,
        area: 30,
        areaUnit: 'mu',
        method: 'open_field',
      });
      const lot = async (q: number, day: number) => {
        const b = await createBatch(farm, {
          productId: product.id,
          baseId: base.id,
          quantity: q,
          producedAt: new Date(Date.UTC(2026, 10, day, 0, 30)).toISOString(),
          selfCheck: 'pass',
        });
        await issueCertificate(farm, { batchId: b.id, quantity: q, basis: ['self_test', 'control'] });
        return b;
      };
      const b1 = await lot(500, 18);
      const b2 = await lot(400, 19);
      const b3 = await lot(120, 20);
      // A. 从化 → 荔湾 buyer → repack → 江南 market (+ an unregistered buyer).
      const s1 = await createSale(farm, {
        batchId: b1.id,
        quantity: 200,
        buyerKind: 'registered',
        buyerIdentityCode: buyer.identity,
        price: 1200,
      });
      const r1 = await confirmReceipt(ctxOf(buyer), { saleId: s1.id, decision: 'accept' });
      const repack = await splitBatch(ctxOf(buyer), r1.receiptBatchId as string, {
        parts: [{ quantity: 150 }],
        mode: 'repack',
      });
      const toMarket = await createSale(ctxOf(buyer), {
        batchId: repack.outputs[0].id,
        quantity: 100,
        buyerKind: 'market',
        buyerIdentityCode: market.identity,
      });
      await createSale(ctxOf(buyer), {
        batchId: repack.outputs[0].id,
        quantity: 20,
        buyerKind: 'unregistered',
        buyerName: '陈阿姨（个体菜摊）',
        buyerPhone: '13712345678',
      });
      await verifyVoucher(ctxOf(market, 'demo_gate', ['market_staff']), {
        code: toMarket.voucherCode as string,
        quantity: 100,
      });
      // B. 从化 → 成都 distributor (cross-province) ← 蒲江 farm; merged, then into the 成都 market.
      const s2 = await createSale(farm, {
        batchId: b2.id,
        quantity: 150,
        buyerKind: 'registered',
        buyerIdentityCode: scBuyer.identity,
      });
      const r2 = await confirmReceipt(ctxOf(scBuyer), { saleId: s2.id, decision: 'accept' });
      const pj = ctxOf(pjFarmer);
      const pjProduct = await createProduct(pj, {
        name: '豇豆（供链演示）',
        industry: 'planting',
        unit: 'kg',
        keyProduct: '豇豆',
        certifications: [],
      });
      const pjBase = await createBase(pj, {
        name: '鹤山豇豆基地',
        divisionCode: '510131001',
        area: 50,
        areaUnit: 'mu',
        method: 'open_field',
      });
      const pjLot = await createBatch(pj, {
        productId: pjProduct.id,
        baseId: pjBase.id,
        quantity: 300,
        producedAt: new Date(Date.UTC(2026, 10, 19, 1)).toISOString(),
        selfCheck: 'pass',
      });
      await issueCertificate(pj, { batchId: pjLot.id, quantity: 300, basis: ['control'] });
      const s3 = await createSale(pj, {
        batchId: pjLot.id,
        quantity: 200,
        buyerKind: 'registered',
        buyerIdentityCode: scBuyer.identity,
      });
      const r3 = await confirmReceipt(ctxOf(scBuyer), { saleId: s3.id, decision: 'accept' });
      const merged = await mergeBatches(ctxOf(scBuyer), {
        inputs: [{ batchId: r2.receiptBatchId as string }, { batchId: r3.receiptBatchId as string }],
      });
      const toScMarket = await createSale(ctxOf(scBuyer), {
        batchId: merged.outputs[0].id,
        quantity: 250,
        buyerKind: 'market',
        buyerIdentityCode: scMarket.identity,
      });
      await verifyVoucher(ctxOf(scMarket, 'demo_sc_gate', ['market_staff']), {
        code: toScMarket.voucherCode as string,
      });
      // C. A short receipt (flagged) and a sale still waiting for the buyer.
      const s4 = await createSale(farm, {
        batchId: b1.id,
        quantity: 50,
        buyerKind: 'registered',
        buyerIdentityCode: buyer.identity,
      });
      await confirmReceipt(ctxOf(buyer), { saleId: s4.id, decision: 'accept', receivedQuantity: 45 });
      await createSale(farm, {
        batchId: b1.id,
        quantity: 30,
        buyerKind: 'registered',
        buyerIdentityCode: buyer.identity,
      });
      // D. A recall of lot 3 by the county regulator, acknowledged by the buyer.
      const s5 = await createSale(farm, {
        batchId: b3.id,
        quantity: 60,
        buyerKind: 'registered',
        buyerIdentityCode: buyer.identity,
      });
      await confirmReceipt(ctxOf(buyer), { saleId: s5.id, decision: 'accept' });
      const officer = await trx
        .selectFrom('account as a')
        .innerJoin('organisation as o', 'o.id', 'a.org_id')
        .select(['a.id', 'a.org_id', 'o.name', 'o.division_code', 'a.roles'])
        .where('a.username', '=', 'ch_sup')
        .executeTakeFirst();
      if (officer) {
        const reg: Ctx = {
          db: trx,
          ip: null,
          config,
          actor: {
            id: officer.id,
            username: 'ch_sup',
            displayName: '从化区监管员 何强',
            orgId: officer.org_id,
            orgName: officer.name,
            orgKind: 'supervision',
            scope: officer.division_code,
            roles: officer.roles,
            verbs: new Set(),
            mustChangePassword: false,
          },
        };
        const recall = await openRecall(reg, {
          batchId: b3.id,
          reason: '例行监测发现腐霉利残留超标（演示）',
          level: 2,
        });
        await acknowledgeRecall(ctxOf(buyer), recall.id, { recoveredQuantity: 55, note: '已下架封存 55kg' });
      }
      await scanAnomalies(trx);
      counts = { sales: 10, receipts: 5, checks: 2 };
    });
    log(
      `chain demo: ${counts.sales} sales, ${counts.receipts} receipts, ${counts.checks} gate checks, 1 recall; accounts demo_buyer, demo_market, demo_gate, demo_sc_buyer, demo_sc_market, demo_sc_gate, demo_pj_farmer`,
    );
  },
};
