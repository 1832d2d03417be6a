import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { Problem, problems } from '../../../kernel/problems.js';
import * as repo from '../repo.js';
import type { ResultInput, SheetWithRisk } from '../schemas.js';
import { sheetWorkflow, testerRoles } from '../states.js';
import { notDetected } from './resulttext.js';
import { createRiskCase } from './risks.js';
import { SHEET, getSheet, loadSheet } from './sheets.js';

/** Test results (检测结果) per item, entered by the lab once per sample; a failed item opens the risk chain. */

/** pass/fail: computed from value ≤ limit when both are numbers; otherwise the lab's judgement is required. */
export function judge(r: ResultInput, field: string): boolean {
  if (r.value !== undefined && r.value !== null && r.limit !== undefined && r.limit !== null) {
    const computed = r.value <= r.limit;
    if (r.passed !== undefined && r.passed !== computed)
      throw problems.invalid(
        `${field}/passed`,
        `与检测值 ${r.value} 和限量 ${r.limit} 不符`,
        `contradicts value ${r.value} and limit ${r.limit}`,
      );
    return computed;
  }
  if (r.passed === undefined)
    throw problems.invalid(
      `${field}/passed`,
      '没有检测值或限量时须填写判定结果（合格/不合格）',
      'is required when there is no numeric value and limit',
    );
  return r.passed;
}

export async function submitTestResults(
  ctx: Ctx,
  sheetId: string,
  results: ResultInput[],
  field = 'results',
): Promise<SheetWithRisk> {
  const s = await loadSheet(ctx, sheetId, true);
  if (s.testing_org_id !== ctx.actor.orgId && ctx.actor.orgKind === 'testing')
    throw problems.outOfJurisdiction(...SHEET);
  mayEnterResults(ctx, s);
  const seen = new Set<string>();
  const rows = results.map((r, i) => {
    if (seen.has(r.item))
      throw problems.invalid(`${field}/${i}/item`, `检测项目“${r.item}”重复`, `item "${r.item}" is repeated`);
    seen.add(r.item);
    if ((r.value === undefined || r.value === null) && !r.valueText)
      throw problems.invalid(
        `${field}/${i}/value`,
        '请填写检测值（未检出填“未检出”）',
        'is required (or valueText such as "ND")',
      );
    const passed = judge(r, `${field}/${i}`);
    // A zero, "ND" or "<LOD" is stored as 未检出 (never shown as "0 mg/kg").
    const nd = notDetected(r.value, r.valueText);
    return {
      sheet_id: s.id,
      item: r.item,
      value: nd || r.value === undefined || r.value === null ? null : String(r.value),
      value_text: nd ? '未检出' : (r.valueText ?? null),
      unit: r.unit,
      limit_value: r.limit === undefined || r.limit === null ? null : String(r.limit),
      standard: r.standard,
      passed,
      entered_by: ctx.actor.id,
    };
  });
  const failed = rows.filter((r) => !r.passed);
  const next = resultState(s.status, failed.length ? 'fail' : 'pass');
  await repo.insertResults(ctx.db, rows);
  await repo.updateSheet(ctx.db, s.id, { status: next, tested_at: new Date() });
  await audit(ctx, {
    verb: 'monitoring.test',
    targetType: 'sampling_sheet',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { sampleCode: s.sample_code, items: rows.length, failed: failed.map((f) => f.item) },
  });
  let riskCaseId: string | null = null;
  if (failed.length)
    riskCaseId = await createRiskCase(
      ctx,
      s,
      failed.map((f) => ({
        item: f.item,
        value: f.value,
        valueText: f.value_text,
        unit: f.unit,
        limit: f.limit_value,
        standard: f.standard,
      })),
    );
  return { ...(await getSheet(ctx, s.id)), riskCaseId };
}

/** The sheet's state table: results are entered once; a re-test is a new task. */
function mayEnterResults(ctx: Ctx, s: repo.SheetRow): void {
  try {
    sheetWorkflow.transition(s.status, 'enterResults', testerRoles(ctx.actor, s));
  } catch (e) {
    if (!(e instanceof Problem) || e.code !== 'INVALID_STATE') throw e;
    const st = sheetWorkflow.stateLabel(s.status);
    throw new Problem('INVALID_STATE', {
      stateZh: st.zh,
      stateEn: st.en,
      actionZh: '录入检测结果（如需复检请下达复检任务）',
      actionEn: 'enter results (issue a re-test task instead)',
    });
  }
}
function resultState(status: repo.SheetRow['status'], outcome: 'pass' | 'fail') {
  const row = sheetWorkflow.transitions.find((t) => t.from === status && t.outcome === outcome);
  if (!row) throw new Error(`sheet table has no enterResults → ${outcome} from ${status}`);
  return row.to;
}
