import { audit } from '../../kernel/audit.js';
import { codeUrl } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import type { BatchStatus } from '../../schema.js';
import { type ReadScope, canSee, producerOf, readScopeOf } from '../catalog/owner.js';
import * as catalog from '../catalog/repo.js';
import * as regions from '../regions/service.js';
import { codeText, issueCodes } from '../codes/service.js';
import { appendEvent } from './events.js';
import * as repo from './repo.js';

/**
 * Batch status is derived from events (events.ts); this table says which actions each derived status allows, and
 * drives `allowedActions` in every batch answer (and the UI's buttons). Sales, splits and merges are issue 5's.
 */
export const BATCH_ACTIONS: Record<BatchStatus, readonly string[]> = {
  unsold: ['printLabels', 'issueTraceCodes', 'activateCodes', 'issueCertificate', 'recordInputUse', 'correctBatch', 'sell', 'split', 'merge'],
  partly_sold: ['printLabels', 'issueTraceCodes', 'activateCodes', 'issueCertificate', 'recordInputUse', 'correctBatch', 'sell', 'split', 'merge'],
  sold_out: ['printLabels', 'correctBatch'],
  merged: [],
};
export const STATUS_NAMES: Record<BatchStatus, string> = { unsold: '未销售', partly_sold: '部分销售', sold_out: '已售完', merged: '已合并' };

export interface Warning {
  code: string;
  message: string;
  messageEn: string;
}

export function safetyWarnings(inputs: { name: string; used_on: string; safety_days: number | null }[]): Warning[] {
  return inputs.map((i) => {
    const until = addDays(i.used_on, i.safety_days ?? 0);
    return {
      code: 'INSIDE_SAFETY_INTERVAL',
      message: `采收日期在“${i.name}”（${i.used_on} 使用，安全间隔期 ${i.safety_days} 天）的安全间隔期内，${until} 起方可采收`,
      messageEn: `Harvest falls inside the safety interval of "${i.name}" (used ${i.used_on}, ${i.safety_days} days): harvest from ${until}`,
    };
  });
}
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function batchDto(ctx: Ctx, b: repo.BatchRow, extra: { warnings?: Warning[]; originName?: string } = {}) {
  const code = b.code_serial === null ? null : codeText(ctx.config, b.kind === 'circulation' ? 'circulation' : 'production', Number(b.code_serial));
  const mine = ctx.actor.orgKind === 'producer';
  return {
    id: b.id,
    batchNo: b.batch_no,
    kind: b.kind,
    subjectId: b.subject_id,
    subjectName: b.subject_name,
    productId: b.product_id,
    productName: b.product_name,
    baseId: b.base_id,
    baseName: b.base_name,
    divisionCode: b.division_code,
    originName: extra.originName ?? null,
    quantity: Number(b.quantity),
    unit: b.unit,
    stock: Number(b.stock),
    status: b.status,
    statusName: STATUS_NAMES[b.status],
    producedAt: b.produced_at.toISOString(),
    selfCheck: b.self_check,
    selfCheckNote: b.self_check_note,
    code,
    codeUrl: code ? codeUrl(ctx.config.publicBaseUrl, code) : null,
    allowedActions: mine ? [...BATCH_ACTIONS[b.status]] : [],
    warnings: extra.warnings ?? [],
    createdAt: b.created_at.toISOString(),
  };
}

export interface BatchInput {
  productId: string;
  baseId?: string | null;
  quantity: number;
  unit?: string;
  producedAt: string;
  selfCheck?: 'pass' | 'fail' | 'untested';
  selfCheckNote?: string | null;
  batchNo?: string;
}

