import type { Actor } from '../../kernel/context.js';
import { inScope } from '../../kernel/auth/scope.js';
import type { ApplicationKind, SubjectStatus } from '../../schema.js';

/**
 * The subject (生产经营主体) state machine as one table: state × action → next state, and who may take it.
 * The API's `allowedActions` and the UI's buttons are both computed from this table (see docs/subjects.md).
 *
 * Who:
 * - `owner`      the producer itself (its main account, producer_admin; producer_applicant while not approved)
 * - `reviewer`   a supervision officer of the subject's county (verb subject.review, county-level organisation)
 * - `regulator`  a supervision officer whose jurisdiction contains the subject (verb subject.revoke)
 */
export type Who = 'owner' | 'reviewer' | 'regulator';
export type SubjectAction = 'resubmit' | 'requestChange' | 'requestCancel' | 'requestRevoke' | 'approve' | 'reject';

export interface Transition {
  from: SubjectStatus;
  action: SubjectAction;
  to: SubjectStatus;
  who: Who;
  /** The pending application kind the review actions decide. */
  kind?: ApplicationKind;
}

export const STATUS_LABELS: Record<SubjectStatus, { zh: string; en: string }> = {
  pending: { zh: '待审核', en: 'pending review' },
  approved: { zh: '已通过', en: 'approved' },
  rejected: { zh: '已驳回', en: 'rejected' },
  change_pending: { zh: '变更待审核', en: 'change pending' },
  cancel_pending: { zh: '注销待审核', en: 'cancellation pending' },
  revoke_pending: { zh: '撤销待审核', en: 'revocation pending' },
  revoked: { zh: '已撤销', en: 'revoked' },
  cancelled: { zh: '已注销', en: 'cancelled' },
};

export const ACTION_LABELS: Record<SubjectAction, { zh: string; en: string }> = {
  resubmit: { zh: '修改后重新提交', en: 'correct and resubmit' },
  requestChange: { zh: '申请变更', en: 'request a change' },
  requestCancel: { zh: '申请注销', en: 'request cancellation' },
  requestRevoke: { zh: '提请撤销', en: 'propose revocation' },
  approve: { zh: '审核通过', en: 'approve' },
  reject: { zh: '驳回', en: 'reject' },
};

export const TRANSITIONS: readonly Transition[] = [
  { from: 'pending', action: 'approve', to: 'approved', who: 'reviewer', kind: 'register' },
  { from: 'pending', action: 'reject', to: 'rejected', who: 'reviewer', kind: 'register' },
  { from: 'rejected', action: 'resubmit', to: 'pending', who: 'owner' },
  { from: 'approved', action: 'requestChange', to: 'change_pending', who: 'owner' },
  { from: 'change_pending', action: 'approve', to: 'approved', who: 'reviewer', kind: 'change' },
  { from: 'change_pending', action: 'reject', to: 'approved', who: 'reviewer', kind: 'change' },
  { from: 'approved', action: 'requestCancel', to: 'cancel_pending', who: 'owner' },
  { from: 'cancel_pending', action: 'approve', to: 'cancelled', who: 'reviewer', kind: 'cancel' },
  { from: 'cancel_pending', action: 'reject', to: 'approved', who: 'reviewer', kind: 'cancel' },
  { from: 'approved', action: 'requestRevoke', to: 'revoke_pending', who: 'regulator' },
  { from: 'revoke_pending', action: 'approve', to: 'revoked', who: 'reviewer', kind: 'revoke' },
  { from: 'revoke_pending', action: 'reject', to: 'approved', who: 'reviewer', kind: 'revoke' },
];

/** Statuses in which the producer holds producer rights (its main account is producer_admin). */
export const ACTIVE_STATUSES: readonly SubjectStatus[] = ['approved', 'change_pending', 'cancel_pending', 'revoke_pending'];
/** Final statuses: the duplicate key is free again, the identity code is dead. */
export const FINAL_STATUSES: readonly SubjectStatus[] = ['revoked', 'cancelled'];

export function transition(from: SubjectStatus, action: SubjectAction): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.action === action);
}

/** Is the actor the county reviewer of a subject in `division`? (county organisation, or the platform admin) */
export function isReviewerOf(actor: Actor, division: string): boolean {
  if (!actor.verbs.has('subject.review')) return false;
  if (actor.roles.includes('platform_admin')) return inScope(actor.scope, division);
  return actor.orgKind === 'supervision' && actor.scope.length === 6 && inScope(actor.scope, division);
}

export function whoIs(actor: Actor, subject: { org_id: string; division_code: string }): Set<Who> {
  const out = new Set<Who>();
  if (actor.orgId === subject.org_id) out.add('owner');
  if (isReviewerOf(actor, subject.division_code)) out.add('reviewer');
  if (actor.verbs.has('subject.revoke') && actor.orgKind !== 'producer' && inScope(actor.scope, subject.division_code)) out.add('regulator');
  return out;
}

/** The actions the actor may take next on a subject in its current state. */
export function allowedActions(actor: Actor, subject: { org_id: string; division_code: string; status: SubjectStatus }): SubjectAction[] {
  const who = whoIs(actor, subject);
  const out: SubjectAction[] = [];
  for (const t of TRANSITIONS) {
    if (t.from !== subject.status || !who.has(t.who) || out.includes(t.action)) continue;
    if (t.who === 'owner') {
      // The owner's verbs gate its actions: an applicant resubmits, an approved producer's administrator changes/cancels.
      if (t.action === 'resubmit' && !actor.verbs.has('mySubject.resubmit')) continue;
      if ((t.action === 'requestChange' || t.action === 'requestCancel') && !actor.verbs.has('mySubject.change')) continue;
    }
    out.push(t.action);
  }
  return out;
}
