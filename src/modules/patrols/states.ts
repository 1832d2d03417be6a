import type { PatrolStatus } from '../../schema.js';

/**
 * Patrol state table (巡查状态). `verb` is the permission needed; the API lists the actions the caller may take.
 * submit: result pass → passed · fail → failed · rectify → rectifying (with a deadline)
 * followUp: rectification checked → closed (rectified) or failed (not rectified by the deadline)
 */
export const PATROL_STATES: Record<PatrolStatus, { zh: string; en: string }> = {
  in_progress: { zh: '巡查中', en: 'in progress' },
  passed: { zh: '合格', en: 'passed' },
  failed: { zh: '不合格', en: 'failed' },
  rectifying: { zh: '限期整改', en: 'rectifying' },
  closed: { zh: '整改完成', en: 'rectified (closed)' },
};
export const PATROL_ACTIONS = [
  { from: 'in_progress', action: 'submit', to: ['passed', 'failed', 'rectifying'], verb: 'patrol.start', zh: '提交巡查结果', en: 'submit the result' },
  { from: 'rectifying', action: 'followUp', to: ['closed', 'failed'], verb: 'patrol.start', zh: '整改复查', en: 'follow up the rectification' },
] as const satisfies readonly { from: PatrolStatus; action: string; to: readonly PatrolStatus[]; verb: string; zh: string; en: string }[];

export function allowedActions(status: PatrolStatus, verbs: Set<string>): string[] {
  return PATROL_ACTIONS.filter((a) => a.from === status && verbs.has(a.verb)).map((a) => a.action);
}
export function actionDef(action: string) {
  return PATROL_ACTIONS.find((a) => a.action === action) as (typeof PATROL_ACTIONS)[number];
}