export async function createBatch(ctx: Ctx, input: BatchInput) {
  const me = await producerOf(ctx);
  const product = await catalog.productById(ctx.db, input.productId);
  if (!product || product.subject_id !== me.id) throw problems.invalid('productId', '不是本主体的产品', 'is not a product of yours');
  const base = input.baseId ? await catalog.baseById(ctx.db, input.baseId) : undefined;
  if (input.baseId && (!base || base.subject_id !== me.id)) throw problems.invalid('baseId', '不是本主体的生产基地', 'is not a base of yours');
  const producedAt = new Date(input.producedAt);
  if (producedAt.getTime() > Date.now() + 24 * 3600_000) throw problems.invalid('producedAt', '不能晚于今天', 'must not be in the future');
  const day = new Date(producedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  let batchNo = input.batchNo;
  if (batchNo) {
    if (await repo.batchNoTaken(ctx.db, me.id, batchNo)) throw problems.duplicate('批次号', 'Batch number', batchNo, 'batchNo');
  } else {
    let n = (await repo.countBatchesOn(ctx.db, me.id, day)) + 1;
    while (await repo.batchNoTaken(ctx.db, me.id, `${day}-${String(n).padStart(3, '0')}`)) n++;
    batchNo = `${day}-${String(n).padStart(3, '0')}`;
  }
  const divisionCode = base?.division_code ?? me.divisionCode;
  const unit = input.unit ?? product.unit;
  const { id } = await repo.insertBatch(ctx.db, {
    subject_id: me.id,
    division_code: divisionCode,
    batch_no: batchNo,
    product_id: product.id,
    base_id: base?.id ?? null,
    quantity: 0,
    unit,
    produced_at: producedAt,
    self_check: input.selfCheck ?? 'untested',
    self_check_note: input.selfCheckNote ?? null,
    stock: 0,
    created_by: ctx.actor.id,
  });
  const { first } = await issueCodes(ctx, me, 'production', 1, id);
  await repo.setBatchCode(ctx.db, id, first);
  // Stock and quantity come from the commissioning event, never from a direct write.
  await appendEvent(ctx, {
    eventType: 'object', action: 'ADD', bizStep: 'commissioning', stage: 'production', disposition: 'active', eventTime: producedAt,
    subjectId: me.id, divisionCode, readPoint: base ? `base:${base.id}` : null, batchId: id, qtyDelta: input.quantity, quantityDelta: input.quantity, unit,
    payload: { productId: product.id, productName: product.name, baseId: base?.id ?? null, selfCheck: input.selfCheck ?? 'untested', batchNo },
  });
  const warnings = base ? safetyWarnings(await repo.inputsInsideInterval(ctx.db, base.id, producedAt)) : [];
  await audit(ctx, { verb: 'batch.create', targetType: 'batch', targetId: id, divisionCode, summary: { batchNo, productId: product.id, quantity: input.quantity, unit, warnings: warnings.length } });
  const row = (await repo.batchById(ctx.db, id)) as repo.BatchRow;
  return batchDto(ctx, row, { warnings, originName: await regions.fullName(ctx, divisionCode) });
}

export async function getBatchRow(ctx: Ctx, id: string, rs?: ReadScope) {
  const b = await repo.batchById(ctx.db, id);
  if (!b) throw problems.notFound('批次', 'Batch');
  const scope = rs ?? (await readScopeOf(ctx));
  // A producer sees its own batches only; anything else is outside its "jurisdiction" (403, as for agencies).
  if (!canSee(scope, b)) throw problems.outOfJurisdiction('批次', 'batch');
  return b;
}

export async function getBatch(ctx: Ctx, id: string) {
  const b = await getBatchRow(ctx, id);
  const events = await repo.eventsOf(ctx.db, b.id);
  const warnings = b.base_id ? safetyWarnings(await repo.inputsInsideInterval(ctx.db, b.base_id, b.produced_at)) : [];
  return {
    ...batchDto(ctx, b, { warnings, originName: await regions.fullName(ctx, b.division_code) }),
    events: events.map((e) => ({
      eventId: e.event_id,
      type: e.event_type,
      action: e.action,
      bizStep: e.biz_step,
      stage: e.stage,
      disposition: e.disposition,
      eventTime: e.event_time.toISOString(),
      recordTime: e.record_time.toISOString(),
      qtyDelta: Number(e.qty_delta),
      corrects: e.corrects,
      payload: e.payload,
    })),
  };
}

export async function listBatches(ctx: Ctx, q: { status?: BatchStatus; productId?: string; page?: number; pageSize?: number }) {
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  const { rows, total } = await repo.listBatches(ctx.db, await readScopeOf(ctx), { ...q, limit: pageSize, offset: (page - 1) * pageSize });
  return { items: rows.map((b) => batchDto(ctx, b)), total, page, pageSize };
}

/** A correction is a new event (EPCIS corrective event): it names the commissioning event it corrects. */
export async function correctBatch(ctx: Ctx, id: string, input: { quantity: number; reason: string }) {
  const me = await producerOf(ctx);
  const b = await getBatchRow(ctx, id, { subjectId: me.id });
  const delta = input.quantity - Number(b.quantity);
  if (delta === 0) throw problems.invalid('quantity', '与现有数量相同，无需更正', 'equals the current quantity: nothing to correct');
  const original = await ctx.db.selectFrom('trace_event').select('event_id').where('batch_id', '=', b.id).where('biz_step', '=', 'commissioning').executeTakeFirstOrThrow();
  await appendEvent(ctx, {
    eventType: 'object', action: 'OBSERVE', bizStep: 'correcting', stage: 'production', eventTime: new Date(), subjectId: me.id, divisionCode: b.division_code,
    batchId: b.id, qtyDelta: delta, quantityDelta: delta, unit: b.unit, corrects: original.event_id,
    payload: { reason: input.reason, declarationTime: new Date().toISOString(), quantityBefore: Number(b.quantity), quantityAfter: input.quantity },
  });
  await audit(ctx, { verb: 'batch.create', targetType: 'batch', targetId: b.id, divisionCode: b.division_code, summary: { correction: { before: Number(b.quantity), after: input.quantity }, reason: input.reason } });
  return getBatch(ctx, b.id);
}
