import { audit, auditOutsideRequest } from '../../kernel/audit.js';
import { parseCode } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { type NetworkMessage, sendToPlatform } from '../../kernel/sharing.js';
import type { Industry } from '../../schema.js';
import { appendEvent } from '../batches/events.js';
import { type Producer, readScopeOf } from '../catalog/owner.js';
import { codeText, platformOfConfig } from '../codes/service.js';
import { notify } from '../notifications/service.js';
import type { NetworkSubject } from '../sharing/schemas.js';
import { receiveAsCirculation } from './receive.js';
import * as repo from './repo.js';
import type { IncomingQuery, ReceiptInput, Sale } from './schemas.js';
import { decide, saleWorkflow } from './states.js';

/**
 * Sales across platforms (issue 15 item 3). A seller on one platform sells to a buyer registered on another, named
 * by its identity code (looked up at national: `findNetworkSubject`). The sale is recorded at the seller's platform
 * as usual (the shipping event shares up, naming the buyer's global subject id) and a `trade.sale` message goes to
 * the buyer's platform (up through national, down to the buyer's, over the signed sharing channel). There it is an
 * incoming sale the buyer confirms by its id or by scanning the goods' code: accepting makes the buyer's own
 * circulation batch and code on its platform, with a receiving event carrying the same sale id (which is what links
 * the two lots in national's lineage); the decision goes back as `trade.receipt`, which settles the seller's sale
 * (a refusal returns the stock).
 */

interface SalePayload {
  saleId: string;
  sellerSubjectId: string;
  sellerName: string;
  sellerDivision: string;
  sourceBatchId: string;
  sourceCode: string | null;
  productName: string;
  industry: string;
  quantity: number;
  unit: string;
  producedAt: string;
  selfCheck: string;
  soldAt: string;
  buyerSubjectId: string;
}

/** At the seller's platform, in the sale's transaction: the sale goes to the buyer's platform. */
export async function offerAcross(ctx: Ctx, buyer: NetworkSubject, payload: Omit<SalePayload, 'buyerSubjectId'>) {
  await sendToPlatform(ctx, buyer.platform, 'trade.sale', { ...payload, buyerSubjectId: buyer.id });
}

/** Handler of `trade.sale` at the buyer's platform: an incoming sale, and the buyer is notified. */
export async function takeSale(ctx: Ctx<null>, m: NetworkMessage) {
  const p = m.payload as unknown as SalePayload;
  const buyer = await repo.subjectById(ctx.db, p.buyerSubjectId);
  if (!buyer || !['approved', 'change_pending'].includes(buyer.status))
    throw new Error(`buyer ${p.buyerSubjectId} is not an approved subject here`);
  const fresh = await repo.insertIncoming(ctx.db, {
    id: p.saleId,
    seller_platform: m.from,
    seller_subject_id: p.sellerSubjectId,
    seller_name: p.sellerName,
    seller_division: p.sellerDivision,
    source_batch_id: p.sourceBatchId,
    source_code: p.sourceCode,
    product_name: p.productName,
    industry: p.industry,
    quantity: p.quantity,
    unit: p.unit,
    produced_at: new Date(p.producedAt),
    self_check: p.selfCheck,
    sold_at: new Date(p.soldAt),
    buyer_subject_id: buyer.id,
    division_code: buyer.division_code,
    receipt_batch_id: null,
    received_quantity: null,
    decided_at: null,
    decided_by: null,
    refuse_reason: null,
  });
  if (!fresh) return;
  await notify(ctx.db, [
    {
      orgId: buyer.org_id,
      kind: 'sale.incoming',
      titleZh: `待确认收货：${p.sellerName}（${m.from} 平台）${p.productName} ${p.quantity}${p.unit}`,
      titleEn: `Confirm a receipt: ${p.productName} ${p.quantity} ${p.unit} from ${p.sellerName} (platform ${m.from})`,
      link: `/chain/receive?sale=${p.saleId}`,
      divisionCode: buyer.division_code,
    },
  ]);
}

