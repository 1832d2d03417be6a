import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { type OwnerCheck, attachFiles, fileRefs } from '../../kernel/files.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { stateFields } from '../../kernel/workflow.js';
import * as credit from '../credit/service.js';
import * as monitoring from '../monitoring/service.js';
import * as regions from '../regions/service.js';
import { inspectionForCase } from './inspections.js';
import * as repo from './repo.js';
import {
  type Case,
  type CaseActionInput,
  type CaseInput,
  type CaseListQuery,
  SOURCE_LABELS,
  VIOLATIONS,
} from './schemas.js';
import { type CorrectionAction, caseRoles, caseWorkflow, correctionWorkflow, isCorrectionAction } from './states.js';

/**
 * Enforcement (执法, seed 001 art. 17: 责令限期改正，并可依法予以处罚): administrative penalty cases with a case
 * number, party, product, batch, facts, violation type (art. 17 (1)–(4)), decision, attachments, and a state table.
 * A decision lands on the party's credit archive (penalty: serious with a fine, minor without).
 */
const CASE = ['执法案件', 'Enforcement case'] as const;

export const mayReadCaseFile: OwnerCheck = async (ctx, ownerId) => {
  const c = await ctx.db
    .selectFrom('enforcement_case')
    .select('division_code')
    .where('id', '=', ownerId)
    .executeTakeFirst();
  // The owning module's read rule: verb and jurisdiction (a producer in the same division is not a regulator).
  return (
    !!c &&
    ctx.actor.orgKind !== 'producer' &&
    ctx.actor.verbs.has('enforcement.read') &&
    inScope(ctx.actor.scope, c.division_code)
  );
};

export async function createEnforcementCase(ctx: Ctx, input: CaseInput): Promise<Case> {
  let subject: Awaited<ReturnType<typeof credit.findSubject>> | null = null;
  if (input.identityCode) subject = await credit.findSubjectByCode(ctx, input.identityCode, 'identityCode');
  else if (input.subjectId) subject = await credit.findSubject(ctx, input.subjectId, 'subjectId');
  if (!subject && !input.partyName?.trim())
    throw problems.invalid(
      'partyName',
      '请扫描当事人的主体身份码，或填写当事人名称',
      'is required when no identity code or subject is given',
    );
  const divisionCode = subject?.division_code ?? input.divisionCode ?? null;
  if (!divisionCode)
    throw problems.invalid(
      'divisionCode',
      '未注册当事人须填写所在行政区划',
      'is required for a party that is not a registered producer',
    );
  assertInScope(ctx.actor.scope, divisionCode, '当事人', 'party');
  if (input.sourceType === 'patrol' && input.sourceId) {
    const division = await repo.patrolDivision(ctx.db, input.sourceId);
    if (!division || !inScope(ctx.actor.scope, division))
      throw problems.invalid('sourceId', '指向的巡查记录不存在或不在本辖区', 'names no patrol in your jurisdiction');
  }
  const inspection =
    input.sourceType === 'inspection' && input.sourceId ? await inspectionForCase(ctx, input.sourceId) : null;
  if (inspection && subject && inspection.subject_id !== subject.id)
    throw problems.invalid('sourceId', '执法检查记录的当事人与本案不符', 'names an inspection of another party');
  if (input.sourceType === 'risk_case' && input.sourceId) {
    if (!(await monitoring.riskDivisionInScope(ctx, input.sourceId)))
      throw problems.invalid('sourceId', '指向的风险处置不存在或不在本辖区', 'names no risk case in your jurisdiction');
  }
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  // 案号: <division>农罚〔year〕NNNN号, numbered per enforcement organisation division and year.
  const prefix = `${ctx.actor.scope || '00'}农罚〔${year}〕`;
  await repo.lockKey(prefix).execute(ctx.db);
  const { n } = await repo.countCases(ctx.db, prefix);
  const caseNo = `${prefix}${String(Number(n) + 1).padStart(4, '0')}号`;
  const row = await repo.insertCase(ctx.db, {
    case_no: caseNo,
    org_id: ctx.actor.orgId,
    division_code: divisionCode,
    subject_id: subject?.id ?? null,
    party_name: subject?.name ?? (input.partyName as string).trim(),
    product_name: input.productName ?? null,
    trace_code: input.traceCode?.replace(/[\s-]/g, '').toUpperCase() || null,
    batch_id: null,
    facts: input.facts,
    violation_type: input.violationType,
    source_type: input.sourceType ?? null,
    source_id: input.sourceId ?? null,
    decision: null,
    fine_yuan: null,
    attachment_ids: input.attachmentIds ?? [],
    credit_record_id: null,
    created_by: ctx.actor.id,
    decided_at: null,
    closed_at: null,
  });
  await attachFiles(ctx, input.attachmentIds ?? [], 'enforcement_case', row.id, 'attachmentIds');
  if (inspection) await repo.linkInspectionCase(ctx.db, inspection.id, row.id);
  await audit(ctx, {
    verb: 'enforcement.manage',
    targetType: 'enforcement_case',
    targetId: row.id,
    targetName: caseNo,
    divisionCode,
    summary: { action: 'create' },
    after: { partyName: row.party_name, violation: VIOLATIONS[input.violationType].zh, facts: input.facts },
  });
  return getCase(ctx, row.id);
}

