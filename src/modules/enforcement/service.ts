import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { registerFileOwner } from '../../kernel/files.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { ViolationType } from '../../schema.js';
import * as credit from '../credit/service.js';
import { attachAll } from '../patrols/service.js';
import * as repo from './repo.js';
import { CASE_ACTIONS, CASE_STATES, type CaseAction, VIOLATIONS, allowedCaseActions } from './states.js';

/**
 * Enforcement (执法, seed 001 art. 17: 责令限期改正，并可依法予以处罚): administrative penalty cases with a case
 * number, party, product, batch, facts, violation type (art. 17 (1)–(4)), decision, attachments, and a state table.
 * A decision lands on the party's credit archive (penalty: serious with a fine, minor without).
 */
const CASE = ['执法案件', 'Enforcement case'] as const;

registerFileOwner('enforcement_case', async (ctx, ownerId) => {
  const c = await ctx.db.selectFrom('enforcement_case').select('division_code').where('id', '=', ownerId).executeTakeFirst();
  return !!c && inScope(ctx.actor.scope, c.division_code);
});

export interface CaseInput {
  identityCode?: string | null;
  subjectId?: string | null;
  partyName?: string | null;
  divisionCode?: string | null;
  productName?: string | null;
  traceCode?: string | null;
  facts: string;
  violationType: ViolationType;
  sourceType?: 'patrol' | 'risk_case' | 'inspection' | 'complaint' | 'other' | null;
  sourceId?: string | null;
  attachmentIds?: string[];
}

export async function createEnforcementCase(ctx: Ctx, input: CaseInput) {
  let subject: Awaited<ReturnType<typeof credit.findSubject>> | null = null;
  if (input.identityCode) subject = await credit.findSubjectByCode(ctx, input.identityCode, 'identityCode');
  else if (input.subjectId) subject = await credit.findSubject(ctx, input.subjectId, 'subjectId');
  if (!subject && !input.partyName?.trim()) throw problems.invalid('partyName', '请扫描当事人的主体身份码，或填写当事人名称', 'is required when no identity code or subject is given');
  const divisionCode = subject?.division_code ?? input.divisionCode ?? null;
  if (!divisionCode) throw problems.invalid('divisionCode', '未注册当事人须填写所在行政区划', 'is required for a party that is not a registered producer');
  assertInScope(ctx.actor.scope, divisionCode, '当事人', 'party');
  if (input.sourceType === 'patrol' && input.sourceId) {
    const p = await ctx.db.selectFrom('patrol').select(['division_code']).where('id', '=', input.sourceId).executeTakeFirst();
    if (!p || !inScope(ctx.actor.scope, p.division_code)) throw problems.invalid('sourceId', '指向的巡查记录不存在或不在本辖区', 'names no patrol in your jurisdiction');
  }
  if (input.sourceType === 'risk_case' && input.sourceId) {
    const r = await ctx.db.selectFrom('risk_case').select(['division_code']).where('id', '=', input.sourceId).executeTakeFirst();
    if (!r || !inScope(ctx.actor.scope, r.division_code)) throw problems.invalid('sourceId', '指向的风险处置不存在或不在本辖区', 'names no risk case in your jurisdiction');
  }
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  // 案号: <division>农罚〔year〕NNNN号, numbered per enforcement organisation division and year.
  const prefix = `${ctx.actor.scope || '00'}农罚〔${year}〕`;
  await repo.lockKey(prefix).execute(ctx.db);
  const { n } = await repo.countCases(ctx.db, prefix);
  const caseNo = `${prefix}${String(Number(n) + 1).padStart(4, '0')}号`;
  const row = await repo.insertCase(ctx.db, {
    case_no: caseNo, org_id: ctx.actor.orgId, division_code: divisionCode, subject_id: subject?.id ?? null, party_name: subject?.name ?? (input.partyName as string).trim(),
    product_name: input.productName ?? null, trace_code: input.traceCode?.replace(/[\s-]/g, '').toUpperCase() || null, batch_id: null, facts: input.facts,
    violation_type: input.violationType, source_type: input.sourceType ?? null, source_id: input.sourceId ?? null, decision: null, fine_yuan: null,
    attachment_ids: input.attachmentIds ?? [], credit_record_id: null, created_by: ctx.actor.id, decided_at: null, closed_at: null,
  });
  await attachAll(ctx, input.attachmentIds ?? [], 'enforcement_case', row.id, 'attachmentIds');
  await audit(ctx, { verb: 'enforcement.manage', targetType: 'enforcement_case', targetId: row.id, divisionCode, summary: { action: 'create', caseNo, violationType: input.violationType, subjectId: subject?.id ?? null } });
  return getCase(ctx, row.id);
}