export function incomingDto(ctx: Ctx, r: repo.IncomingRow, receiptCodeSerial: number | null): Sale {
  const status = saleWorkflow.stateLabel(r.status);
  return {
    id: r.id,
    batchId: r.source_batch_id,
    batchNo: r.source_code ?? '',
    batchCode: r.source_code,
    productName: r.product_name,
    quantity: Number(r.quantity),
    unit: r.unit,
    price: null,
    sellerSubjectId: r.seller_subject_id,
    sellerName: r.seller_name,
    sellerPlatform: r.seller_platform,
    buyerKind: 'registered',
    buyerKindName: '已注册主体',
    buyerKindNameEn: 'Registered subject',
    buyerSubjectId: r.buyer_subject_id,
    buyerName: '',
    buyerPhone: null,
    buyerPlatform: null,
    status: r.status,
    statusName: status.zh,
    statusNameEn: status.en,
    voucherKind: null,
    voucherName: null,
    voucherNameEn: null,
    voucherCode: null,
    voucherUrl: null,
    soldAt: r.sold_at.toISOString(),
    receiptBatchId: r.receipt_batch_id,
    receiptCode: receiptCodeSerial === null ? null : codeText(ctx.config, 'circulation', Number(receiptCodeSerial)),
    receivedQuantity: r.received_quantity === null ? null : Number(r.received_quantity),
    decidedAt: r.decided_at?.toISOString() ?? null,
    refuseReason: r.refuse_reason,
    allowedActions: saleWorkflow.allowedActions(r.status, ['buyer']),
  };
}

/** An incoming sale the buyer may see (the buyer, or a regulator of the buyer's division), with its receipt code. */
export async function incomingSale(ctx: Ctx, id: string, subjectId: string | null): Promise<Sale | null> {
  const r = await repo.incomingById(ctx.db, id);
  if (!r) return null;
  if (subjectId ? r.buyer_subject_id !== subjectId : !r.division_code.startsWith(ctx.actor.scope))
    throw problems.outOfJurisdiction('销售记录', 'sale');
  const rb = r.receipt_batch_id ? await repo.receiptBatchCode(ctx.db, r.receipt_batch_id) : undefined;
  return incomingDto(ctx, r, rb?.code_serial === undefined || rb?.code_serial === null ? null : Number(rb.code_serial));
}

/** Sales made on other platforms to the caller (a buyer) or to buyers in its jurisdiction (a regulator). */
export async function listIncoming(ctx: Ctx, q: IncomingQuery): Promise<Paged<Sale>> {
  const rs = await readScopeOf(ctx);
  const page = await repo.listIncoming(ctx.db, rs, q.status, pageOf(q));
  return mapPage(page, (r) =>
    incomingDto(ctx, r, r.receipt_code_serial === null ? null : Number(r.receipt_code_serial)),
  );
}

/** The incoming sale a receipt names: by id, or by the scanned code of goods issued by another platform. */
export async function incomingFor(ctx: Ctx, me: Producer, input: ReceiptInput): Promise<string | null> {
  if (input.saleId) return (await repo.incomingById(ctx.db, input.saleId)) ? input.saleId : null;
  if (!input.code) return null;
  const p = parseCode(input.code);
  if (!p.ok || p.code.platform === platformOfConfig(ctx.config)) return null;
  const s = await repo.pendingIncomingOfCode(ctx.db, me.id, p.code.short);
  if (!s) throw new Problem('NO_PENDING_RECEIPT', { field: 'code' });
  return s.id;
}

