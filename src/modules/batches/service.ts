import { audit } from '../../kernel/audit.js';
import { codeUrl } from '../../kernel/codes.js';
import type { Insertable, Kysely } from 'kysely';
import type { Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import { type SharedRow, fromSharedPayload, openShared, originNames, seesShared } from '../../kernel/shared-lists.js';
import type { BatchTable, DB } from '../../schema.js';
import { type ReadScope, canSee, enteredBy, enteredByOf, producerOf, readScopeOf } from '../catalog/owner.js';
import * as catalog from '../catalog/service.js';
import * as regions from '../regions/service.js';
import { codeText, issueCodes } from '../codes/service.js';
import { appendEvent } from './events.js';
import * as repo from './repo.js';
import type { BatchInput, BatchQuery, BatchWithEvents, CorrectionInput, Batch, Warning } from './schemas.js';
import { BATCH_ACTIONS, BATCH_STATUS_LABELS } from './states.js';

/** What a producer may still do with a recalled batch: print its labels (for the recall notice) and correct it. */
const RECALLED_ALLOWED = new Set(['printLabels', 'correctBatch']);

export type { Warning } from './schemas.js';

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

export function batchDto(ctx: Ctx, b: repo.BatchRow, extra: { warnings?: Warning[]; originName?: string } = {}): Batch {
  const code =
    b.code_serial === null
      ? null
      : codeText(ctx.config, b.kind === 'circulation' ? 'circulation' : 'production', Number(b.code_serial));
  // The producer, its agency, or an official acting for it with consent (the read confirmed the delegation).
  const mine = ctx.actor.orgKind === 'producer' || ctx.actor.orgKind === 'service' || !!ctx.delegate?.confirmed;
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
    statusName: b.recalled ? '已召回' : BATCH_STATUS_LABELS[b.status].zh,
    statusNameEn: b.recalled ? 'Recalled' : BATCH_STATUS_LABELS[b.status].en,
    recalled: !!b.recalled,
    producedAt: b.produced_at.toISOString(),
    selfCheck: b.self_check,
    selfCheckNote: b.self_check_note,
    code,
    codeUrl: code ? codeUrl(ctx.config.publicBaseUrl, code) : null,
    allowedActions: mine ? BATCH_ACTIONS[b.status].filter((a) => !b.recalled || RECALLED_ALLOWED.has(a)) : [],
    warnings: extra.warnings ?? [],
    createdAt: b.created_at.toISOString(),
    enteredBy: enteredByOf(b),
    originPlatform: null,
    originPlatformName: null,
  };
}

/**
 * A batch shared from a lower platform (信息归集) as the regulator's list shows it: the fields it was shared with,
 * marked with its origin platform, read-only (no actions: the lower platform is the system of record).
 */
function sharedBatchDto(r: SharedRow, names: Map<string, { zh: string; en: string }>): Batch {
  const b = fromSharedPayload<Batch>(
    {
      id: r.record_id,
      batchNo: '',
      kind: 'production',
      subjectId: '',
      subjectName: '',
      productId: '',
      productName: '',
      baseId: null,
      baseName: null,
      divisionCode: r.division_code,
      originName: null,
      quantity: 0,
      unit: '',
      stock: 0,
      status: 'unsold',
      statusName: '',
      statusNameEn: '',
      recalled: false,
      producedAt: r.origin_created_at.toISOString(),
      selfCheck: '',
      selfCheckNote: null,
      code: null,
      codeUrl: null,
      allowedActions: [],
      warnings: [],
      createdAt: r.origin_created_at.toISOString(),
      originPlatform: null,
      originPlatformName: null,
    },
    r,
  );
  const status = b.status in BATCH_STATUS_LABELS ? b.status : 'unsold';
  return {
    ...b,
    id: r.record_id,
    divisionCode: r.division_code,
    status,
    statusName: BATCH_STATUS_LABELS[status].zh,
    statusNameEn: BATCH_STATUS_LABELS[status].en,
    allowedActions: [],
    warnings: [],
    originPlatform: r.origin_platform,
    originPlatformName: names.get(r.origin_platform) ?? null,
  };
}

