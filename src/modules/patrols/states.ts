import { type Transition, defineWorkflow } from '../../kernel/workflow.js';
import type { PatrolResult, PatrolStatus } from './tables.js';

/**
 * Patrol state table (巡查状态). Every action is the patrolling officer's (`inspector`: holds `patrol.start`).
 * submit: result pass → passed · fail → failed · rectify → rectifying (with a deadline)
 * followUp: rectification checked → closed (rectified) or failed (not rectified by the deadline)
 * `outcome` says which row a submission or follow-up takes.
 */
export type PatrolOutcome = PatrolResult | 'rectified' | 'notRectified';
export const PATROL_ACTIONS = ['submit', 'followUp'] as const;
export type PatrolAction = (typeof PATROL_ACTIONS)[number];
type Who = 'inspector';
interface PatrolTransitionRow extends Transition<PatrolStatus, PatrolAction, Who> {
  outcome: PatrolOutcome;
}

export const patrolWorkflow = defineWorkflow<PatrolStatus, PatrolAction, Who, PatrolTransitionRow>({
  name: { zh: '巡查记录', en: 'Patrol' },
  states: {
    in_progress: { zh: '巡查中', en: 'in progress' },
    passed: { zh: '合格', en: 'passed' },
    failed: { zh: '不合格', en: 'failed' },
    rectifying: { zh: '限期整改', en: 'rectifying' },
    closed: { zh: '整改完成', en: 'rectified (closed)' },
  },
  transitions: [
    {
      from: 'in_progress',
      action: 'submit',
      to: 'passed',
      outcome: 'pass',
      who: 'inspector',
      zh: '提交巡查结果',
      en: 'submit the result',
    },
    {
      from: 'in_progress',
      action: 'submit',
      to: 'failed',
      outcome: 'fail',
      who: 'inspector',
      zh: '提交巡查结果',
      en: 'submit the result',
    },
    {
      from: 'in_progress',
      action: 'submit',
      to: 'rectifying',
      outcome: 'rectify',
      who: 'inspector',
      zh: '提交巡查结果',
      en: 'submit the result',
    },
    {
      from: 'rectifying',
      action: 'followUp',
      to: 'closed',
      outcome: 'rectified',
      who: 'inspector',
      zh: '整改复查',
      en: 'follow up the rectification',
    },
    {
      from: 'rectifying',
      action: 'followUp',
      to: 'failed',
      outcome: 'notRectified',
      who: 'inspector',
      zh: '整改复查',
      en: 'follow up the rectification',
    },
  ],
});

/** Who the actor is relative to a patrol: officers holding `patrol.start` act on patrols in their jurisdiction. */
export function patrolRoles(verbs: ReadonlySet<string>): 'inspector'[] {
  return verbs.has('patrol.start') ? ['inspector'] : [];
}

/** Checks the action against the table and returns the state it leads to for this outcome. */
export function patrolTransition(
  status: PatrolStatus,
  action: PatrolAction,
  outcome: PatrolOutcome,
  verbs: ReadonlySet<string>,
): PatrolStatus {
  patrolWorkflow.transition(status, action, patrolRoles(verbs));
  const row = patrolWorkflow.transitions.find((t) => t.from === status && t.action === action && t.outcome === outcome);
  if (!row) throw new Error(`patrol table has no ${action} → ${outcome} from ${status}`);
  return row.to;
}
