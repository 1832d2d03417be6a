import { inScope, isLevel } from '../../kernel/auth/scope.js';
import type { Actor } from '../../kernel/context.js';
import { type Label, defineWorkflow } from '../../kernel/workflow.js';
import {
  type ApplicationKind,
  SUBJECT_ACTION_VALUES,
  type SubjectAction,
  type SubjectStatus,
  type Who,
} from './schemas.js';

/**
 * The subject (生产经营主体) state machine as one table: state × action → next state, and who may take it.
 * The API's `allowedActions` come from this table and the UI shows them (see docs/subjects.md).
 *
 * Who:
 * - `owner`      the producer itself (its main account, producer_admin; producer_applicant while not approved)
 * - `reviewer`   a supervision officer of the subject's county (verb subject.review, county-level organisation)
 * - `regulator`  a supervision officer whose jurisdiction contains the subject (verb subject.revoke)
 */
export type { SubjectAction, Who };

const APPROVE = { zh: '审核通过', en: 'approve' };
const REJECT = { zh: '驳回', en: 'reject' };

export const subjectFlow = defineWorkflow<
  SubjectStatus,
  SubjectAction,
  Who,
  {
    from: SubjectStatus;
    action: SubjectAction;
    to: SubjectStatus;
    who: Who;
    zh: string;
    en: string;
    /** The pending application kind the review actions decide. */
    kind?: ApplicationKind;
  }
>({
  name: { zh: '生产经营主体', en: 'Subject' },
  states: {
    pending: { zh: '待审核', en: 'pending review' },
    approved: { zh: '已通过', en: 'approved' },
    rejected: { zh: '已驳回', en: 'rejected' },
    change_pending: { zh: '变更待审核', en: 'change pending' },
    cancel_pending: { zh: '注销待审核', en: 'cancellation pending' },
    revoke_pending: { zh: '撤销待审核', en: 'revocation pending' },
    revoked: { zh: '已撤销', en: 'revoked' },
    cancelled: { zh: '已注销', en: 'cancelled' },
  },
  transitions: [
    { from: 'pending', action: 'approve', to: 'approved', who: 'reviewer', kind: 'register', ...APPROVE },
    { from: 'pending', action: 'reject', to: 'rejected', who: 'reviewer', kind: 'register', ...REJECT },
    {
      from: 'rejected',
      action: 'resubmit',
      to: 'pending',
      who: 'owner',
      zh: '修改后重新提交',
      en: 'correct and resubmit',
    },
    {
      from: 'approved',
      action: 'requestChange',
      to: 'change_pending',
      who: 'owner',
      zh: '申请变更',
      en: 'request a change',
    },
    { from: 'change_pending', action: 'approve', to: 'approved', who: 'reviewer', kind: 'change', ...APPROVE },
    { from: 'change_pending', action: 'reject', to: 'approved', who: 'reviewer', kind: 'change', ...REJECT },
    {
      from: 'approved',
      action: 'requestCancel',
      to: 'cancel_pending',
      who: 'owner',
      zh: '申请注销',
      en: 'request cancellation',
    },
    { from: 'cancel_pending', action: 'approve', to: 'cancelled', who: 'reviewer', kind: 'cancel', ...APPROVE },
    { from: 'cancel_pending', action: 'reject', to: 'approved', who: 'reviewer', kind: 'cancel', ...REJECT },
    {
      from: 'approved',
      action: 'requestRevoke',
      to: 'revoke_pending',
      who: 'regulator',
      zh: '提请撤销',
      en: 'propose revocation',
    },
    { from: 'revoke_pending', action: 'approve', to: 'revoked', who: 'reviewer', kind: 'revoke', ...APPROVE },
    { from: 'revoke_pending', action: 'reject', to: 'approved', who: 'reviewer', kind: 'revoke', ...REJECT },
  ],
});

export const STATUS_LABELS: Record<SubjectStatus, Label> = subjectFlow.states;
export const ACTION_LABELS = Object.fromEntries(
  SUBJECT_ACTION_VALUES.map((a) => [a, subjectFlow.actionLabel(a)]),
) as Record<SubjectAction, Label>;
export const TRANSITIONS = subjectFlow.transitions;

/** Statuses in which the producer holds producer rights (its main account is producer_admin). */
export const ACTIVE_STATUSES: readonly SubjectStatus[] = [
  'approved',
  'change_pending',
  'cancel_pending',
  'revoke_pending',
];
/** Final statuses: the duplicate key is free again, the identity code is dead. */
export const FINAL_STATUSES: readonly SubjectStatus[] = ['revoked', 'cancelled'];

/** Is the actor the county reviewer of a subject in `division`? (county organisation, or the platform admin) */
export function isReviewerOf(actor: Actor, division: string): boolean {
  if (!actor.verbs.has('subject.review')) return false;
  if (actor.roles.includes('platform_admin')) return inScope(actor.scope, division);
  return actor.orgKind === 'supervision' && isLevel(actor.scope, 'county') && inScope(actor.scope, division);
}

export function whoIs(actor: Actor, subject: { org_id: string; division_code: string }): Set<Who> {
  const out = new Set<Who>();
  if (actor.orgId === subject.org_id) out.add('owner');
  if (isReviewerOf(actor, subject.division_code)) out.add('reviewer');
  if (actor.verbs.has('subject.revoke') && actor.orgKind !== 'producer' && inScope(actor.scope, subject.division_code))
    out.add('regulator');
  return out;
}

/**
 * The owner's verbs gate its actions: an applicant resubmits, an approved producer's administrator changes and
 * cancels (the state table says the owner may; the account's role says whether this owner account may).
 */
function ownerMay(actor: Actor, action: SubjectAction): boolean {
  if (action === 'resubmit') return actor.verbs.has('mySubject.resubmit');
  if (action === 'requestChange' || action === 'requestCancel') return actor.verbs.has('mySubject.change');
  return true;
}

/** The actions the actor may take next on a subject in its current state. */
export function allowedActions(
  actor: Actor,
  subject: { org_id: string; division_code: string; status: SubjectStatus },
): SubjectAction[] {
  const who = whoIs(actor, subject);
  return subjectFlow
    .allowedActions(subject.status, who)
    .filter((a) => !subjectFlow.transitions.some((t) => t.action === a && t.who === 'owner') || ownerMay(actor, a));
}
