import type { Ctx } from '../../../kernel/context.js';
import { Problem } from '../../../kernel/problems.js';
import type { ReviewOwner } from '../../../kernel/review.js';
import * as repo from '../repo.js';
import { isReviewerOf, subjectFlow } from '../states.js';
import type { ApplicationKind } from '../tables.js';
import { KINDS } from './review-queue.js';
import { approve, reject } from './review.js';

/**
 * The subjects module as owner of its review-queue items (kernel/review.ts): deciding an item on the queue performs
 * the application's own `approve` / `reject` (review.ts), which marks the item decided (review-queue.ts).
 */
/** The registration application awaiting decision of a subject (409 when there is none). */
async function pendingRegistration(ctx: Ctx, subjectId: string) {
  const apps = await repo.applicationsOf(ctx.db, subjectId);
  const app = apps.find((a) => a.kind === 'register' && a.status === 'pending');
  if (!app) {
    const s = await repo.byId(ctx.db, subjectId);
    const st = subjectFlow.stateLabel(s?.status ?? 'pending');
    throw new Problem('INVALID_STATE', { stateZh: st.zh, stateEn: st.en, actionZh: '审核', actionEn: 'review' });
  }
  return app.id;
}

function ownerOf(kind: ApplicationKind): ReviewOwner {
  return {
    async decide(ctx, recordId, d) {
      // approve / reject refuse an application no longer pending (409) and one out of the reviewer's county.
      const appId = kind === 'register' ? await pendingRegistration(ctx, recordId) : recordId;
      if (d.action === 'approve') {
        await approve(ctx, appId, d.comment);
        return;
      }
      // The queue's reasons (its list's wording) and comment become the application's rejection reasons.
      const reasons = d.reasons.map((r) => ({ reason: r.zh }));
      if (d.comment) reasons.push({ reason: d.comment });
      await reject(ctx, appId, reasons, d.comment);
    },
    mayReview: (actor, divisionCode) => isReviewerOf(actor, divisionCode),
    reviews: (actor) => isReviewerOf(actor, actor.scope),
    // The review page opened on the record (its drawer).
    link: (recordId) => `/subject-reviews?${KINDS[kind].param}=${recordId}`,
  };
}

/** The owners of the four kinds' queue items (ModuleDef.reviewOwners). */
export const subjectReviewOwners: Record<string, ReviewOwner> = Object.fromEntries(
  (Object.keys(KINDS) as ApplicationKind[]).map((k) => [KINDS[k].resource, ownerOf(k)]),
);