export async function createBatch(ctx: Ctx, input: BatchInput) {
  const me = await producerOf(ctx, 'batches');
  const product = await catalog.productById(ctx.db, input.productId);
  if (!product || product.subject_id !== me.id)
    throw problems.invalid('productId', '不是本主体的产品', 'is not a product of yours');
  const base = input.baseId ? await catalog.baseById(ctx.db, input.baseId) : undefined;
  if (input.baseId && (!base || base.subject_id !== me.id))
    throw problems.invalid('baseId', '不是本主体的生产基地', 'is not a base of yours');
  const producedAt = new Date(input.producedAt);
  if (producedAt.getTime() > Date.now() + 24 * 3600_000)
    throw problems.invalid('producedAt', '不能晚于今天', 'must not be in the future');
  const day = new Date(producedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  let batchNo = input.batchNo;
  if (batchNo) {
    if (await repo.batchNoTaken(ctx.db, me.id, batchNo))
      throw problems.duplicate('批次号', 'Batch number', batchNo, 'batchNo');
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
    ...enteredBy(me),
  });
  const { first } = await issueCodes(ctx, me, 'production', 1, id);
  await repo.setBatchCode(ctx.db, id, first);
  // Stock and quantity come from the commissioning event, never from a direct write.
  await appendEvent(ctx, {
    eventType: 'object',
    action: 'ADD',
    bizStep: 'commissioning',
    stage: 'production',
    disposition: 'active',
    eventTime: producedAt,
    subjectId: me.id,
    divisionCode,
    readPoint: base ? `base:${base.id}` : null,
    batchId: id,
    qtyDelta: input.quantity,
    quantityDelta: input.quantity,
    unit,
    payload: {
      productId: product.id,
      productName: product.name,
      baseId: base?.id ?? null,
      selfCheck: input.selfCheck ?? 'untested',
      batchNo,
    },
  });
  const warnings = base ? safetyWarnings(await repo.inputsInsideInterval(ctx.db, base.id, producedAt)) : [];
  await audit(ctx, {
    verb: 'batch.create',
    targetType: 'batch',
    targetId: id,
    divisionCode,
    summary: { batchNo, productId: product.id, quantity: input.quantity, unit, warnings: warnings.length },
  });
  const row = (await repo.batchById(ctx.db, id)) as repo.BatchRow;
  return batchDto(ctx, row, { warnings, originName: await regions.fullName(ctx, divisionCode) });
}

export async function getBatchRow(ctx: Ctx, id: string, rs?: ReadScope) {
  return seeBatch(ctx, await repo.batchById(ctx.db, id), rs);
}

async function seeBatch(ctx: Ctx, b: repo.BatchRow | undefined, rs?: ReadScope) {
  if (!b) throw problems.notFound('批次', 'Batch');
  const scope = rs ?? (await readScopeOf(ctx));
  // A producer sees its own batches only; anything else is outside its "jurisdiction" (403, as for agencies).
  if (!canSee(scope, b)) throw problems.outOfJurisdiction('批次', 'batch');
  return b;
}