/** The buyer's decision on an incoming sale: its own circulation batch and code here; the decision goes back. */
export async function confirmIncoming(ctx: Ctx, me: Producer, id: string, input: ReceiptInput): Promise<Sale> {
  const s = await repo.incomingById(ctx.db, id, true);
  if (!s) throw problems.notFound('待确认的销售记录', 'Sale to confirm');
  if (s.buyer_subject_id !== me.id) throw problems.outOfJurisdiction('销售记录', 'sale');
  const t = decide(s.status, input.decision);
  const now = new Date();
  const quantity = Number(s.quantity);
  let receiptBatchId: string | null = null;
  let received: number | null = null;
  if (input.decision === 'refuse') {
    if (!input.reason?.trim())
      throw problems.invalid('reason', '拒收须说明原因，卖方会看到', 'say why you refuse: the seller will see it');
    await repo.updateIncoming(ctx.db, s.id, {
      status: 'refused',
      decided_at: now,
      decided_by: ctx.actor.id,
      refuse_reason: input.reason,
    });
  } else {
    ({ batchId: receiptBatchId, received } = await receiveAsCirculation(
      ctx,
      me,
      {
        saleId: s.id,
        sellerSubjectId: s.seller_subject_id,
        quantity,
        unit: s.unit,
        productName: s.product_name,
        industry: s.industry as Industry,
        classification: null,
        producedAt: s.produced_at,
        selfCheck: s.self_check as 'pass',
        payload: { sourceBatchId: s.source_batch_id, sourceCode: s.source_code, sourcePlatform: s.seller_platform },
      },
      input.receivedQuantity,
    ));
    await repo.updateIncoming(ctx.db, s.id, {
      status: 'accepted',
      decided_at: now,
      decided_by: ctx.actor.id,
      receipt_batch_id: receiptBatchId,
      received_quantity: received,
    });
  }
  const rb = receiptBatchId ? await repo.receiptBatchCode(ctx.db, receiptBatchId) : undefined;
  const receiptCode = rb?.code_serial == null ? null : codeText(ctx.config, 'circulation', Number(rb.code_serial));
  await sendToPlatform(ctx, s.seller_platform, 'trade.receipt', {
    saleId: s.id,
    decision: t.to,
    receivedQuantity: received,
    reason: input.reason ?? null,
    buyerName: me.name,
    receiptCode,
  });
  await audit(ctx, {
    verb: 'trade.receive',
    targetType: 'sale',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: {
      decision: input.decision,
      receivedQuantity: received,
      reason: input.reason ?? null,
      sellerPlatform: s.seller_platform,
    },
  });
  return (await incomingSale(ctx, s.id, me.id)) as Sale;
}

interface ReceiptPayload {
  saleId: string;
  decision: 'accepted' | 'refused';
  receivedQuantity: number | null;
  reason: string | null;
  buyerName: string;
  receiptCode: string | null;
}

/** Handler of `trade.receipt` at the seller's platform: the sale is settled (a refusal returns the stock). */
export async function takeReceipt(ctx: Ctx<null>, m: NetworkMessage) {
  const p = m.payload as unknown as ReceiptPayload;
  await repo.lockSale(ctx.db, p.saleId);
  const s = await repo.saleById(ctx.db, p.saleId);
  if (!s || s.buyer_platform !== m.from) throw new Error(`no sale ${p.saleId} to a buyer on ${m.from}`);
  if (s.status !== 'pending') return;
  const quantity = Number(s.quantity);
  const now = new Date();
  if (p.decision === 'refused')
    await appendEvent(ctx, {
      eventType: 'transaction',
      action: 'OBSERVE',
      bizStep: 'returning',
      stage: 'transport',
      disposition: 'returned',
      eventTime: now,
      subjectId: s.seller_subject_id,
      divisionCode: s.batch_division,
      batchId: s.batch_id,
      qtyDelta: quantity,
      unit: s.unit,
      sourceSubjectId: s.buyer_remote_id,
      destSubjectId: s.seller_subject_id,
      bizTx: [{ type: 'sale', id: s.id }],
      payload: { reason: p.reason, buyerPlatform: m.from },
    });
  await repo.updateSale(ctx.db, s.id, {
    status: p.decision,
    decided_at: now,
    received_quantity: p.receivedQuantity,
    refuse_reason: p.reason,
  });
  const seller = await repo.subjectById(ctx.db, s.seller_subject_id);
  if (seller)
    await notify(ctx.db, [
      {
        orgId: seller.org_id,
        kind: `sale.${p.decision}`,
        divisionCode: seller.division_code,
        link: `/chain/sell?sale=${s.id}`,
        titleZh: `${p.buyerName}（${m.from} 平台）${p.decision === 'accepted' ? `已确认收货，流通码 ${p.receiptCode ?? ''}` : `拒收（${p.reason ?? ''}），库存已退回`}：${s.product_name} ${quantity}${s.unit}`,
        titleEn: `${p.buyerName} (platform ${m.from}) ${p.decision === 'accepted' ? 'confirmed receipt of' : 'refused'} ${s.product_name} ${quantity} ${s.unit}`,
      },
    ]);
  await auditOutsideRequest(ctx.db, {
    actor: null,
    verb: 'trade.receive',
    targetType: 'sale',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { decision: p.decision, receivedQuantity: p.receivedQuantity, buyerPlatform: m.from },
  });
}
