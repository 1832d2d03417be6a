import type { Actor, Ctx } from '../../../kernel/context.js';
import { reviewDecided, reviewSubmitted } from '../../../kernel/review.js';
import type { ApplicationKind } from '../tables.js';

/**
 * Producer applications on the one review queue (信息审核, seed 000 art. 12; kernel/review.ts): every application —
 * registration (注册), change (变更), cancellation (注销), revocation (撤销) — submitted or resubmitted is a pending item;
 * the county's reviewers (`isReviewerOf`) decide it there or on the subject review page, either way through
 * `approve` / `reject` (the owner: review-owners.ts), and the other side follows in the same transaction. A
 * registration's record is the subject (its resubmissions return to the same item); the other kinds' record is the application itself. The
 * item's clock is the application's due date (5 working days, seed 001 第八条).
 */
export const SUBJECT_RESOURCE = 'subject';

export const KINDS: Record<ApplicationKind, { resource: string; zh: string; en: string; param: string }> = {
  register: { resource: SUBJECT_RESOURCE, zh: '生产经营主体注册', en: 'Producer registration', param: 'subject' },
  change: { resource: 'subject_change', zh: '主体变更申请', en: 'Producer change application', param: 'application' },
  cancel: {
    resource: 'subject_cancel',
    zh: '主体注销申请',
    en: 'Producer cancellation application',
    param: 'application',
  },
  revoke: {
    resource: 'subject_revoke',
    zh: '主体撤销申请',
    en: 'Producer revocation proposal',
    param: 'application',
  },
};

const recordOf = (app: { id: string; kind: ApplicationKind }, subjectId: string) =>
  app.kind === 'register' ? subjectId : app.id;

/** An application entered review: its queue item (the entering organisation and account, the application's due). */
export async function applicationSubmitted(
  ctx: Ctx<Actor | null>,
  app: { id: string; kind: ApplicationKind; due_date: string },
  s: { id: string; name: string; org_id: string; division_code: string },
  by: { orgId: string | null; collectorId: string | null },
) {
  const k = KINDS[app.kind];
  await reviewSubmitted(ctx, {
    resource: k.resource,
    resourceZh: k.zh,
    resourceEn: k.en,
    recordId: recordOf(app, s.id),
    label: s.name,
    orgId: by.orgId,
    collectorId: by.collectorId,
    divisionCode: s.division_code,
    dueDate: app.due_date,
  });
}

/** An application decided on the subject review page: its queue item is resolved with it. */
export async function applicationDecided(
  ctx: Ctx,
  app: { id: string; kind: ApplicationKind },
  subjectId: string,
  d: { action: 'approve' | 'return'; reasons: string[]; comment: string | null },
) {
  await reviewDecided(ctx, KINDS[app.kind].resource, recordOf(app, subjectId), d);
}
