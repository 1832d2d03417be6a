import { randomUUID } from 'node:crypto';
import { audit } from '../../kernel/audit.js';
import { inScope } from '../../kernel/auth/scope.js';
import { type CodeKind, KIND_DIGIT, codeUrl, parseCode } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { MM, newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { SaleStatus } from '../../schema.js';
import { appendEvent } from '../batches/events.js';
import * as batchRepo from '../batches/repo.js';
import { type Producer, producerOf, readScopeOf } from '../catalog/owner.js';
import { codeText, issueCodes, platformOfConfig } from '../codes/service.js';
import { drawQr } from '../labels/render.js';
import { notify } from '../notifications/service.js';
import * as regions from '../regions/service.js';
import { flag } from './anomalies.js';
import * as repo from './repo.js';

/**
 * Sales and receipts (扫码交易, seed 001 art. 12): a seller records a quantity of its batch sold; to a registered
 * buyer the sale waits for the buyer's confirmation (accept → a circulation batch + code linked to the source;
 * refuse → the stock returns); to an unregistered buyer or into a market it carries a voucher (追溯凭证 / 入市追溯凭证,
 * art. 13–14). The stock decrement is the shipping event's, applied by appendEvent under the batch row lock, so
 * concurrent sales can never take the stock below zero.
 */
export const SALE_STATES: Record<SaleStatus, { zh: string; en: string }> = {
  pending: { zh: '待买方确认', en: 'Waiting for the buyer' },
  accepted: { zh: '买方已确认收货', en: 'Received by the buyer' },
  refused: { zh: '买方已拒收（库存已退回）', en: 'Refused by the buyer (stock returned)' },
  vouchered: { zh: '已开具凭证', en: 'Voucher issued' },
};
/** The sale state table: state × action → next state, and who may take it. */
export const SALE_TRANSITIONS = [
  { state: 'pending', action: 'accept', next: 'accepted', who: 'buyer' },
  { state: 'pending', action: 'refuse', next: 'refused', who: 'buyer' },
  { state: 'vouchered', action: 'printVoucher', next: 'vouchered', who: 'seller' },
] as const;

export const VOUCHER_NAMES = { trace: '追溯凭证', market: '入市追溯凭证' } as const;
/** A market-entry voucher is valid for entry this many days after the sale. */
export const VOUCHER_VALID_DAYS = 7;

const KINDS: Record<string, CodeKind> = { production: 'production', circulation: 'circulation' };
const batchCode = (ctx: Ctx, kind: string, serial: number | null) => (serial === null ? null : codeText(ctx.config, KINDS[kind] ?? 'production', Number(serial)));

export function saleDto(ctx: Ctx, s: repo.SaleRow, me?: string | null) {
  const role = me === s.seller_subject_id ? 'seller' : me && me === s.buyer_subject_id ? 'buyer' : null;
  const voucher = s.voucher_serial === null ? null : codeText(ctx.config, 'voucher', Number(s.voucher_serial));
  return {
    id: s.id,
    batchId: s.batch_id,
    batchNo: s.batch_no,
    batchCode: batchCode(ctx, s.batch_kind, s.batch_code_serial),
    productName: s.product_name,
    quantity: Number(s.quantity),
    unit: s.unit,
    price: s.price === null ? null : Number(s.price),
    sellerSubjectId: s.seller_subject_id,
    sellerName: s.seller_name,
    buyerKind: s.buyer_kind,
    buyerSubjectId: s.buyer_subject_id,
    buyerName: s.buyer_name,
    buyerPhone: s.buyer_phone,
    status: s.status,
    statusName: SALE_STATES[s.status].zh,
    voucherKind: s.voucher_kind,
    voucherName: s.voucher_kind ? VOUCHER_NAMES[s.voucher_kind] : null,
    voucherCode: voucher,
    voucherUrl: voucher ? codeUrl(ctx.config.publicBaseUrl, voucher) : null,
    soldAt: s.sold_at.toISOString(),
    receiptBatchId: s.receipt_batch_id,
    receiptCode: s.receipt_code_serial === null ? null : codeText(ctx.config, 'circulation', Number(s.receipt_code_serial)),
    receivedQuantity: s.received_quantity === null ? null : Number(s.received_quantity),
    decidedAt: s.decided_at?.toISOString() ?? null,
    refuseReason: s.refuse_reason,
    allowedActions: SALE_TRANSITIONS.filter((t) => t.state === s.status && t.who === role).map((t) => t.action),
  };
}

async function ownBatchForUpdate(ctx: Ctx, me: Producer, batchId: string, field = 'batchId') {
  const b = await batchRepo.batchById(ctx.db, batchId);
  if (!b) throw problems.notFound('批次', 'Batch');
  if (b.subject_id !== me.id) throw new Problem('NOT_YOUR_BATCH', { field });
  if (b.status === 'merged') throw new Problem('SALE_BATCH_NOT_SELLABLE', { stateZh: '已合并', stateEn: 'it was merged into another batch', field });
  const recall = await repo.openRecallOf(ctx.db, b.id);
  if (recall) throw new Problem('BATCH_RECALLED', { number: recall.number, field });
  return b;
}
export { ownBatchForUpdate as ownActiveBatch };

export async function resolveSubject(ctx: Ctx, text: string, field: string) {
  const p = parseCode(text);
  const shortSerial = p.ok && p.code.kind === 'subject' && p.code.platform === platformOfConfig(ctx.config) ? p.code.serial : null;
  const s = await repo.subjectByIdentity(ctx.db, text.trim().toUpperCase(), shortSerial);
  if (!s || !['approved', 'change_pending'].includes(s.status)) throw new Problem('BUYER_NOT_FOUND', { code: text, field });
  return s;
}

export interface SaleInput {
  batchId: string;
  quantity: number;
  buyerKind: 'registered' | 'unregistered' | 'market';
  buyerIdentityCode?: string;
  customerId?: string;
  buyerName?: string;
  buyerPhone?: string;
  price?: number;
  soldAt?: string;
}

export async function createSale(ctx: Ctx, input: SaleInput) {
  const me = await producerOf(ctx);
  const b = await ownBatchForUpdate(ctx, me, input.batchId);
  if (b.self_check === 'fail') throw new Problem('SALE_BATCH_NOT_SELLABLE', { stateZh: '自检不合格', stateEn: 'it failed its self-check', field: 'batchId' });
  const customer = input.customerId
    ? await ctx.db.selectFrom('customer').selectAll().where('id', '=', input.customerId).where('subject_id', '=', me.id).executeTakeFirst()
    : undefined;
  if (input.customerId && !customer) throw problems.invalid('customerId', '不是本主体的客户', 'is not a customer of yours');
  let buyer: Awaited<ReturnType<typeof repo.subjectById>> | undefined;
  if (input.buyerIdentityCode) buyer = await resolveSubject(ctx, input.buyerIdentityCode, 'buyerIdentityCode');
  else if (customer?.customer_subject_id) buyer = await repo.subjectById(ctx.db, customer.customer_subject_id);
  if (input.buyerKind === 'registered' && !buyer)
    throw problems.invalid('buyerIdentityCode', '请扫描或输入买方的主体身份码，或选择已注册的客户', "scan or type the buyer's identity code, or choose a registered customer");
  if (buyer?.id === me.id) throw new Problem('CANNOT_SELL_TO_SELF', { field: input.buyerIdentityCode ? 'buyerIdentityCode' : 'customerId' });
  const buyerName = buyer?.name ?? input.buyerName ?? customer?.name;
  if (!buyerName) throw problems.invalid('buyerName', input.buyerKind === 'market' ? '请填写市场名称或扫描市场的主体身份码' : '请填写买方姓名或名称', input.buyerKind === 'market' ? 'name the market or scan its identity code' : "give the buyer's name");
  const soldAt = input.soldAt ? new Date(input.soldAt) : new Date();
  if (soldAt.getTime() > Date.now() + 3600_000) throw problems.invalid('soldAt', '不能晚于现在', 'must not be in the future');
  if (soldAt < b.produced_at) throw problems.invalid('soldAt', '不能早于批次的生产/采收时间', 'must not be before the batch was produced');
  const id = randomUUID();
  const status: SaleStatus = input.buyerKind === 'registered' ? 'pending' : 'vouchered';
  const voucherKind = input.buyerKind === 'registered' ? null : input.buyerKind === 'market' ? 'market' : 'trace';
  let voucherSerial: number | null = null;
  if (voucherKind) voucherSerial = (await issueCodes(ctx, me, 'voucher', 1, b.id)).first;
  // The stock decrement: refused atomically when it would go below zero (INSUFFICIENT_STOCK, 409).
  const ev = await appendEvent(ctx, {
    eventType: 'transaction', action: 'OBSERVE', bizStep: 'shipping', stage: 'transport', disposition: 'in_transit', eventTime: soldAt,
    subjectId: me.id, divisionCode: b.division_code, batchId: b.id, qtyDelta: -input.quantity, unit: b.unit, sourceSubjectId: me.id, destSubjectId: buyer?.id ?? null,
    bizTx: [{ type: 'sale', id }, ...(voucherSerial !== null ? [{ type: 'voucher', id: codeText(ctx.config, 'voucher', voucherSerial) }] : [])],
    payload: { quantity: input.quantity, buyerKind: input.buyerKind, buyerName, price: input.price ?? null },
  });
  await repo.insertSale(ctx.db, {
    id, seller_subject_id: me.id, division_code: b.division_code, batch_id: b.id, quantity: input.quantity, unit: b.unit, buyer_kind: input.buyerKind,
    buyer_subject_id: buyer?.id ?? null, customer_id: customer?.id ?? null, buyer_name: buyerName, buyer_phone: input.buyerPhone ?? customer?.phone ?? buyer?.contact_phone ?? null,
    buyer_division: buyer?.division_code ?? null, status, voucher_kind: voucherKind, voucher_serial: voucherSerial, price: input.price ?? null, sold_at: soldAt,
    ship_event_id: ev.id, created_by: ctx.actor.id,
  });
  if (buyer && status === 'pending')
    await notify(ctx.db, [{
      orgId: buyer.org_id, kind: 'sale.incoming', titleZh: `待确认收货：${me.name} ${b.product_name} ${input.quantity}${b.unit}`,
      titleEn: `Confirm a receipt: ${b.product_name} ${input.quantity} ${b.unit} from ${me.name}`, link: `/chain/receive?sale=${id}`, divisionCode: buyer.division_code,
    }]);
  await audit(ctx, { verb: 'trade.sell', targetType: 'sale', targetId: id, divisionCode: b.division_code, summary: { batchId: b.id, quantity: input.quantity, buyerKind: input.buyerKind, buyerSubjectId: buyer?.id ?? null, voucherSerial } });
  return saleDto(ctx, (await repo.saleById(ctx.db, id)) as repo.SaleRow, me.id);
}

export async function getSale(ctx: Ctx, id: string) {
  const s = await repo.saleById(ctx.db, id);
  if (!s) throw problems.notFound('销售记录', 'Sale');
  const rs = await readScopeOf(ctx);
  if ('subjectId' in rs) {
    if (s.seller_subject_id !== rs.subjectId && s.buyer_subject_id !== rs.subjectId) throw problems.outOfJurisdiction('销售记录', 'sale');
    return saleDto(ctx, s, rs.subjectId);
  }
  if (!inScope(rs.scope, s.division_code) && !(s.buyer_division && inScope(rs.scope, s.buyer_division))) throw problems.outOfJurisdiction('销售记录', 'sale');
  return saleDto(ctx, s, null);
}

export async function listSales(ctx: Ctx, q: { role?: 'seller' | 'buyer'; status?: SaleStatus; batchId?: string; page?: number; pageSize?: number }) {
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  const rs = await readScopeOf(ctx);
  const { rows, more } = await repo.listSales(ctx.db, rs, { ...q, limit: pageSize, offset: (page - 1) * pageSize });
  const me = 'subjectId' in rs ? rs.subjectId : null;
  return { items: rows.map((s) => saleDto(ctx, s, me)), page, pageSize, more };
}

export interface ReceiptInput {
  saleId?: string;
  /** The seller batch's trace code, scanned from the goods: finds the oldest sale of it waiting for me. */
  code?: string;
  decision: 'accept' | 'refuse';
  receivedQuantity?: number;
  reason?: string;
}

/** The buyer's one click: accept (→ circulation batch and code linked to the source) or refuse (→ stock returns). */
export async function confirmReceipt(ctx: Ctx, input: ReceiptInput) {
  const me = await producerOf(ctx);
  let saleId = input.saleId;
  if (!saleId) {
    if (!input.code) throw problems.invalid('saleId', '请选择销售记录或扫描货品上的追溯码', 'choose the sale or scan the trace code on the goods');
    const p = parseCode(input.code);
    if (!p.ok || !['production', 'circulation'].includes(p.code.kind)) throw new Problem('NO_PENDING_RECEIPT', { field: 'code' });
    const s = await repo.pendingSaleOfCode(ctx.db, me.id, KIND_DIGIT[p.code.kind], p.code.serial);
    if (!s) throw new Problem('NO_PENDING_RECEIPT', { field: 'code' });
    saleId = s.id;
  }
  // Lock the sale: two clicks (or two devices) cannot both accept or accept and refuse.
  const locked = await repo.lockSale(ctx.db, saleId);
  const s = locked ? await repo.saleById(ctx.db, saleId) : undefined;
  if (!s) throw problems.notFound('待确认的销售记录', 'Sale to confirm');
  if (s.buyer_subject_id !== me.id) throw problems.outOfJurisdiction('销售记录', 'sale');
  const t = SALE_TRANSITIONS.find((x) => x.state === s.status && x.action === input.decision && x.who === 'buyer');
  if (!t) throw new Problem('INVALID_STATE', { stateZh: SALE_STATES[s.status].zh, stateEn: SALE_STATES[s.status].en, actionZh: input.decision === 'accept' ? '确认收货' : '拒收', actionEn: input.decision, field: 'decision' });
  const now = new Date();
  const quantity = Number(s.quantity);
  if (input.decision === 'refuse') {
    if (!input.reason?.trim()) throw problems.invalid('reason', '拒收须说明原因，卖方会看到', 'say why you refuse: the seller will see it');
    await appendEvent(ctx, {
      eventType: 'transaction', action: 'OBSERVE', bizStep: 'returning', stage: 'transport', disposition: 'returned', eventTime: now, subjectId: me.id,
      divisionCode: s.batch_division, batchId: s.batch_id, qtyDelta: quantity, unit: s.unit, sourceSubjectId: me.id, destSubjectId: s.seller_subject_id,
      bizTx: [{ type: 'sale', id: s.id }], payload: { reason: input.reason },
    });
    await ctx.db.updateTable('sale').set({ status: 'refused', decided_at: now, decided_by: ctx.actor.id, refuse_reason: input.reason }).where('id', '=', s.id).execute();
  } else {
    const received = input.receivedQuantity ?? quantity;
    if (received > quantity) throw problems.invalid('receivedQuantity', `不能多于卖方登记的 ${quantity}${s.unit}`, `must not exceed the ${quantity} ${s.unit} the seller recorded`);
    const src = (await batchRepo.batchById(ctx.db, s.batch_id)) as batchRepo.BatchRow;
    const product = await ctx.db.selectFrom('product').select(['industry', 'classification']).where('id', '=', src.product_id).executeTakeFirstOrThrow();
    const productId = await repo.ensureProduct(ctx.db, { subjectId: me.id, divisionCode: me.divisionCode, name: src.product_name, industry: product.industry, unit: s.unit, classification: product.classification, actorId: ctx.actor.id });
    const batchId = await newBatch(ctx, me, { kind: 'circulation', productId, unit: s.unit, producedAt: src.produced_at, selfCheck: src.self_check, baseId: null, prefix: 'R' });
    await appendEvent(ctx, {
      eventType: 'transaction', action: 'ADD', bizStep: 'receiving', stage: 'purchase', disposition: 'active', eventTime: now, subjectId: me.id,
      divisionCode: me.divisionCode, batchId, qtyDelta: received, quantityDelta: received, unit: s.unit, sourceSubjectId: s.seller_subject_id, destSubjectId: me.id,
      bizTx: [{ type: 'sale', id: s.id }], edges: [{ from: s.batch_id, to: batchId, quantity: received, unit: s.unit }],
      payload: { saleId: s.id, sold: quantity, received, sourceBatchId: s.batch_id },
    });
    await ctx.db.updateTable('sale').set({ status: 'accepted', decided_at: now, decided_by: ctx.actor.id, receipt_batch_id: batchId, received_quantity: received }).where('id', '=', s.id).execute();
    if (received !== quantity)
      await flag(ctx.db, [{ kind: 'receipt_mismatch', key: `rm:${s.id}:accepted`, subjectId: s.seller_subject_id, divisionCode: s.division_code, batchId: s.batch_id, saleId: s.id, details: { sold: quantity, received, buyerSubjectId: me.id } }]);
  }
  const seller = await repo.subjectById(ctx.db, s.seller_subject_id);
  if (seller)
    await notify(ctx.db, [{
      orgId: seller.org_id, kind: `sale.${t.next}`, divisionCode: seller.division_code, link: `/chain/sell?sale=${s.id}`,
      titleZh: `${me.name}${input.decision === 'accept' ? '已确认收货' : `拒收（${input.reason}），库存已退回`}：${s.product_name} ${quantity}${s.unit}`,
      titleEn: `${me.name} ${input.decision === 'accept' ? 'confirmed receipt of' : 'refused'} ${s.product_name} ${quantity} ${s.unit}`,
    }]);
  await audit(ctx, { verb: 'trade.receive', targetType: 'sale', targetId: s.id, divisionCode: s.division_code, summary: { decision: input.decision, receivedQuantity: input.receivedQuantity ?? null, reason: input.reason ?? null } });
  return saleDto(ctx, (await repo.saleById(ctx.db, s.id)) as repo.SaleRow, me.id);
}

/** A new batch of `me` (received, split or merged) with its own code; quantity and stock come from the caller's event. */
export async function newBatch(
  ctx: Ctx,
  me: Producer,
  v: { kind: 'production' | 'circulation'; productId: string; unit: string; producedAt: Date; selfCheck: 'pass' | 'fail' | 'untested'; baseId: string | null; prefix: string; divisionCode?: string },
) {
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  let n = (await batchRepo.countBatchesOn(ctx.db, me.id, `${v.prefix}${day}`)) + 1;
  while (await batchRepo.batchNoTaken(ctx.db, me.id, `${v.prefix}${day}-${String(n).padStart(3, '0')}`)) n++;
  const { id } = await batchRepo.insertBatch(ctx.db, {
    subject_id: me.id, division_code: v.divisionCode ?? me.divisionCode, kind: v.kind, batch_no: `${v.prefix}${day}-${String(n).padStart(3, '0')}`, product_id: v.productId,
    base_id: v.baseId, quantity: 0, unit: v.unit, produced_at: v.producedAt, self_check: v.selfCheck, self_check_note: null, stock: 0, created_by: ctx.actor.id,
  });
  const { first } = await issueCodes(ctx, me, v.kind, 1, id);
  await batchRepo.setBatchCode(ctx.db, id, first);
  return id;
}

// ── vouchers (追溯凭证 / 入市追溯凭证) ─────────────────────────────────────────
export async function voucherPdf(ctx: Ctx, saleId: string) {
  const s = await getSale(ctx, saleId);
  if (!s.voucherCode || !s.voucherKind) throw problems.notFound('凭证', 'Voucher');
  const row = (await repo.saleById(ctx.db, saleId)) as repo.SaleRow;
  const origin = `${await regions.fullName(ctx, row.batch_division)}`;
  const certs = await repo.certificatesOfBatches(ctx.db, [row.batch_id]);
  const W = 105 * MM;
  const H = 148 * MM;
  const doc = newPdf({ size: [W, H], margin: 0, info: { Title: `${VOUCHER_NAMES[s.voucherKind]} ${s.voucherCode}`, Subject: s.voucherCode, Keywords: s.voucherCode } });
  doc.lineWidth(1).rect(3 * MM, 3 * MM, W - 6 * MM, H - 6 * MM).stroke('#000');
  doc.font('cjk-bold').fontSize(16).text(VOUCHER_NAMES[s.voucherKind], 0, 8 * MM, { width: W, align: 'center' });
  doc.font('cjk').fontSize(7).text(s.voucherKind === 'market' ? '农产品进入批发市场、零售市场或生产加工企业时提供' : '未加施追溯标识的产品交易时提供', 0, 16 * MM, { width: W, align: 'center' });
  const qr = 40 * MM;
  drawQr(doc, s.voucherUrl as string, (W - qr) / 2, 21 * MM, qr);
  doc.font('cjk-bold').fontSize(9).text(s.voucherCode, 0, 22 * MM + qr, { width: W, align: 'center' });
  const rows: [string, string][] = [
    ['产品名称', s.productName],
    ['数量', `${s.quantity} ${s.unit}`],
    ['产地', origin],
    ['销售方', `${row.seller_name}（${row.seller_phone}）`],
    [s.voucherKind === 'market' ? '入市市场' : '购买方', `${s.buyerName}${s.buyerPhone ? `（${s.buyerPhone}）` : ''}`],
    ['来源批次码', s.batchCode ?? '—'],
    ['销售日期', new Date(row.sold_at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')],
  ];
  if (s.voucherKind === 'market') rows.push(['有效期', `开具后 ${VOUCHER_VALID_DAYS} 天内入市查验`]);
  if (certs.length) rows.push(['承诺达标合格证', certs.map((c) => c.number).join('、')]);
  let y = 30 * MM + qr;
  for (const [k, v] of rows) {
    doc.font('cjk-bold').fontSize(8).text(`${k}：`, 8 * MM, y, { continued: true, width: W - 16 * MM }).font('cjk').text(v, { width: W - 16 * MM });
    y = doc.y + 3;
  }
  doc.font('cjk').fontSize(6.5).text('扫描二维码或在国家农产品质量安全追溯平台输入凭证号核验真伪', 8 * MM, H - 11 * MM, { width: W - 16 * MM, align: 'center' });
  return { pdf: await pdfBuffer(doc), filename: `voucher-${s.voucherCode}.pdf` };
}
