import { randomUUID } from 'node:crypto';
import { audit } from '../../kernel/audit.js';
import { inScope } from '../../kernel/auth/scope.js';
import { type CodeKind, KIND_DIGIT, codeUrl, parseCode } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { SaleStatus } from '../../schema.js';
import { appendEvent } from '../batches/events.js';
import { batchById } from '../batches/service.js';
import { enteredBy, enteredByOf, producerOf, readScopeOf } from '../catalog/owner.js';
import { productById } from '../catalog/service.js';
import { codeText, issueCodes, platformOfConfig } from '../codes/service.js';
import { ownActiveBatch } from '../lineage/derive.js';
import { notify } from '../notifications/service.js';
import { flag } from './anomalies.js';
import { findNetworkSubject } from '../sharing/messages.js';
import type { NetworkSubject } from '../sharing/schemas.js';
import { confirmIncoming, incomingFor, incomingSale, offerAcross } from './network.js';
import { receiveAsCirculation } from './receive.js';
import * as repo from './repo.js';
import {
  BUYER_KIND_LABELS,
  type ReceiptInput,
  type Sale,
  type SaleInput,
  type SaleQuery,
  VOUCHER_LABELS,
} from './schemas.js';
import { type SaleSide, decide, saleWorkflow } from './states.js';

/**
 * Sales and receipts (扫码交易, seed 001 art. 12): a seller records a quantity of its batch sold; to a registered
 * buyer the sale waits for the buyer's confirmation (accept → a circulation batch + code linked to the source;
 * refuse → the stock returns); to an unregistered buyer or into a market it carries a voucher (追溯凭证 / 入市追溯凭证,
 * art. 13–14; voucher.ts prints it). The stock decrement is the shipping event's, applied by appendEvent under the
 * batch row lock, so concurrent sales can never take the stock below zero. The sale's state table is states.ts.
 */
const KINDS: Record<string, CodeKind> = { production: 'production', circulation: 'circulation' };
const batchCode = (ctx: Ctx, kind: string, serial: number | null) =>
  serial === null ? null : codeText(ctx.config, KINDS[kind] ?? 'production', Number(serial));

export function saleDto(ctx: Ctx, s: repo.SaleRow, me?: string | null): Sale {
  const side: SaleSide | null =
    me === s.seller_subject_id ? 'seller' : me && me === s.buyer_subject_id ? 'buyer' : null;
  const voucher = s.voucher_serial === null ? null : codeText(ctx.config, 'voucher', Number(s.voucher_serial));
  const status = saleWorkflow.stateLabel(s.status);
  const voucherLabel = s.voucher_kind ? VOUCHER_LABELS[s.voucher_kind] : null;
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
    sellerPlatform: null,
    buyerKind: s.buyer_kind,
    buyerKindName: BUYER_KIND_LABELS[s.buyer_kind].zh,
    buyerKindNameEn: BUYER_KIND_LABELS[s.buyer_kind].en,
    buyerSubjectId: s.buyer_subject_id ?? s.buyer_remote_id,
    buyerName: s.buyer_name,
    buyerPhone: s.buyer_phone,
    buyerPlatform: s.buyer_platform,
    status: s.status,
    statusName: status.zh,
    statusNameEn: status.en,
    voucherKind: s.voucher_kind,
    voucherName: voucherLabel?.zh ?? null,
    voucherNameEn: voucherLabel?.en ?? null,
    voucherCode: voucher,
    voucherUrl: voucher ? codeUrl(ctx.config.publicBaseUrl, voucher) : null,
    soldAt: s.sold_at.toISOString(),
    enteredBy: enteredByOf(s),
    receiptBatchId: s.receipt_batch_id,
    receiptCode:
      s.receipt_code_serial === null ? null : codeText(ctx.config, 'circulation', Number(s.receipt_code_serial)),
    receivedQuantity: s.received_quantity === null ? null : Number(s.received_quantity),
    decidedAt: s.decided_at?.toISOString() ?? null,
    refuseReason: s.refuse_reason,
    allowedActions: side ? saleWorkflow.allowedActions(s.status, [side]) : [],
  };
}

export async function resolveSubject(ctx: Ctx, text: string, field: string) {
  const p = parseCode(text);
  const shortSerial =
    p.ok && p.code.kind === 'subject' && p.code.platform === platformOfConfig(ctx.config) ? p.code.serial : null;
  const s = await repo.subjectByIdentity(ctx.db, text.trim().toUpperCase(), shortSerial);
  if (!s || !['approved', 'change_pending'].includes(s.status))
    throw new Problem('BUYER_NOT_FOUND', { code: text, field });
  return s;
}

