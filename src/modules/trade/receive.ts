import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import type { Industry } from '../../schema.js';
import { appendEvent } from '../batches/events.js';
import type { Producer } from '../catalog/owner.js';
import { ensureProduct } from '../catalog/service.js';
import { type NewBatch, newBatch } from '../lineage/derive.js';

/** What the buyer receives: the goods as the seller recorded them, wherever the sale was made. */
export interface ReceivedGoods {
  saleId: string;
  sellerSubjectId: string;
  quantity: number;
  unit: string;
  productName: string;
  industry: Industry;
  classification: string | null;
  producedAt: Date;
  selfCheck: NewBatch['selfCheck'];
  /** The lot edge from the seller's batch, when that batch lives on this platform. */
  sourceBatchId?: string;
  /** Extra fields of the receiving event's payload (where the goods came from). */
  payload?: Record<string, unknown>;
}

/**
 * The buyer's acceptance (扫码交易, seed 001 art. 12), shared by a sale made here (service.ts) and one made on another
 * platform (network.ts): the received quantity is checked against the sold one, the product is found or made in the
 * buyer's catalogue, a circulation batch (with its code) is made, and the receiving event names the sale — which is
 * what links the two lots in lineage. Returns the new batch and the quantity received.
 */
export async function receiveAsCirculation(
  ctx: Ctx,
  me: Producer,
  goods: ReceivedGoods,
  receivedQuantity: number | undefined,
): Promise<{ batchId: string; received: number }> {
  const received = receivedQuantity ?? goods.quantity;
  if (received > goods.quantity)
    throw problems.invalid(
      'receivedQuantity',
      `不能多于卖方登记的 ${goods.quantity}${goods.unit}`,
      `must not exceed the ${goods.quantity} ${goods.unit} the seller recorded`,
    );
  const productId = await ensureProduct(ctx.db, {
    subjectId: me.id,
    divisionCode: me.divisionCode,
    name: goods.productName,
    industry: goods.industry,
    unit: goods.unit,
    classification: goods.classification,
    actorId: ctx.actor.id,
  });
  const batchId = await newBatch(ctx, me, {
    kind: 'circulation',
    productId,
    unit: goods.unit,
    producedAt: goods.producedAt,
    selfCheck: goods.selfCheck,
    baseId: null,
    prefix: 'R',
  });
  await appendEvent(ctx, {
    eventType: 'transaction',
    action: 'ADD',
    bizStep: 'receiving',
    stage: 'purchase',
    disposition: 'active',
    eventTime: new Date(),
    subjectId: me.id,
    divisionCode: me.divisionCode,
    batchId,
    qtyDelta: received,
    quantityDelta: received,
    unit: goods.unit,
    sourceSubjectId: goods.sellerSubjectId,
    destSubjectId: me.id,
    bizTx: [{ type: 'sale', id: goods.saleId }],
    edges: goods.sourceBatchId
      ? [{ from: goods.sourceBatchId, to: batchId, quantity: received, unit: goods.unit }]
      : undefined,
    payload: { saleId: goods.saleId, sold: goods.quantity, received, ...goods.payload },
  });
  return { batchId, received };
}
