import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import { appendEvent } from '../batches/events.js';
import { type BatchRow, batchById, batchDto } from '../batches/service.js';
import { type Producer, producerOf } from '../catalog/owner.js';
import { issueCertificate } from '../certificates/service.js';
import type { BasisCode } from '../certificates/rules.js';
import { newBatch, ownActiveBatch } from './derive.js';
import * as repo from './repo.js';
import type { MergeInput, SplitInput, TransformResult } from './schemas.js';

/**
 * Split, repack and merge (分装、重新包装、混批). Seed 003 一.(四).4: "同一种农产品混批出售或重新包装时,应生成新的追溯码并加施"
 * — every output is a new batch with a new code, linked to its inputs by trace edges carrying the quantities.
 * Quantities are conserved: what the outputs hold is exactly what left the inputs (the inputs' decrements are
 * appendEvent's, refused below zero). Certificates follow the 2025 rule (MARA order 2025 No. 4): whoever mixes or
 * splits lots re-issues a certificate for each new lot (issue 4's issueCertificate, buyer style listing the
 * certificates collected; producer style when a producer divides its own certified batch).
 */
type Row = BatchRow;

async function collectedCertificates(ctx: Ctx, inputs: Row[]) {
  return (
    await repo.collectedCertificates(
      ctx.db,
      inputs.map((b) => b.id),
    )
  ).rows;
}

async function reissue(ctx: Ctx, me: Producer, inputs: Row[], outputs: { id: string; quantity: number }[]) {
  const certs = await collectedCertificates(ctx, inputs);
  if (!certs.length)
    return {
      certificates: [] as string[],
      warning: '上游没有承诺达标合格证可收取：新批次未开具合格证，请补开或索取上游合格证',
    };
  const ownProducer =
    inputs.every((b) => b.kind === 'production' && b.subject_id === me.id) &&
    certs.some((c) => c.own && c.style === 'producer');
  const numbers: string[] = [];
  try {
    for (const o of outputs) {
      const c = ownProducer
        ? await issueCertificate(ctx, {
            style: 'producer',
            batchId: o.id,
            quantity: o.quantity,
            basis: certs.find((x) => x.own && x.style === 'producer')?.basis as BasisCode[],
          })
        : await issueCertificate(ctx, {
            style: 'buyer',
            batchId: o.id,
            quantity: o.quantity,
            basis: ['collected_certificates'],
            sourceNumbers: [...new Set(certs.map((x) => x.number))],
          });
      numbers.push(c.number);
    }
  } catch (e) {
    // The certificate rules refuse (failed self-check, safety interval): the new lots stand, without a certificate.
    if (e instanceof Problem && ['SELF_CHECK_FAILED', 'INSIDE_SAFETY_INTERVAL', 'VALIDATION_FAILED'].includes(e.code))
      return { certificates: numbers, warning: e.message };
    throw e;
  }
  return { certificates: numbers, warning: null };
}

export async function splitBatch(ctx: Ctx, batchId: string, input: SplitInput): Promise<TransformResult> {
  const me = await producerOf(ctx, 'batches');
  const b = await ownActiveBatch(ctx, me, batchId);
  const mode = input.mode ?? (input.parts.length === 1 ? 'repack' : 'split');
  const total = input.parts.reduce((s, p) => s + p.quantity, 0);
  if (total > Number(b.stock) + 1e-9)
    throw new Problem('INSUFFICIENT_STOCK', { stock: Number(b.stock), unit: b.unit, wanted: total, field: 'parts' });
  const now = new Date();
  const outputs: { id: string; quantity: number }[] = [];
  for (const p of input.parts) {
    const id = await newBatch(ctx, me, {
      kind: b.kind === 'circulation' ? 'circulation' : 'production',
      productId: b.product_id,
      unit: b.unit,
      producedAt: b.produced_at,
      selfCheck: b.self_check,
      baseId: b.base_id,
      prefix: mode === 'repack' ? 'P' : 'S',
      divisionCode: b.division_code,
    });
    outputs.push({ id, quantity: p.quantity });
  }
  const bizStep = mode === 'repack' ? 'repacking' : 'transforming';
  const ev = await appendEvent(ctx, {
    eventType: 'transformation',
    action: null,
    bizStep,
    stage: 'processing',
    disposition: 'active',
    eventTime: now,
    subjectId: me.id,
    divisionCode: b.division_code,
    batchId: b.id,
    qtyDelta: -total,
    unit: b.unit,
    merged: false,
    edges: outputs.map((o) => ({ from: b.id, to: o.id, quantity: o.quantity, unit: b.unit })),
    payload: {
      mode,
      outputs: outputs.map((o) => ({ batchId: o.id, quantity: o.quantity })),
      input: { batchId: b.id, quantity: total },
    },
  });
  for (const o of outputs)
    await appendEvent(ctx, {
      eventType: 'transformation',
      action: 'ADD',
      bizStep,
      stage: 'processing',
      disposition: 'active',
      eventTime: now,
      subjectId: me.id,
      divisionCode: b.division_code,
      batchId: o.id,
      qtyDelta: o.quantity,
      quantityDelta: o.quantity,
      unit: b.unit,
      payload: { mode, inputs: [{ batchId: b.id, quantity: o.quantity }], transformationEventId: ev.eventId },
    });
  const certs =
    input.reissueCertificates === false ? { certificates: [], warning: null } : await reissue(ctx, me, [b], outputs);
  await audit(ctx, {
    verb: 'batch.transform',
    targetType: 'batch',
    targetId: b.id,
    divisionCode: b.division_code,
    summary: {
      mode,
      parts: input.parts.map((p) => p.quantity),
      outputs: outputs.map((o) => o.id),
      certificates: certs.certificates,
    },
  });
  return result(
    ctx,
    b.id,
    outputs.map((o) => o.id),
    certs,
  );
}