/** Today in China (UTC+8), YYYY-MM-DD. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function caseDto(ctx: Ctx, c: repo.CaseRow): Promise<Case> {
  const [files, names] = await Promise.all([
    fileRefs(ctx.db, c.attachment_ids),
    regions.fullNamesOf(ctx, [c.division_code]),
  ]);
  const v = VIOLATIONS[c.violation_type];
  const correction = correctionWorkflow.stateLabel(c.correction_status ?? 'none');
  const open = c.status !== 'closed' && c.status !== 'dismissed';
  const roles = caseRoles(ctx.actor.verbs);
  return {
    id: c.id,
    caseNo: c.case_no,
    orgId: c.org_id,
    orgName: c.org_name,
    divisionCode: c.division_code,
    subjectId: c.subject_id,
    partyName: c.party_name,
    productName: c.product_name,
    traceCode: c.trace_code,
    batchId: c.batch_id,
    facts: c.facts,
    violationType: c.violation_type,
    violationZh: v.zh,
    violationEn: v.en,
    article: v.article,
    sourceType: c.source_type,
    sourceZh: c.source_type ? SOURCE_LABELS[c.source_type].zh : null,
    sourceEn: c.source_type ? SOURCE_LABELS[c.source_type].en : null,
    sourceId: c.source_id,
    decision: c.decision,
    fineYuan: c.fine_yuan === null ? null : Number(c.fine_yuan),
    attachments: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime })),
    divisionName: names.get(c.division_code) ?? '',
    correction: {
      order: c.correction_order,
      deadline: c.correction_deadline,
      status: c.correction_status,
      statusZh: correction.zh,
      statusEn: correction.en,
      overdue: c.correction_status === 'ordered' && !!c.correction_deadline && c.correction_deadline < today(),
      note: c.correction_note,
      orderedAt: c.correction_ordered_at?.toISOString() ?? null,
      checkedAt: c.correction_checked_at?.toISOString() ?? null,
    },
    status: c.status,
    ...stateFields(caseWorkflow, c.status),
    creditRecordId: c.credit_record_id,
    createdAt: c.created_at.toISOString(),
    decidedAt: c.decided_at?.toISOString() ?? null,
    closedAt: c.closed_at?.toISOString() ?? null,
    allowedActions: [
      ...caseWorkflow.allowedActions(c.status, roles),
      ...(open ? correctionWorkflow.allowedActions(c.correction_status ?? 'none', roles) : []),
    ],
  };
}

async function loadCase(ctx: Ctx, id: string, lock = false) {
  const c = await repo.caseById(ctx.db, id, lock);
  if (!c) throw problems.notFound(...CASE);
  assertInScope(ctx.actor.scope, c.division_code, ...CASE);
  return c;
}
export async function getCase(ctx: Ctx, id: string) {
  return caseDto(ctx, await loadCase(ctx, id));
}
export async function listCases(ctx: Ctx, q: CaseListQuery) {
  const page = await repo.listCases(
    ctx.db,
    { scope: ctx.actor.scope, status: q.status, subjectId: q.subjectId, violationType: q.violationType },
    pageOf(q, { pageSize: 200 }),
  );
  return mapPage(page, (r) => caseDto(ctx, r));
}

export async function actOnCase(ctx: Ctx, id: string, input: CaseActionInput): Promise<Case> {
  const c = await loadCase(ctx, id, true);
  if (isCorrectionAction(input.action)) return actOnCorrection(ctx, c, input);
  const def = caseWorkflow.transition(c.status, input.action, caseRoles(ctx.actor.verbs));
  let creditRecordId = c.credit_record_id;
  const patch: Parameters<typeof repo.updateCase>[2] = { status: def.to };
  if (input.action === 'decide') {
    if (!input.decision?.trim())
      throw problems.invalid('decision', '作出处罚决定时必须填写决定内容', 'is required when deciding');
    patch.decision = input.decision.trim();
    patch.fine_yuan = input.fineYuan ?? null;
    patch.decided_at = new Date();
    if (c.subject_id) {
      creditRecordId = await credit.recordBad(ctx, {
        subjectId: c.subject_id,
        divisionCode: c.division_code,
        source: 'penalty',
        sourceId: c.id,
        severity: (input.fineYuan ?? 0) > 0 ? 'serious' : 'minor',
        titleZh: `行政处罚 ${c.case_no}：${VIOLATIONS[c.violation_type].zh}`,
        titleEn: `Administrative penalty ${c.case_no}: ${VIOLATIONS[c.violation_type].en}`,
      });
      patch.credit_record_id = creditRecordId;
    }
  }
  if (input.action === 'dismiss' && input.decision) patch.decision = input.decision;
  if (input.action === 'close' || input.action === 'dismiss') patch.closed_at = new Date();
  await repo.updateCase(ctx.db, c.id, patch);
  await audit(ctx, {
    verb: 'enforcement.manage',
    targetType: 'enforcement_case',
    targetId: c.id,
    targetName: c.case_no,
    divisionCode: c.division_code,
    summary: { action: input.action, note: input.note ?? null },
    before: { status: caseWorkflow.stateLabel(c.status).zh },
    after: {
      status: caseWorkflow.stateLabel(def.to).zh,
      ...(patch.decision ? { decision: patch.decision } : {}),
      ...(input.action === 'decide' ? { fineYuan: input.fineYuan ?? null } : {}),
    },
  });
  return getCase(ctx, c.id);
}

/** 责令限期改正: order (content and deadline), then the follow-up check (corrected / not corrected, with a note). */
async function actOnCorrection(ctx: Ctx, c: repo.CaseRow, input: CaseActionInput): Promise<Case> {
  if (c.status === 'closed' || c.status === 'dismissed') {
    const st = caseWorkflow.stateLabel(c.status);
    throw new Problem('INVALID_STATE', {
      stateZh: st.zh,
      stateEn: st.en,
      actionZh: '责令改正或复查',
      actionEn: 'order or check a correction',
    });
  }
  const action = input.action as CorrectionAction;
  const from = c.correction_status ?? 'none';
  const def = correctionWorkflow.transition(from, action, caseRoles(ctx.actor.verbs));
  const patch: Parameters<typeof repo.updateCase>[2] = { correction_status: def.to === 'none' ? null : def.to };
  if (action === 'orderCorrection') {
    if (!input.correctionOrder?.trim())
      throw problems.invalid('correctionOrder', '请填写责令改正的内容', 'is required when ordering a correction');
    if (!input.correctionDeadline)
      throw problems.invalid('correctionDeadline', '请填写改正期限', 'is required when ordering a correction');
    if (input.correctionDeadline < today())
      throw problems.invalid('correctionDeadline', '改正期限不能早于今天', 'must not be in the past');
    Object.assign(patch, {
      correction_order: input.correctionOrder.trim(),
      correction_deadline: input.correctionDeadline,
      correction_ordered_at: new Date(),
      correction_note: null,
      correction_checked_at: null,
    });
  } else {
    if (!input.note?.trim())
      throw problems.invalid('note', '请填写复查情况', 'is required when recording the follow-up');
    Object.assign(patch, { correction_note: input.note.trim(), correction_checked_at: new Date() });
  }
  await repo.updateCase(ctx.db, c.id, patch);
  await audit(ctx, {
    verb: 'enforcement.manage',
    targetType: 'enforcement_case',
    targetId: c.id,
    targetName: c.case_no,
    divisionCode: c.division_code,
    summary: { action },
    before: {
      correction: correctionWorkflow.stateLabel(from).zh,
      ...(c.correction_deadline ? { deadline: c.correction_deadline } : {}),
    },
    after: {
      correction: correctionWorkflow.stateLabel(def.to).zh,
      ...(patch.correction_deadline ? { deadline: patch.correction_deadline, order: patch.correction_order } : {}),
      ...(patch.correction_note ? { note: patch.correction_note } : {}),
    },
  });
  return getCase(ctx, c.id);
}
