import { audit } from '../../kernel/audit.js';
import { type OwnerCheck, attachFile } from '../../kernel/files.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import { canSee, enteredBy, enteredByOf, producerOf, readScopeOf } from '../catalog/owner.js';
import * as catalog from '../catalog/service.js';
import { appendEvent } from '../batches/events.js';
import { type Warning, addDays, getBatchRow } from '../batches/service.js';
import * as repo from './repo.js';
import { INPUT_KINDS, type InputUse, type InputUseInput, type InputUseQuery } from './schemas.js';

export { INPUT_KINDS } from './schemas.js';

/** Production-process record (生产过程记录): an input used or a farming operation, with a safety-interval warning. */
export async function recordInputUse(ctx: Ctx, input: InputUseInput): Promise<InputUse> {
  const me = await producerOf(ctx, 'inputs');
  const base = await catalog.baseById(ctx.db, input.baseId);
  if (!base || base.subject_id !== me.id)
    throw problems.invalid('baseId', '不是本主体的生产基地', 'is not a base of yours');
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  if (input.usedOn > today) throw problems.invalid('usedOn', '不能晚于今天', 'must not be in the future');
  const chemical = input.kind === 'pesticide' || input.kind === 'vet_drug';
  if (chemical && input.safetyDays == null)
    throw problems.invalid(
      'safetyDays',
      '农药、兽药须填写安全间隔期（休药期）天数',
      'pesticides and veterinary drugs need a safety interval (withdrawal period) in days',
    );
  if (input.kind === 'operation' && !input.operation)
    throw problems.invalid('operation', '农事操作须写明操作内容', 'describe the farming operation');
  if (input.kind !== 'operation' && input.dose == null) throw problems.invalid('dose', '请填写用量', 'give the dose');
  let batch = null;
  if (input.batchId) {
    batch = await getBatchRow(ctx, input.batchId, { subjectId: me.id });
    if (batch.base_id && batch.base_id !== base.id)
      throw problems.invalid('batchId', '批次不属于该生产基地', 'the batch is not from this base');
  }
  const warnings: Warning[] = [];
  const until = input.safetyDays ? addDays(input.usedOn, input.safetyDays) : null;
  if (batch && until) {
    const harvest = new Date(batch.produced_at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    if (harvest >= input.usedOn && harvest < until)
      warnings.push({
        code: 'INSIDE_SAFETY_INTERVAL',
        message: `批次 ${batch.batch_no} 的采收日期 ${harvest} 在安全间隔期内（${until} 起方可采收），该批次不能开具承诺达标合格证`,
        messageEn: `Batch ${batch.batch_no} was harvested on ${harvest}, inside the safety interval (harvest from ${until}): no certificate can be issued for it`,
      });
  }
  const row = await repo.insertInputUse(ctx.db, {
    subject_id: me.id,
    division_code: base.division_code,
    base_id: base.id,
    batch_id: batch?.id ?? null,
    kind: input.kind,
    name: input.name,
    registration_no: input.registrationNo ?? null,
    dose: input.dose ?? null,
    dose_unit: input.doseUnit ?? null,
    used_on: input.usedOn,
    safety_days: input.safetyDays ?? null,
    operation: input.operation ?? null,
    photos: JSON.stringify(input.photos ?? []),
    note: input.note ?? null,
    created_by: ctx.actor.id,
    ...enteredBy(me),
  });
  for (const [i, fileId] of (input.photos ?? []).entries())
    await attachFile(ctx, fileId, 'input_use', row.id, `photos.${i}`);
  await appendEvent(ctx, {
    eventType: 'object',
    action: 'OBSERVE',
    bizStep: input.kind === 'operation' ? 'farming' : 'input_use',
    stage: 'production',
    eventTime: new Date(`${input.usedOn}T00:00:00+08:00`),
    subjectId: me.id,
    divisionCode: base.division_code,
    readPoint: `base:${base.id}`,
    batchId: batch?.id ?? null,
    payload: {
      inputUseId: row.id,
      kind: input.kind,
      name: input.name,
      registrationNo: input.registrationNo ?? null,
      dose: input.dose ?? null,
      doseUnit: input.doseUnit ?? null,
      safetyDays: input.safetyDays ?? null,
    },
  });
  await audit(ctx, {
    verb: 'input.record',
    targetType: 'input_use',
    targetId: row.id,
    divisionCode: base.division_code,
    summary: { kind: input.kind, name: input.name, warnings: warnings.length },
  });
  return { ...dto(row), safeFrom: until, warnings };
}

function dto(r: {
  id: string;
  base_id: string;
  batch_id: string | null;
  kind: string;
  name: string;
  registration_no: string | null;
  dose: string | null;
  dose_unit: string | null;
  used_on: string;
  safety_days: number | null;
  operation: string | null;
  photos: string[];
  note: string | null;
  created_at: Date;
  entered_by_org: string | null;
  entered_by_name: string | null;
}) {
  return {
    id: r.id,
    baseId: r.base_id,
    batchId: r.batch_id,
    kind: r.kind,
    kindName: INPUT_KINDS[r.kind as keyof typeof INPUT_KINDS].zh,
    kindNameEn: INPUT_KINDS[r.kind as keyof typeof INPUT_KINDS].en,
    name: r.name,
    registrationNo: r.registration_no,
    dose: r.dose === null ? null : Number(r.dose),
    doseUnit: r.dose_unit,
    usedOn: String(r.used_on),
    safetyDays: r.safety_days,
    operation: r.operation,
    photos: r.photos,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    enteredBy: enteredByOf(r),
  };
}

export async function listInputUses(ctx: Ctx, q: InputUseQuery): Promise<InputUse[]> {
  const pageSize = q.pageSize ?? 50;
  const rows = await repo.listInputUses(ctx.db, await readScopeOf(ctx), {
    baseId: q.baseId,
    batchId: q.batchId,
    limit: pageSize,
    offset: ((q.page ?? 1) - 1) * pageSize,
  });
  return rows.map((r) => ({
    ...dto(r),
    safeFrom: r.safety_days ? addDays(String(r.used_on), r.safety_days) : null,
    warnings: [],
  }));
}

export const mayReadInputUseFile: OwnerCheck = async (ctx, id) => {
  const r = await repo.inputUseOwner(ctx.db, id);
  return !!r && canSee(await readScopeOf(ctx), r);
};