export async function mergeBatches(ctx: Ctx, input: MergeInput): Promise<TransformResult> {
  const me = await producerOf(ctx, 'batches');
  const seen = new Set<string>();
  const rows: { b: Row; quantity: number }[] = [];
  for (const [i, x] of input.inputs.entries()) {
    if (seen.has(x.batchId)) throw problems.invalid(`inputs.${i}.batchId`, '重复的批次', 'appears twice');
    seen.add(x.batchId);
    const b = await ownActiveBatch(ctx, me, x.batchId, `inputs.${i}.batchId`);
    if (rows.length && b.unit !== rows[0].b.unit)
      throw new Problem('UNIT_MISMATCH', { a: rows[0].b.unit, b: b.unit, field: `inputs.${i}.batchId` });
    if (rows.length && b.product_name !== rows[0].b.product_name)
      throw problems.invalid(
        `inputs.${i}.batchId`,
        `只能合并同一种农产品（“${rows[0].b.product_name}”与“${b.product_name}”不同）`,
        `only lots of one product can be merged ("${rows[0].b.product_name}" vs "${b.product_name}")`,
      );
    const quantity = x.quantity ?? Number(b.stock);
    if (quantity <= 0) throw problems.invalid(`inputs.${i}.quantity`, '该批次已无库存', 'the batch has no stock left');
    if (quantity > Number(b.stock) + 1e-9)
      throw new Problem('INSUFFICIENT_STOCK', {
        stock: Number(b.stock),
        unit: b.unit,
        wanted: quantity,
        field: `inputs.${i}.quantity`,
      });
    rows.push({ b, quantity });
  }
  const total = rows.reduce((s, r) => s + r.quantity, 0);
  const first = rows[0].b;
  const selfCheck = rows.some((r) => r.b.self_check === 'fail')
    ? 'fail'
    : rows.every((r) => r.b.self_check === 'pass')
      ? 'pass'
      : 'untested';
  const producedAt = new Date(Math.min(...rows.map((r) => r.b.produced_at.getTime())));
  const sameBase = rows.every((r) => r.b.base_id === first.base_id) ? first.base_id : null;
  const kind = rows.some((r) => r.b.kind === 'circulation') ? 'circulation' : 'production';
  const out = await newBatch(ctx, me, {
    kind,
    productId: first.product_id,
    unit: first.unit,
    producedAt,
    selfCheck,
    baseId: sameBase,
    prefix: 'M',
  });
  const now = new Date();
  for (const r of rows)
    await appendEvent(ctx, {
      eventType: 'transformation',
      action: null,
      bizStep: 'transforming',
      stage: 'processing',
      disposition: 'active',
      eventTime: now,
      subjectId: me.id,
      divisionCode: r.b.division_code,
      batchId: r.b.id,
      qtyDelta: -r.quantity,
      unit: r.b.unit,
      merged: r.quantity >= Number(r.b.stock) - 1e-9,
      payload: { mode: 'merge', output: out, quantity: r.quantity },
    });
  await appendEvent(ctx, {
    eventType: 'transformation',
    action: 'ADD',
    bizStep: 'transforming',
    stage: 'processing',
    disposition: 'active',
    eventTime: now,
    subjectId: me.id,
    divisionCode: me.divisionCode,
    batchId: out,
    qtyDelta: total,
    quantityDelta: total,
    unit: first.unit,
    edges: rows.map((r) => ({ from: r.b.id, to: out, quantity: r.quantity, unit: r.b.unit })),
    payload: { mode: 'merge', inputs: rows.map((r) => ({ batchId: r.b.id, quantity: r.quantity })) },
  });
  const certs =
    input.reissueCertificates === false
      ? { certificates: [], warning: null }
      : await reissue(
          ctx,
          me,
          rows.map((r) => r.b),
          [{ id: out, quantity: total }],
        );
  await audit(ctx, {
    verb: 'batch.transform',
    targetType: 'batch',
    targetId: out,
    divisionCode: me.divisionCode,
    summary: {
      mode: 'merge',
      inputs: rows.map((r) => ({ batchId: r.b.id, quantity: r.quantity })),
      certificates: certs.certificates,
    },
  });
  return result(ctx, null, [out], certs);
}

async function result(
  ctx: Ctx,
  inputId: string | null,
  outputIds: string[],
  certs: { certificates: string[]; warning: string | null },
): Promise<TransformResult> {
  const input = inputId ? batchDto(ctx, (await batchById(ctx.db, inputId)) as Row) : null;
  const outputs = [];
  for (const id of outputIds) outputs.push(batchDto(ctx, (await batchById(ctx.db, id)) as Row));
  return { input, outputs, certificates: certs.certificates, certificateWarning: certs.warning };
}