export async function createSale(ctx: Ctx, input: SaleInput): Promise<Sale> {
  const me = await producerOf(ctx, 'sales');
  const b = await ownActiveBatch(ctx, me, input.batchId);
  if (b.self_check === 'fail')
    throw new Problem('SALE_BATCH_NOT_SELLABLE', {
      stateZh: '自检不合格',
      stateEn: 'it failed its self-check',
      field: 'batchId',
    });
  const customer = input.customerId ? await repo.customerOf(ctx.db, me.id, input.customerId) : undefined;
  if (input.customerId && !customer)
    throw problems.invalid('customerId', '不是本主体的客户', 'is not a customer of yours');
  let buyer: Awaited<ReturnType<typeof repo.subjectById>> | undefined;
  // A buyer registered on another platform (issue 15 item 3): looked up at national, the sale goes there (network.ts).
  let remote: NetworkSubject | null = null;
  if (input.buyerIdentityCode)
    buyer = await resolveSubject(ctx, input.buyerIdentityCode, 'buyerIdentityCode').catch(async (e) => {
      if (!(e instanceof Problem && e.code === 'BUYER_NOT_FOUND') || input.buyerKind !== 'registered') throw e;
      remote = await findNetworkSubject(ctx, (input.buyerIdentityCode as string).trim().toUpperCase());
      if (!remote) throw e;
      return undefined;
    });
  else if (customer?.customer_subject_id) buyer = await repo.subjectById(ctx.db, customer.customer_subject_id);
  const other = remote as NetworkSubject | null;
  if (input.buyerKind === 'registered' && !buyer && !other)
    throw problems.invalid(
      'buyerIdentityCode',
      '请扫描或输入买方的主体身份码，或选择已注册的客户',
      "scan or type the buyer's identity code, or choose a registered customer",
    );
  if (buyer?.id === me.id)
    throw new Problem('CANNOT_SELL_TO_SELF', { field: input.buyerIdentityCode ? 'buyerIdentityCode' : 'customerId' });
  const buyerName = buyer?.name ?? other?.name ?? input.buyerName ?? customer?.name;
  if (!buyerName)
    throw problems.invalid(
      'buyerName',
      input.buyerKind === 'market' ? '请填写市场名称或扫描市场的主体身份码' : '请填写买方姓名或名称',
      input.buyerKind === 'market' ? 'name the market or scan its identity code' : "give the buyer's name",
    );
  const soldAt = input.soldAt ? new Date(input.soldAt) : new Date();
  if (soldAt.getTime() > Date.now() + 3600_000)
    throw problems.invalid('soldAt', '不能晚于现在', 'must not be in the future');
  if (soldAt < b.produced_at)
    throw problems.invalid('soldAt', '不能早于批次的生产/采收时间', 'must not be before the batch was produced');
  const id = randomUUID();
  const status: SaleStatus = input.buyerKind === 'registered' ? 'pending' : 'vouchered';
  const voucherKind = input.buyerKind === 'registered' ? null : input.buyerKind === 'market' ? 'market' : 'trace';
  let voucherSerial: number | null = null;
  if (voucherKind) voucherSerial = (await issueCodes(ctx, me, 'voucher', 1, b.id)).first;
  // The stock decrement: refused atomically when it would go below zero (INSUFFICIENT_STOCK, 409).
  const ev = await appendEvent(ctx, {
    eventType: 'transaction',
    action: 'OBSERVE',
    bizStep: 'shipping',
    stage: 'transport',
    disposition: 'in_transit',
    eventTime: soldAt,
    subjectId: me.id,
    divisionCode: b.division_code,
    batchId: b.id,
    qtyDelta: -input.quantity,
    unit: b.unit,
    sourceSubjectId: me.id,
    destSubjectId: buyer?.id ?? other?.id ?? null,
    bizTx: [
      { type: 'sale', id },
      ...(voucherSerial !== null ? [{ type: 'voucher', id: codeText(ctx.config, 'voucher', voucherSerial) }] : []),
    ],
    payload: { quantity: input.quantity, buyerKind: input.buyerKind, buyerName, price: input.price ?? null },
  });
  await repo.insertSale(ctx.db, {
    id,
    seller_subject_id: me.id,
    division_code: b.division_code,
    batch_id: b.id,
    quantity: input.quantity,
    unit: b.unit,
    buyer_kind: input.buyerKind,
    buyer_subject_id: buyer?.id ?? null,
    customer_id: customer?.id ?? null,
    buyer_name: buyerName,
    buyer_phone: input.buyerPhone ?? customer?.phone ?? buyer?.contact_phone ?? null,
    buyer_division: buyer?.division_code ?? other?.divisionCode ?? null,
    buyer_platform: other?.platform ?? null,
    buyer_remote_id: other?.id ?? null,
    status,
    voucher_kind: voucherKind,
    voucher_serial: voucherSerial,
    price: input.price ?? null,
    sold_at: soldAt,
    ship_event_id: ev.id,
    created_by: ctx.actor.id,
    ...enteredBy(me),
  });
  if (other) {
    const src = (await batchById(ctx.db, b.id)) as NonNullable<Awaited<ReturnType<typeof batchById>>>;
    const product = (await productById(ctx.db, src.product_id)) as NonNullable<Awaited<ReturnType<typeof productById>>>;
    await offerAcross(ctx, other, {
      saleId: id,
      sellerSubjectId: me.id,
      sellerName: me.name,
      sellerDivision: b.division_code,
      sourceBatchId: b.id,
      sourceCode: batchCode(ctx, src.kind, src.code_serial === null ? null : Number(src.code_serial)),
      productName: src.product_name,
      industry: product.industry,
      quantity: input.quantity,
      unit: b.unit,
      producedAt: src.produced_at.toISOString(),
      selfCheck: src.self_check,
      soldAt: soldAt.toISOString(),
    });
  }
  if (buyer && status === 'pending')
    await notify(ctx.db, [
      {
        orgId: buyer.org_id,
        kind: 'sale.incoming',
        titleZh: `待确认收货：${me.name} ${b.product_name} ${input.quantity}${b.unit}`,
        titleEn: `Confirm a receipt: ${b.product_name} ${input.quantity} ${b.unit} from ${me.name}`,
        link: `/chain/receive?sale=${id}`,
        divisionCode: buyer.division_code,
      },
    ]);
  await audit(ctx, {
    verb: 'trade.sell',
    targetType: 'sale',
    targetId: id,
    divisionCode: b.division_code,
    summary: {
      batchId: b.id,
      quantity: input.quantity,
      buyerKind: input.buyerKind,
      buyerSubjectId: buyer?.id ?? other?.id ?? null,
      buyerPlatform: other?.platform ?? null,
      voucherSerial,
    },
  });
  return saleDto(ctx, (await repo.saleById(ctx.db, id)) as repo.SaleRow, me.id);
}

