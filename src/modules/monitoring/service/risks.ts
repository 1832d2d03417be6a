import { assertInScope, countyOf, inScope } from '../../../kernel/auth/scope.js';
import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { mapPage, pageOf } from '../../../kernel/paging.js';
import { problems } from '../../../kernel/problems.js';
import { stateFields } from '../../../kernel/workflow.js';
import * as credit from '../../credit/service.js';
import * as notifications from '../../notifications/service.js';
import * as chain from '../chain.js';
import * as repo from '../repo.js';
import type { FailedItem, ProposedRecall, Risk, RiskActionInput, RiskListQuery } from '../schemas.js';
import { riskRoles, riskWorkflow } from '../states.js';

/**
 * The risk chain (风险处置): a failed result traces the sampled batch both ways, notifies the producer's county,
 * proposes a recall and records the bad entry on the credit archive; the county opens the recall with one click
 * (through the chain module, `chain.ts`) and closes the case.
 */
const RISK = ['风险处置', 'Risk case'] as const;

export async function createRiskCase(ctx: Ctx, s: repo.SheetRow, failed: FailedItem[]): Promise<string> {
  const subject = s.subject_id ? await credit.findSubject(ctx, s.subject_id) : null;
  const divisionCode = subject?.division_code ?? s.division_code;
  const county = countyOf(divisionCode) ?? divisionCode;
  const subjectName = subject?.name ?? s.temp_subject?.name ?? '';
  const trace = await chain.traceBatch(ctx, { traceCode: s.trace_code, batchId: s.batch_id });
  const items = failed.map((f) => f.item).join('、');
  const proposedRecall: ProposedRecall = {
    reasonZh: `${s.product_name}（样品 ${s.sample_code}）${items} 检测不合格`,
    reasonEn: `${s.product_name} (sample ${s.sample_code}) failed: ${items}`,
    traceCode: s.trace_code ?? s.temp_code,
    scopeZh: '该批次及其全部下游流向',
    scopeEn: 'the batch and every downstream holder',
  };
  const risk = await repo.insertRisk(ctx.db, {
    sheet_id: s.id,
    subject_id: subject?.id ?? null,
    subject_name: subjectName,
    trace_code: s.trace_code,
    batch_id: s.batch_id,
    product_name: s.product_name,
    county_code: county,
    division_code: divisionCode,
    failed_items: JSON.stringify(failed),
    trace: JSON.stringify(trace),
    proposed_recall: JSON.stringify(proposedRecall),
    recall_id: null,
    credit_record_id: null,
    recall_opened_at: null,
    recall_opened_by: null,
  });
  let creditRecordId: string | null = null;
  if (subject) {
    creditRecordId = await credit.recordBad(ctx, {
      subjectId: subject.id,
      divisionCode,
      source: 'test',
      sourceId: s.id,
      severity: 'serious',
      titleZh: `抽检不合格：${proposedRecall.reasonZh}`,
      titleEn: `Sampling test failed: ${proposedRecall.reasonEn}`,
    });
    await repo.updateRisk(ctx.db, risk.id, { credit_record_id: creditRecordId });
  }
  const countyOrgs = await notifications.countyRegulators(ctx.db, county);
  await notifications.notify(
    ctx.db,
    countyOrgs.map((orgId) => ({
      orgId,
      divisionCode,
      kind: 'risk.failedTest',
      link: `/risk-cases/${risk.id}`,
      titleZh: `抽检不合格：${subjectName} ${s.product_name}（${items}），请处置并启动召回`,
      titleEn: `Failed test: ${subjectName} ${s.product_name} (${items}); handle it and open the recall`,
    })),
  );
  await audit(ctx, {
    verb: 'risk.open',
    targetType: 'risk_case',
    targetId: risk.id,
    divisionCode,
    summary: { sheetId: s.id, county, traceStatus: trace.status, creditRecordId },
  });
  return risk.id;
}

function riskDto(ctx: Ctx, r: repo.RiskRow): Risk {
  return {
    id: r.id,
    sheetId: r.sheet_id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    traceCode: r.trace_code,
    batchId: r.batch_id,
    productName: r.product_name,
    countyCode: r.county_code,
    divisionCode: r.division_code,
    failedItems: r.failed_items,
    trace: r.trace,
    proposedRecall: r.proposed_recall,
    recallId: r.recall_id,
    status: r.status,
    ...stateFields(riskWorkflow, r.status),
    creditRecordId: r.credit_record_id,
    createdAt: r.created_at.toISOString(),
    recallOpenedAt: r.recall_opened_at?.toISOString() ?? null,
    allowedActions: riskWorkflow.allowedActions(r.status, riskRoles(ctx.actor, r)),
  };
}

export async function getRisk(ctx: Ctx, id: string): Promise<Risk> {
  const r = await repo.riskById(ctx.db, id);
  if (!r) throw problems.notFound(...RISK);
  assertInScope(ctx.actor.scope, r.division_code, ...RISK);
  return riskDto(ctx, r);
}

export async function listRisks(ctx: Ctx, q: RiskListQuery) {
  const page = await repo.listRisks(ctx.db, ctx.actor.scope, q.status, pageOf(q, { pageSize: 200 }));
  return mapPage(page, (r) => riskDto(ctx, r));
}

/** Division of a risk case in the caller's jurisdiction, or null (for records that cite a risk case as their source). */
export async function riskDivisionInScope(ctx: Ctx, id: string): Promise<string | null> {
  const division = await repo.riskDivision(ctx.db, id);
  return division !== null && inScope(ctx.actor.scope, division) ? division : null;
}

/** The county's one click: opens the proposed recall (through the chain module), or closes the case. */
export async function actOnRisk(ctx: Ctx, id: string, input: RiskActionInput): Promise<Risk> {
  const r = await repo.riskById(ctx.db, id, true);
  if (!r) throw problems.notFound(...RISK);
  assertInScope(ctx.actor.scope, r.county_code, ...RISK);
  const next = riskWorkflow.transition(r.status, input.action, riskRoles(ctx.actor, r)).to;
  if (input.action === 'openRecall') {
    const recallId = await chain.openRecall(ctx, { batchId: r.batch_id, reasonZh: r.proposed_recall.reasonZh });
    await repo.updateRisk(ctx.db, r.id, {
      status: next,
      recall_id: recallId,
      recall_opened_at: new Date(),
      recall_opened_by: ctx.actor.id,
    });
  } else {
    await repo.updateRisk(ctx.db, r.id, { status: next });
  }
  await audit(ctx, {
    verb: 'risk.recall',
    targetType: 'risk_case',
    targetId: r.id,
    divisionCode: r.division_code,
    summary: { action: input.action, note: input.note ?? null },
  });
  return getRisk(ctx, r.id);
}