/** A batch of this platform, or one shared up from a lower platform under that id (read-only, marked, no events). */
export async function getBatch(ctx: Ctx, id: string): Promise<BatchWithEvents> {
  const row = await repo.batchById(ctx.db, id);
  if (!row)
    return openShared(
      ctx,
      'batch',
      id,
      (r, names) => ({ ...sharedBatchDto(r, names), events: [] }),
      problems.notFound('批次', 'Batch'),
    );
  const b = await seeBatch(ctx, row);
  const events = await repo.eventsOf(ctx.db, b.id);
  const warnings = b.base_id ? safetyWarnings(await repo.inputsInsideInterval(ctx.db, b.base_id, b.produced_at)) : [];
  return {
    ...batchDto(ctx, b, { warnings, originName: (await originOf(ctx, b)).text }),
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

export async function listBatches(ctx: Ctx, q: BatchQuery) {
  if (seesShared(ctx.actor)) {
    const page = await repo.listBatchesWithShared(ctx.db, await readScopeOf(ctx), ctx.actor.scope, q, pageOf(q));
    const names = await originNames(ctx, page.items);
    return mapPage(page, (i) => (i.local ? batchDto(ctx, i.local) : sharedBatchDto(i.shared, names)));
  }
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  const { rows, total } = await repo.listBatches(ctx.db, await readScopeOf(ctx), {
    ...q,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map((b) => batchDto(ctx, b)), total, page, pageSize };
}

/** A correction is a new event (EPCIS corrective event): it names the commissioning event it corrects. */
export async function correctBatch(ctx: Ctx, id: string, input: CorrectionInput) {
  const me = await producerOf(ctx, 'batches');
  const b = await getBatchRow(ctx, id, { subjectId: me.id });
  const delta = input.quantity - Number(b.quantity);
  if (delta === 0)
    throw problems.invalid('quantity', '与现有数量相同，无需更正', 'equals the current quantity: nothing to correct');
  const original = await repo.commissioningEventOf(ctx.db, b.id);
  await appendEvent(ctx, {
    eventType: 'object',
    action: 'OBSERVE',
    bizStep: 'correcting',
    stage: 'production',
    eventTime: new Date(),
    subjectId: me.id,
    divisionCode: b.division_code,
    batchId: b.id,
    qtyDelta: delta,
    quantityDelta: delta,
    unit: b.unit,
    corrects: original.event_id,
    payload: {
      reason: input.reason,
      declarationTime: new Date().toISOString(),
      quantityBefore: Number(b.quantity),
      quantityAfter: input.quantity,
    },
  });
  await audit(ctx, {
    verb: 'batch.create',
    targetType: 'batch',
    targetId: b.id,
    divisionCode: b.division_code,
    summary: { correction: { before: Number(b.quantity), after: input.quantity }, reason: input.reason },
  });
  return getBatch(ctx, b.id);
}

// ── Service facade: what other modules (trade, lineage, recall) read and write of batches goes through here ──────
export type BatchRow = repo.BatchRow;
export const batchById = (db: Kysely<DB>, id: string) => repo.batchById(db, id);

/**
 * Where a batch was really produced, in words: for a production batch its own division and base; for a circulation
 * batch (received, split, repacked, merged) the upstream producers' divisions and bases, never the buyer's district.
 */
export async function originOf(ctx: Ctx, b: { id: string; kind: string; division_code: string }) {
  const rows = b.kind === 'production' ? [] : await repo.productionOrigins(ctx.db, b.id);
  if (!rows.length) return { text: await regions.fullName(ctx, b.division_code), divisionCodes: [b.division_code] };
  const parts: string[] = [];
  for (const r of rows) {
    const where = await regions.fullName(ctx, r.base_division ?? r.division_code);
    const part = `${where}${r.base_address ?? r.base_name ?? ''}`;
    if (!parts.includes(part)) parts.push(part);
  }
  return {
    text: parts.length > 3 ? `${parts.slice(0, 3).join('、')}等 ${parts.length} 处` : parts.join('、'),
    divisionCodes: [...new Set(rows.map((r) => r.base_division ?? r.division_code))],
  };
}
export const countBatchesOn = (db: Kysely<DB>, subjectId: string, prefix: string) =>
  repo.countBatchesOn(db, subjectId, prefix);
export const batchNoTaken = (db: Kysely<DB>, subjectId: string, no: string) => repo.batchNoTaken(db, subjectId, no);
export const insertBatch = (db: Kysely<DB>, v: Insertable<BatchTable>) => repo.insertBatch(db, v);
export const setBatchCode = (db: Kysely<DB>, id: string, serial: number) => repo.setBatchCode(db, id, serial);
export const inputsInsideInterval = (db: Kysely<DB>, baseId: string, at: Date) =>
  repo.inputsInsideInterval(db, baseId, at);