/** A sale the reader may see (seller, buyer, or a regulator of either side's division), with its row. */
export async function visibleSale(ctx: Ctx, id: string) {
  const s = await repo.saleById(ctx.db, id);
  if (!s) throw problems.notFound('销售记录', 'Sale');
  const rs = await readScopeOf(ctx);
  if ('subjectId' in rs) {
    if (s.seller_subject_id !== rs.subjectId && s.buyer_subject_id !== rs.subjectId)
      throw problems.outOfJurisdiction('销售记录', 'sale');
    return { row: s, sale: saleDto(ctx, s, rs.subjectId) };
  }
  if (!inScope(rs.scope, s.division_code) && !(s.buyer_division && inScope(rs.scope, s.buyer_division)))
    throw problems.outOfJurisdiction('销售记录', 'sale');
  return { row: s, sale: saleDto(ctx, s, null) };
}

export async function getSale(ctx: Ctx, id: string): Promise<Sale> {
  if (!(await repo.saleById(ctx.db, id))) {
    const rs = await readScopeOf(ctx);
    const incoming = await incomingSale(ctx, id, 'subjectId' in rs ? rs.subjectId : null);
    if (incoming) return incoming;
  }
  return (await visibleSale(ctx, id)).sale;
}

export async function listSales(ctx: Ctx, q: SaleQuery): Promise<Paged<Sale>> {
  const rs = await readScopeOf(ctx);
  const page = await repo.listSales(ctx.db, rs, { role: q.role, status: q.status, batchId: q.batchId }, pageOf(q));
  const me = 'subjectId' in rs ? rs.subjectId : null;
  return mapPage(page, (s) => saleDto(ctx, s, me));
}

