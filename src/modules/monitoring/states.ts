import { inScope } from '../../kernel/auth/scope.js';
import type { Actor } from '../../kernel/context.js';
import { type Transition, defineWorkflow } from '../../kernel/workflow.js';
import type { RiskStatus, SheetStatus, TaskStatus } from './tables.js';

/**
 * The monitoring state tables. Who acts, relative to the record:
 * - `sampler`  holds `monitoring.sample` (a lab on its own assignment; other agencies in their jurisdiction)
 * - `tester`   holds `monitoring.test` (the sheet's lab; other agencies in their jurisdiction)
 * - `county`   holds `risk.recall` and the producer's county is inside its jurisdiction
 */

/** Tasks: while issued, the assigned labs take samples (the task stays issued). */
export const TASK_ACTIONS = ['sample'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];
export const taskWorkflow = defineWorkflow<TaskStatus, TaskAction, 'sampler'>({
  name: { zh: '监测任务', en: 'Monitoring task' },
  states: {
    issued: { zh: '已下达', en: 'issued' },
    closed: { zh: '已结束', en: 'closed' },
  },
  transitions: [{ from: 'issued', action: 'sample', to: 'issued', who: 'sampler', zh: '抽样', en: 'sample' }],
});
export const samplerRoles = (actor: Actor): 'sampler'[] => (actor.verbs.has('monitoring.sample') ? ['sampler'] : []);

/** Sampling sheets: results entered once; any failed item fails the sample (a re-test is a new task). */
export const SHEET_ACTIONS = ['enterResults'] as const;
export type SheetAction = (typeof SHEET_ACTIONS)[number];
interface SheetTransition extends Transition<SheetStatus, SheetAction, 'tester'> {
  outcome: 'pass' | 'fail';
}
export const sheetWorkflow = defineWorkflow<SheetStatus, SheetAction, 'tester', SheetTransition>({
  name: { zh: '抽样单', en: 'Sampling sheet' },
  states: {
    sampled: { zh: '待检测', en: 'awaiting tests' },
    passed: { zh: '合格', en: 'passed' },
    failed: { zh: '不合格', en: 'failed' },
  },
  transitions: [
    {
      from: 'sampled',
      action: 'enterResults',
      to: 'passed',
      outcome: 'pass',
      who: 'tester',
      zh: '录入检测结果',
      en: 'enter results',
    },
    {
      from: 'sampled',
      action: 'enterResults',
      to: 'failed',
      outcome: 'fail',
      who: 'tester',
      zh: '录入检测结果',
      en: 'enter results',
    },
  ],
});
/** A lab enters results for its own samples; other agencies (platform administrators) for samples in scope. */
export function testerRoles(actor: Actor, sheet: { testing_org_id: string; division_code: string }): 'tester'[] {
  if (!actor.verbs.has('monitoring.test')) return [];
  const mine =
    sheet.testing_org_id === actor.orgId || (actor.orgKind !== 'testing' && inScope(actor.scope, sheet.division_code));
  return mine ? ['tester'] : [];
}

/** Risk cases from failed tests: the producer's county opens the proposed recall and closes the case. */
export const RISK_ACTIONS = ['openRecall', 'close'] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];
export const riskWorkflow = defineWorkflow<RiskStatus, RiskAction, 'county'>({
  name: { zh: '风险处置', en: 'Risk case' },
  states: {
    open: { zh: '待处置', en: 'open' },
    recall_opened: { zh: '已启动召回', en: 'recall opened' },
    closed: { zh: '已结案', en: 'closed' },
  },
  transitions: [
    { from: 'open', action: 'openRecall', to: 'recall_opened', who: 'county', zh: '启动召回', en: 'open the recall' },
    { from: 'open', action: 'close', to: 'closed', who: 'county', zh: '结案', en: 'close' },
    { from: 'recall_opened', action: 'close', to: 'closed', who: 'county', zh: '结案', en: 'close' },
  ],
});
export function riskRoles(actor: Actor, risk: { county_code: string }): 'county'[] {
  return actor.verbs.has('risk.recall') && inScope(actor.scope, risk.county_code) ? ['county'] : [];
}
