import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { deadlineFrom } from '../../kernel/calendar.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { stateFields } from '../../kernel/workflow.js';
import { recordCollectionBad } from '../credit/service.js';
import * as repo from './repo.js';
import type { BulkApprove, Decision, ReviewDetail, ReviewItem, ReviewQuery } from './schemas.js';
import {
  RETURN_REASONS,
  RETURN_REPEAT,
  REVIEW_DAYS,
  type ReturnReason,
  type ReviewWho,
  reviewWorkflow,
} from './states.js';

/**
 * Review of collected information as one mechanism (信息审核, seed 000 art. 12): every record of a resource the
 * catalogue marks as reviewed gets an item (the collection hook calls `recordCollected`); a reviewer approves or
 * returns it with reasons; the collector corrects the record in place through its own module (the hook sees the
 * correction and resubmits) or resubmits explicitly; nobody reviews their own entry; a filtered set can be approved
 * at once. The clock: REVIEW_DAYS Chinese working days from submission.
 */
const ITEM = ['审核事项', 'Review item'] as const;

const dueOf = (at: Date) => new Date(`${deadlineFrom(at, REVIEW_DAYS)}T23:59:59+08:00`);

/** Called by the collection hook in the write's transaction: a new record is queued, a corrected one resubmitted. */
export async function recordCollected(
  ctx: Ctx<Actor | null>,
  input: {
    resource: string;
    resourceZh: string;
    resourceEn: string;
    recordId: string;
    label: string;
    orgId: string | null;
    divisionCode: string;
    corrected: boolean;
  },
): Promise<void> {
  const now = new Date();
  const existing = await repo.itemOf(ctx.db, input.resource, input.recordId);
  if (!existing) {
    const row = await repo.insertItem(ctx.db, {
      resource: input.resource,
      resource_zh: input.resourceZh,
      resource_en: input.resourceEn,
      record_id: input.recordId,
      label: input.label,
      org_id: input.orgId,
      collector_id: ctx.actor?.id ?? null,
      division_code: input.divisionCode,
      due_at: dueOf(now),
    });
    await repo.insertEvent(ctx.db, { item_id: row.id, action: 'submit', actor_id: ctx.actor?.id ?? null });
    return;
  }
  if (!input.corrected || existing.state === 'pending') return;
  // Corrected in place after a return (or after approval: the change is reviewed again).
  await repo.updateItem(ctx.db, existing.id, {
    state: 'pending',
    submitted_at: now,
    due_at: dueOf(now),
    decided_at: null,
    decided_by: null,
  });
  await repo.insertEvent(ctx.db, { item_id: existing.id, action: 'resubmit', actor_id: ctx.actor?.id ?? null });
}

function visibility(actor: Actor): repo.Visibility {
  return actor.orgKind === 'producer' || actor.orgKind === 'service' ? { orgId: actor.orgId } : { scope: actor.scope };
}

function canSee(actor: Actor, r: repo.ItemRow) {
  const v = visibility(actor);
  return 'orgId' in v ? r.org_id === v.orgId : r.division_code.startsWith(v.scope);
}

function whoOf(actor: Actor, r: repo.ItemRow): ReviewWho[] {
  const out: ReviewWho[] = [];
  if (actor.verbs.has('review.decide') && canSee(actor, r) && r.collector_id !== actor.id) out.push('reviewer');
  if (r.org_id === actor.orgId) out.push('collector');
  return out;
}

function dto(actor: Actor, r: repo.ItemRow): ReviewItem {
  return {
    id: r.id,
    resource: r.resource,
    resourceZh: r.resource_zh,
    resourceEn: r.resource_en,
    recordId: r.record_id,
    label: r.label,
    divisionCode: r.division_code,
    state: r.state,
    ...stateFields(reviewWorkflow, r.state),
    reasons: r.reasons.map((c) => ({ code: c, ...(RETURN_REASONS[c as ReturnReason] ?? { zh: c, en: c }) })),
    comment: r.comment,
    returns: r.returns,
    submittedAt: r.submitted_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    overdue: r.state === 'pending' && r.due_at.getTime() < Date.now(),
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    ownEntry: r.collector_id === actor.id,
    allowedActions: reviewWorkflow.allowedActions(r.state, whoOf(actor, r)),
  };
}

export async function listReviews(ctx: Ctx, q: ReviewQuery) {
  const page = await repo.pageItems(
    ctx.db,
    visibility(ctx.actor),
    {
      state: q.state,
      resource: q.resource,
      divisionCode: q.divisionCode,
      overdueAt: q.overdue ? new Date() : undefined,
    },
    pageOf(q),
  );
  return mapPage(page, (r) => dto(ctx.actor, r));
}

async function find(ctx: Ctx, id: string, lock = false) {
  const r = await repo.itemById(ctx.db, id, lock);
  if (!r) throw problems.notFound(...ITEM);
  if (!canSee(ctx.actor, r)) throw problems.outOfJurisdiction(...ITEM);
  return r;
}