/** The buyer's one click: accept (→ circulation batch and code linked to the source) or refuse (→ stock returns). */
export async function confirmReceipt(ctx: Ctx, input: ReceiptInput): Promise<Sale> {
  const me = await producerOf(ctx, 'sales');
  // A sale made on another platform (issue 15 item 3): confirmed here, its decision goes back (network.ts).
  const incoming = await incomingFor(ctx, me, input);
  if (incoming) return confirmIncoming(ctx, me, incoming, input);
  let saleId = input.saleId;
  if (!saleId) {
    if (!input.code)
      throw problems.invalid(
        'saleId',
        '请选择销售记录或扫描货品上的追溯码',
        'choose the sale or scan the trace code on the goods',
      );
    const p = parseCode(input.code);
    if (!p.ok || !['production', 'circulation'].includes(p.code.kind))
      throw new Problem('NO_PENDING_RECEIPT', { field: 'code' });
    const s = await repo.pendingSaleOfCode(ctx.db, me.id, KIND_DIGIT[p.code.kind], p.code.serial);
    if (!s) throw new Problem('NO_PENDING_RECEIPT', { field: 'code' });
    saleId = s.id;
  }
  // Lock the sale: two clicks (or two devices) cannot both accept or accept and refuse.
  const locked = await repo.lockSale(ctx.db, saleId);
  const s = locked ? await repo.saleById(ctx.db, saleId) : undefined;
  if (!s) throw problems.notFound('待确认的销售记录', 'Sale to confirm');
  if (s.buyer_subject_id !== me.id) throw problems.outOfJurisdiction('销售记录', 'sale');
  const t = decide(s.status, input.decision);
  const now = new Date();
  const quantity = Number(s.quantity);
  if (input.decision === 'refuse') {
    if (!input.reason?.trim())
      throw problems.invalid('reason', '拒收须说明原因，卖方会看到', 'say why you refuse: the seller will see it');
    await appendEvent(ctx, {
      eventType: 'transaction',
      action: 'OBSERVE',
      bizStep: 'returning',
      stage: 'transport',
      disposition: 'returned',
      eventTime: now,
      subjectId: me.id,
      divisionCode: s.batch_division,
      batchId: s.batch_id,
      qtyDelta: quantity,
      unit: s.unit,
      sourceSubjectId: me.id,
      destSubjectId: s.seller_subject_id,
      bizTx: [{ type: 'sale', id: s.id }],
      payload: { reason: input.reason },
    });
    await repo.updateSale(ctx.db, s.id, {
      status: t.to,
      decided_at: now,
      decided_by: ctx.actor.id,
      refuse_reason: input.reason,
    });
  } else {
    const src = (await batchById(ctx.db, s.batch_id)) as NonNullable<Awaited<ReturnType<typeof batchById>>>;
    const product = (await productById(ctx.db, src.product_id)) as NonNullable<Awaited<ReturnType<typeof productById>>>;
    const { batchId, received } = await receiveAsCirculation(
      ctx,
      me,
      {
        saleId: s.id,
        sellerSubjectId: s.seller_subject_id,
        quantity,
        unit: s.unit,
        productName: src.product_name,
        industry: product.industry,
        classification: product.classification,
        producedAt: src.produced_at,
        selfCheck: src.self_check,
        sourceBatchId: s.batch_id,
        payload: { sourceBatchId: s.batch_id },
      },
      input.receivedQuantity,
    );
    await repo.updateSale(ctx.db, s.id, {
      status: t.to,
      decided_at: now,
      decided_by: ctx.actor.id,
      receipt_batch_id: batchId,
      received_quantity: received,
    });
    if (received !== quantity)
      await flag(ctx.db, [
        {
          kind: 'receipt_mismatch',
          key: `rm:${s.id}:accepted`,
          subjectId: s.seller_subject_id,
          divisionCode: s.division_code,
          batchId: s.batch_id,
          saleId: s.id,
          details: { sold: quantity, received, buyerSubjectId: me.id },
        },
      ]);
  }
  const seller = await repo.subjectById(ctx.db, s.seller_subject_id);
  if (seller)
    await notify(ctx.db, [
      {
        orgId: seller.org_id,
        kind: `sale.${t.to}`,
        divisionCode: seller.division_code,
        link: `/chain/sell?sale=${s.id}`,
        titleZh: `${me.name}${input.decision === 'accept' ? '已确认收货' : `拒收（${input.reason}），库存已退回`}：${s.product_name} ${quantity}${s.unit}`,
        titleEn: `${me.name} ${input.decision === 'accept' ? 'confirmed receipt of' : 'refused'} ${s.product_name} ${quantity} ${s.unit}`,
      },
    ]);
  await audit(ctx, {
    verb: 'trade.receive',
    targetType: 'sale',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: {
      decision: input.decision,
      receivedQuantity: input.receivedQuantity ?? null,
      reason: input.reason ?? null,
    },
  });
  return saleDto(ctx, (await repo.saleById(ctx.db, s.id)) as repo.SaleRow, me.id);
}
