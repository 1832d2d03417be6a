import type { Actor, Ctx } from '../../../kernel/context.js';
import { Problem } from '../../../kernel/problems.js';
import { type ReviewOwner, reviewSubmitted } from '../../../kernel/review.js';
import * as repo from '../repo.js';
import { isReviewerOf, subjectFlow } from '../states.js';
import { approve, reject } from './review.js';

/**
 * Producer registrations on the one review queue (信息审核, seed 000 art. 12; kernel/review.ts): a registration
 * submitted or resubmitted is a pending item of resource `subject` (record = the subject); the county's reviewers
 * (`isReviewerOf`) decide it there or on the subject review page — either way through `approve` / `reject` here, and
 * the other side follows in the same transaction.
 */
export const SUBJECT_RESOURCE = 'subject';

export async function registrationSubmitted(
  ctx: Ctx<Actor | null>,
  s: { id: string; name: string; org_id: string; division_code: string },
  collectorId: string | null,
) {
  await reviewSubmitted(ctx, {
    resource: SUBJECT_RESOURCE,
    resourceZh: '生产经营主体注册',
    resourceEn: 'Producer registration',
    recordId: s.id,
    label: s.name,
    orgId: s.org_id,
    collectorId,
    divisionCode: s.division_code,
  });
}

/** The registration application awaiting decision of a subject (409 when there is none). */
async function pendingRegistration(ctx: Ctx, subjectId: string) {
  const apps = await repo.applicationsOf(ctx.db, subjectId);
  const app = apps.find((a) => a.kind === 'register' && a.status === 'pending');
  if (!app) {
    const s = await repo.byId(ctx.db, subjectId);
    const st = subjectFlow.stateLabel(s?.status ?? 'pending');
    throw new Problem('INVALID_STATE', { stateZh: st.zh, stateEn: st.en, actionZh: '审核', actionEn: 'review' });
  }
  return app;
}

export const subjectReviewOwner: ReviewOwner = {
  async decide(ctx, subjectId, d) {
    const app = await pendingRegistration(ctx, subjectId);
    if (d.action === 'approve') {
      await approve(ctx, app.id, d.comment);
      return;
    }
    // The queue's reasons (its list's wording) and comment become the registration's rejection reasons.
    const reasons = d.reasons.map((r) => ({ reason: r.zh }));
    if (d.comment) reasons.push({ reason: d.comment });
    await reject(ctx, app.id, reasons, d.comment);
  },
  mayReview: (actor, divisionCode) => isReviewerOf(actor, divisionCode),
  reviews: (actor) => isReviewerOf(actor, actor.scope),
  link: () => '/subject-reviews',
};