async function caseDto(ctx: Ctx, c: repo.CaseRow) {
  const files = await repo.filesByIds(ctx.db, c.attachment_ids);
  const v = VIOLATIONS[c.violation_type];
  const st = CASE_STATES[c.status];
  return {
    id: c.id, caseNo: c.case_no, orgId: c.org_id, orgName: c.org_name, divisionCode: c.division_code, subjectId: c.subject_id, partyName: c.party_name,
    productName: c.product_name, traceCode: c.trace_code, batchId: c.batch_id, facts: c.facts, violationType: c.violation_type, violationZh: v.zh, violationEn: v.en,
    article: v.article, sourceType: c.source_type, sourceId: c.source_id, decision: c.decision, fineYuan: c.fine_yuan === null ? null : Number(c.fine_yuan),
    attachments: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime })), status: c.status, statusZh: st.zh, statusEn: st.en,
    creditRecordId: c.credit_record_id, createdAt: c.created_at.toISOString(), decidedAt: c.decided_at?.toISOString() ?? null, closedAt: c.closed_at?.toISOString() ?? null,
    allowedActions: allowedCaseActions(c.status, ctx.actor.verbs),
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
export async function listCases(ctx: Ctx, q: { status?: string; subjectId?: string; violationType?: string }) {
  const rows = await repo.listCases(ctx.db, { scope: ctx.actor.scope, ...q, limit: 200 });
  return Promise.all(rows.map((r) => caseDto(ctx, r)));
}

export async function actOnCase(ctx: Ctx, id: string, input: { action: CaseAction; decision?: string | null; fineYuan?: number | null; note?: string | null }) {
  const c = await loadCase(ctx, id, true);
  const def = CASE_ACTIONS.find((a) => a.from === c.status && a.action === input.action);
  if (!def) {
    const st = CASE_STATES[c.status];
    const any = CASE_ACTIONS.find((a) => a.action === input.action);
    throw new Problem('INVALID_STATE', { stateZh: st.zh, stateEn: st.en, actionZh: any?.zh ?? input.action, actionEn: any?.en ?? input.action, field: 'action' });
  }
  let creditRecordId = c.credit_record_id;
  const patch: Parameters<typeof repo.updateCase>[2] = { status: def.to };
  if (input.action === 'decide') {
    if (!input.decision?.trim()) throw problems.invalid('decision', '作出处罚决定时必须填写决定内容', 'is required when deciding');
    patch.decision = input.decision.trim();
    patch.fine_yuan = input.fineYuan ?? null;
    patch.decided_at = new Date();
    if (c.subject_id) {
      creditRecordId = await credit.recordBad(ctx, {
        subjectId: c.subject_id, divisionCode: c.division_code, source: 'penalty', sourceId: c.id, severity: (input.fineYuan ?? 0) > 0 ? 'serious' : 'minor',
        titleZh: `行政处罚 ${c.case_no}：${VIOLATIONS[c.violation_type].zh}`, titleEn: `Administrative penalty ${c.case_no}: ${VIOLATIONS[c.violation_type].en}`,
      });
      patch.credit_record_id = creditRecordId;
    }
  }
  if (input.action === 'dismiss' && input.decision) patch.decision = input.decision;
  if (input.action === 'close' || input.action === 'dismiss') patch.closed_at = new Date();
  await repo.updateCase(ctx.db, c.id, patch);
  await audit(ctx, { verb: 'enforcement.manage', targetType: 'enforcement_case', targetId: c.id, divisionCode: c.division_code, summary: { action: input.action, from: c.status, to: def.to, fineYuan: input.fineYuan ?? null, note: input.note ?? null, creditRecordId } });
  return getCase(ctx, c.id);
}
