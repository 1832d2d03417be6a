import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as batches from '../batches/service.js';
import type { Producer } from '../catalog/owner.js';
import { issueCodes } from '../codes/service.js';
import * as repo from './repo.js';

/**
 * Batches made from other batches — received (trade), split, repacked and merged (transform.ts) — each with a code
 * of its own; and the check every such hand-over starts with: the batch is the caller's, not merged away, and not
 * under an open recall. Trade builds on this module, never the other way round.
 */

/** An open recall covering the batch (the recall module's view `batch_recall_status`), if any. */
export const openRecallOf = (ctx: Pick<Ctx, 'db'>, batchId: string) => repo.openRecallOf(ctx.db, batchId);

/** The caller's batch that may still be sold or transformed; `field` names the request field in refusals. */
export async function ownActiveBatch(ctx: Ctx, me: Producer, batchId: string, field = 'batchId') {
  const b = await batches.batchById(ctx.db, batchId);
  if (!b) throw problems.notFound('批次', 'Batch');
  if (b.subject_id !== me.id) throw new Problem('NOT_YOUR_BATCH', { field });
  if (b.status === 'merged')
    throw new Problem('SALE_BATCH_NOT_SELLABLE', {
      stateZh: '已合并',
      stateEn: 'it was merged into another batch',
      field,
    });
  const recall = await repo.openRecallOf(ctx.db, b.id);
  if (recall) throw new Problem('BATCH_RECALLED', { number: recall.number, field });
  return b;
}

export interface NewBatch {
  kind: 'production' | 'circulation';
  productId: string;
  unit: string;
  producedAt: Date;
  selfCheck: 'pass' | 'fail' | 'untested';
  baseId: string | null;
  /** Batch number prefix: R received, S split, P repacked, M merged. */
  prefix: string;
  divisionCode?: string;
}

/** A new batch of `me` with its own code; quantity and stock come from the caller's event. */
export async function newBatch(ctx: Ctx, me: Producer, v: NewBatch) {
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  let n = (await batches.countBatchesOn(ctx.db, me.id, `${v.prefix}${day}`)) + 1;
  while (await batches.batchNoTaken(ctx.db, me.id, `${v.prefix}${day}-${String(n).padStart(3, '0')}`)) n++;
  const { id } = await batches.insertBatch(ctx.db, {
    subject_id: me.id,
    division_code: v.divisionCode ?? me.divisionCode,
    kind: v.kind,
    batch_no: `${v.prefix}${day}-${String(n).padStart(3, '0')}`,
    product_id: v.productId,
    base_id: v.baseId,
    quantity: 0,
    unit: v.unit,
    produced_at: v.producedAt,
    self_check: v.selfCheck,
    self_check_note: null,
    stock: 0,
    created_by: ctx.actor.id,
  });
  const { first } = await issueCodes(ctx, me, v.kind, 1, id);
  await batches.setBatchCode(ctx.db, id, first);
  return id;
}
