import { defineWorkflow } from '../../kernel/workflow.js';
import type { CaseStatus, CorrectionStatus } from './tables.js';

/** The penalty case state table: every action is the case handler's (`manager`: holds `enforcement.manage`). */
export const CASE_STEPS = ['investigate', 'decide', 'close', 'dismiss'] as const;
export type CaseStep = (typeof CASE_STEPS)[number];
/** The order to correct within a deadline (责令限期改正) and its follow-up: a second, parallel state table. */
export const CORRECTION_ACTIONS = ['orderCorrection', 'confirmCorrected', 'markNotCorrected'] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];
export const CASE_ACTIONS = [...CASE_STEPS, ...CORRECTION_ACTIONS] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
type Who = 'manager';

export const caseWorkflow = defineWorkflow<CaseStatus, CaseStep, Who>({
  name: { zh: '执法案件', en: 'Enforcement case' },
  states: {
    registered: { zh: '已立案', en: 'registered' },
    investigating: { zh: '调查取证', en: 'investigating' },
    decided: { zh: '已作出处罚决定', en: 'decided' },
    closed: { zh: '已结案', en: 'closed' },
    dismissed: { zh: '不予处罚/撤案', en: 'dismissed' },
  },
  transitions: [
    {
      from: 'registered',
      action: 'investigate',
      to: 'investigating',
      who: 'manager',
      zh: '开始调查',
      en: 'start the investigation',
    },
    { from: 'registered', action: 'dismiss', to: 'dismissed', who: 'manager', zh: '撤案', en: 'dismiss' },
    {
      from: 'investigating',
      action: 'decide',
      to: 'decided',
      who: 'manager',
      zh: '作出处罚决定',
      en: 'decide the penalty',
    },
    { from: 'investigating', action: 'dismiss', to: 'dismissed', who: 'manager', zh: '不予处罚', en: 'dismiss' },
    { from: 'decided', action: 'close', to: 'closed', who: 'manager', zh: '结案', en: 'close' },
  ],
});

/** Who the actor is relative to a case in its jurisdiction. */
export function caseRoles(verbs: ReadonlySet<string>): Who[] {
  return verbs.has('enforcement.manage') ? ['manager'] : [];
}

/** `none`: no order yet. An order may be given while the case is open, and again after a failed follow-up. */
export type CorrectionState = CorrectionStatus | 'none';
export const correctionWorkflow = defineWorkflow<CorrectionState, CorrectionAction, Who>({
  name: { zh: '责令限期改正', en: 'Order to correct' },
  states: {
    none: { zh: '未责令改正', en: 'no order' },
    ordered: { zh: '限期改正中', en: 'correcting' },
    corrected: { zh: '已按期改正', en: 'corrected' },
    not_corrected: { zh: '逾期未改正', en: 'not corrected' },
  },
  transitions: [
    {
      from: 'none',
      action: 'orderCorrection',
      to: 'ordered',
      who: 'manager',
      zh: '责令限期改正',
      en: 'order to correct',
    },
    {
      from: 'not_corrected',
      action: 'orderCorrection',
      to: 'ordered',
      who: 'manager',
      zh: '再次责令改正',
      en: 'order again',
    },
    {
      from: 'ordered',
      action: 'confirmCorrected',
      to: 'corrected',
      who: 'manager',
      zh: '复查：已改正',
      en: 'follow-up: corrected',
    },
    {
      from: 'ordered',
      action: 'markNotCorrected',
      to: 'not_corrected',
      who: 'manager',
      zh: '复查：未改正',
      en: 'follow-up: not corrected',
    },
  ],
});
export const isCorrectionAction = (a: CaseAction): a is CorrectionAction =>
  (CORRECTION_ACTIONS as readonly string[]).includes(a);