export async function getReview(ctx: Ctx, id: string): Promise<ReviewDetail> {
  const r = await find(ctx, id);
  const events = await repo.eventsOf(ctx.db, id);
  return {
    ...dto(ctx.actor, r),
    events: events.map((e) => {
      const a = e.action === 'submit' ? { zh: '提交', en: 'Submit' } : reviewWorkflow.actionLabel(e.action);
      return {
        action: e.action,
        actionZh: a.zh,
        actionEn: a.en,
        at: e.at.toISOString(),
        reasons: e.reasons,
        comment: e.comment,
      };
    }),
  };
}

export async function decide(ctx: Ctx, id: string, d: Decision): Promise<ReviewDetail> {
  const r = await find(ctx, id, true);
  if (r.collector_id === ctx.actor.id) throw new Problem('REVIEW_OWN_ENTRY');
  const t = reviewWorkflow.transition(r.state, d.action, whoOf(ctx.actor, r));
  const reasons = d.reasons ?? [];
  if (d.action === 'return' && !reasons.length && !d.comment?.trim())
    throw problems.invalid('reasons', '退回时须选择原因或填写意见', 'needs a reason or a comment when returning');
  const returns = r.returns + (d.action === 'return' ? 1 : 0);
  await repo.updateItem(ctx.db, r.id, {
    state: t.to,
    reasons: JSON.stringify(d.action === 'return' ? reasons : []),
    comment: d.action === 'return' ? (d.comment ?? null) : null,
    returns,
    decided_at: new Date(),
    decided_by: ctx.actor.id,
  });
  await repo.insertEvent(ctx.db, {
    item_id: r.id,
    action: d.action,
    actor_id: ctx.actor.id,
    reasons: JSON.stringify(reasons),
    comment: d.comment ?? null,
  });
  await audit(ctx, {
    verb: 'review.decide',
    targetType: 'review_item',
    targetId: r.id,
    divisionCode: r.division_code,
    summary: { action: d.action, resource: r.resource, recordId: r.record_id, reasons },
  });
  if (d.action === 'return' && returns >= RETURN_REPEAT && r.org_id)
    await recordCollectionBad(ctx, {
      orgId: r.org_id,
      collectorId: r.collector_id,
      divisionCode: r.division_code,
      sourceId: r.id,
      severity: 'minor',
      titleZh: `信息“${r.label}”被退回 ${returns} 次`,
      titleEn: `Record "${r.label}" returned ${returns} times`,
    });
  return getReview(ctx, id);
}

/** The collector resubmits a returned item (after correcting the record outside an update operation). */
export async function resubmit(ctx: Ctx, id: string): Promise<ReviewDetail> {
  const r = await find(ctx, id, true);
  const t = reviewWorkflow.transition(r.state, 'resubmit', whoOf(ctx.actor, r));
  const now = new Date();
  await repo.updateItem(ctx.db, r.id, {
    state: t.to,
    submitted_at: now,
    due_at: dueOf(now),
    decided_at: null,
    decided_by: null,
  });
  await repo.insertEvent(ctx.db, { item_id: r.id, action: 'resubmit', actor_id: ctx.actor.id });
  await audit(ctx, {
    verb: 'review.read',
    targetType: 'review_item',
    targetId: r.id,
    divisionCode: r.division_code,
    summary: { action: 'resubmit' },
  });
  return getReview(ctx, id);
}

/** Approves every pending item of a filtered set the caller may review (own entries are skipped and counted). */
export async function bulkApprove(ctx: Ctx, b: BulkApprove) {
  const rows = await repo.lockItems(
    ctx.db,
    visibility(ctx.actor),
    { state: 'pending', ids: b.ids, resource: b.resource, divisionCode: b.divisionCode },
    500,
  );
  let approved = 0;
  let skippedOwn = 0;
  const now = new Date();
  for (const r of rows) {
    if (r.collector_id === ctx.actor.id) {
      skippedOwn++;
      continue;
    }
    await repo.updateItem(ctx.db, r.id, {
      state: 'approved',
      reasons: '[]',
      comment: null,
      decided_at: now,
      decided_by: ctx.actor.id,
    });
    await repo.insertEvent(ctx.db, { item_id: r.id, action: 'approve', actor_id: ctx.actor.id });
    approved++;
  }
  await audit(ctx, {
    verb: 'review.decide',
    targetType: 'review_item',
    summary: { bulk: true, approved, skippedOwn, filter: b },
  });
  return { approved, skippedOwn };
}

/** The review item of one record, when the actor may see it (a record's page shows its state and reasons). */
export async function reviewOfRecord(ctx: Ctx, resource: string, recordId: string): Promise<ReviewItem | null> {
  const r = await repo.itemOf(ctx.db, resource, recordId);
  return r && canSee(ctx.actor, r) ? dto(ctx.actor, r) : null;
}

export const reasonList = () =>
  Object.entries(RETURN_REASONS).map(([code, l]) => ({ code: code as ReturnReason, ...l }));
