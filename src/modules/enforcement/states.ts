import type { CaseStatus, ViolationType } from '../../schema.js';

/** Violation types: seed 001 art. 17 (1)–(4). */
export const VIOLATIONS: Record<ViolationType, { zh: string; en: string; article: string }> = {
  false_info: { zh: '不履行追溯信息采集义务，故意或恶意录入虚假追溯信息', en: 'Failing to collect traceability information, or entering false information', article: '001 art. 17 (1)' },
  chain_broken: { zh: '不履行追溯信息传递义务，造成追溯链条不能向下传递', en: 'Failing to pass traceability information on, breaking the chain', article: '001 art. 17 (2)' },
  identity_misuse: { zh: '盗用、冒用、伪造电子身份标识、追溯凭证及产品追溯标识', en: 'Stealing, misusing or forging identity marks, vouchers or trace labels', article: '001 art. 17 (3)' },
  batch_mixing: { zh: '故意或恶意混批，导致线上信息与线下实物不符', en: 'Deliberately mixing batches so that records and goods differ', article: '001 art. 17 (4)' },
  other: { zh: '其他违法违规行为', en: 'Other violations', article: '' },
};

export const CASE_STATES: Record<CaseStatus, { zh: string; en: string }> = {
  registered: { zh: '已立案', en: 'registered' },
  investigating: { zh: '调查取证', en: 'investigating' },
  decided: { zh: '已作出处罚决定', en: 'decided' },
  closed: { zh: '已结案', en: 'closed' },
  dismissed: { zh: '不予处罚/撤案', en: 'dismissed' },
};

/** The state table: (from, action) → to; every action needs `enforcement.manage`. */
export const CASE_ACTIONS = [
  { from: 'registered', action: 'investigate', to: 'investigating', zh: '开始调查', en: 'start the investigation' },
  { from: 'registered', action: 'dismiss', to: 'dismissed', zh: '撤案', en: 'dismiss' },
  { from: 'investigating', action: 'decide', to: 'decided', zh: '作出处罚决定', en: 'decide the penalty' },
  { from: 'investigating', action: 'dismiss', to: 'dismissed', zh: '不予处罚', en: 'dismiss' },
  { from: 'decided', action: 'close', to: 'closed', zh: '结案', en: 'close' },
] as const satisfies readonly { from: CaseStatus; action: string; to: CaseStatus; zh: string; en: string }[];
export type CaseAction = (typeof CASE_ACTIONS)[number]['action'];

export function allowedCaseActions(status: CaseStatus, verbs: Set<string>): CaseAction[] {
  if (!verbs.has('enforcement.manage')) return [];
  return CASE_ACTIONS.filter((a) => a.from === status).map((a) => a.action);
}
