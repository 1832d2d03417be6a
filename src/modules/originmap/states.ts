import { isAtOrBelow, inScope } from '../../kernel/auth/scope.js';
import type { Actor } from '../../kernel/context.js';
import { defineWorkflow } from '../../kernel/workflow.js';
import type { FlagStatus, OriginStatus } from './schemas.js';

/**
 * The origin map's state tables.
 *
 * Who, relative to a record (or flag) inside the caller's jurisdiction:
 * - `collector` holds `origin.collect` (township collectors, village co-supervisors, information administrators);
 * - `reviewer` holds `origin.review` at county level or above (seed 004 六(三): 县级监管员具体承担…审核把关).
 */
export type Who = 'collector' | 'reviewer';
export const VERB_OF: Record<Who, string> = { collector: 'origin.collect', reviewer: 'origin.review' };

/** Origin record review (产地溯源信息审核). `update` of an approved record sends it back to review. */
export type RecordAction = 'update' | 'submit' | 'approve' | 'return';
export const recordFlow = defineWorkflow<OriginStatus, RecordAction, Who>({
  name: { zh: '产地溯源记录', en: 'Origin record' },
  states: {
    draft: { zh: '草稿', en: 'Draft' },
    submitted: { zh: '待审核', en: 'Awaiting review' },
    approved: { zh: '已通过', en: 'Approved' },
    returned: { zh: '已退回', en: 'Returned' },
  },
  transitions: [
    { from: 'draft', action: 'update', to: 'draft', who: 'collector', zh: '修改', en: 'Update' },
    { from: 'draft', action: 'submit', to: 'submitted', who: 'collector', zh: '提交审核', en: 'Submit' },
    { from: 'returned', action: 'update', to: 'returned', who: 'collector', zh: '修改', en: 'Update' },
    { from: 'returned', action: 'submit', to: 'submitted', who: 'collector', zh: '提交审核', en: 'Submit' },
    { from: 'submitted', action: 'update', to: 'submitted', who: 'collector', zh: '修改', en: 'Update' },
    { from: 'submitted', action: 'approve', to: 'approved', who: 'reviewer', zh: '审核通过', en: 'Approve' },
    { from: 'submitted', action: 'return', to: 'returned', who: 'reviewer', zh: '退回', en: 'Return' },
    { from: 'approved', action: 'update', to: 'submitted', who: 'collector', zh: '修改', en: 'Update' },
  ],
});

/** Patrol flags (巡查提示): open until resolved by a reviewer (or automatically when the patrol finds it gone). */
export const flagFlow = defineWorkflow<FlagStatus, 'resolve', Who>({
  name: { zh: '巡查提示', en: 'Patrol flag' },
  states: {
    open: { zh: '待处理', en: 'Open' },
    resolved: { zh: '已处理', en: 'Resolved' },
  },
  transitions: [{ from: 'open', action: 'resolve', to: 'resolved', who: 'reviewer', zh: '处理', en: 'Resolve' }],
});

/** Who the actor is relative to a record in `divisionCode` (nobody outside the jurisdiction). */
export function whoIs(actor: Actor, divisionCode: string): Set<Who> {
  const who = new Set<Who>();
  if (!inScope(actor.scope, divisionCode)) return who;
  if (actor.verbs.has('origin.collect')) who.add('collector');
  if (actor.verbs.has('origin.review') && !isAtOrBelow(actor.scope, 'township')) who.add('reviewer');
  return who;
}

/** Who the actor is relative to a flag: any holder of `origin.review` inside the jurisdiction resolves flags. */
export function whoIsForFlag(actor: Actor, divisionCode: string): Set<Who> {
  return new Set<Who>(inScope(actor.scope, divisionCode) && actor.verbs.has('origin.review') ? ['reviewer'] : []);
}
