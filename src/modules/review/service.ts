import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { deadlineFrom } from '../../kernel/calendar.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { type ReviewSubmission, ownedReviewResources, reviewOwnerOf } from '../../kernel/review.js';
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

/** The end of a China date: a deadline day is whole. */
const endOfChinaDay = (date: string) => new Date(`${date}T23:59:59+08:00`);
const dueOf = (at: Date) => endOfChinaDay(deadlineFrom(at, REVIEW_DAYS));

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
    /** The account that entered the record (default: the caller). */
    collectorId?: string | null;
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
      collector_id: input.collectorId !== undefined ? input.collectorId : (ctx.actor?.id ?? null),
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

/**
 * Owner modules' records entered review (kernel/review.ts `reviewSubmitted`; one record, or an import's batch): a new
 * item each, or the returned/approved item back to pending. The clock is the owner's due date when it gives one (one
 * deadline: a registration's 5 working days, an origin record's review deadline); a pending item follows a changed one.
 */
export async function ownerSubmitted(ctx: Ctx<Actor | null>, list: readonly ReviewSubmission[]): Promise<void> {
  const now = new Date();
  const due = (s: ReviewSubmission) => (s.dueDate ? endOfChinaDay(s.dueDate) : dueOf(now));
  const byResource = new Map<string, ReviewSubmission[]>();
  for (const s of list) byResource.set(s.resource, [...(byResource.get(s.resource) ?? []), s]);
  for (const [resource, subs] of byResource) {
    const existing = new Map(
      (
        await repo.itemsOf(
          ctx.db,
          resource,
          subs.map((s) => s.recordId),
        )
      ).map((r) => [r.record_id, r]),
    );
    const fresh = subs.filter((s) => !existing.has(s.recordId));
    const inserted = await repo.insertItems(
      ctx.db,
      fresh.map((s) => ({
        resource,
        resource_zh: s.resourceZh,
        resource_en: s.resourceEn,
        record_id: s.recordId,
        label: s.label,
        org_id: s.orgId,
        collector_id: s.collectorId,
        division_code: s.divisionCode,
        due_at: due(s),
      })),
    );
    const events: { item_id: string; action: 'submit' | 'resubmit'; actor_id: string | null }[] = inserted.map((r) => ({
      item_id: r.id,
      action: 'submit',
      actor_id: ctx.actor?.id ?? null,
    }));
    for (const s of subs) {
      const r = existing.get(s.recordId);
      if (!r) continue;
      if (r.state === 'pending') {
        // Still pending: the clock follows the owner's deadline when it moved.
        if (s.dueDate && r.due_at.getTime() !== due(s).getTime())
          await repo.updateItem(ctx.db, r.id, { due_at: due(s) });
        continue;
      }
      await repo.updateItem(ctx.db, r.id, {
        state: 'pending',
        label: s.label,
        submitted_at: now,
        due_at: due(s),
        decided_at: null,
        decided_by: null,
      });
      events.push({ item_id: r.id, action: 'resubmit', actor_id: ctx.actor?.id ?? null });
    }
    await repo.insertEvents(ctx.db, events);
  }
}

/** Contexts inside a queue decision: the owner's own `reviewDecided` call back is then already taken care of. */
const deciding = new WeakSet<object>();

/**
 * The owner decided its record on its own page (kernel/review.ts `reviewDecided`): the pending item is resolved in the
 * same transaction, with the owner's reasons as written.
 */
export async function ownerDecided(
  ctx: Ctx,
  resource: string,
  recordId: string,
  d: { action: 'approve' | 'return'; reasons: string[]; comment: string | null },
): Promise<void> {
  if (deciding.has(ctx)) return;
  const r = await repo.itemOf(ctx.db, resource, recordId);
  if (!r || r.state !== 'pending') return;
  const t = reviewWorkflow.transition(r.state, d.action, ['reviewer']);
  await repo.updateItem(ctx.db, r.id, {
    state: t.to,
    reasons: JSON.stringify(d.action === 'return' ? d.reasons : []),
    comment: d.action === 'return' ? d.comment : null,
    returns: r.returns + (d.action === 'return' ? 1 : 0),
    decided_at: new Date(),
    decided_by: ctx.actor.id,
  });
  await repo.insertEvent(ctx.db, {
    item_id: r.id,
    action: d.action,
    actor_id: ctx.actor.id,
    reasons: JSON.stringify(d.reasons),
    comment: d.comment,
  });
  await audit(ctx, {
    verb: 'review.decide',
    targetType: 'review_item',
    targetId: r.id,
    divisionCode: r.division_code,
    summary: { action: d.action, resource, recordId, atOwner: true },
  });
}

/**
 * Who sees which items: producers and service agencies their organisation's; agencies their jurisdiction's — but the
 * items of an owner-reviewed resource (registrations, origin records) only those who review it there (the owner says
 * who: county regulators), or the organisation that entered them.
 */
function visibility(actor: Actor): repo.Visibility {
  if (actor.orgKind === 'producer' || actor.orgKind === 'service') return { orgId: actor.orgId };
  const hidden = ownedReviewResources().filter((res) => !reviewOwnerOf(res)?.reviews(actor));
  return { scope: actor.scope, hidden, orgId: actor.orgId };
}

function canSee(actor: Actor, r: repo.ItemRow) {
  const v = visibility(actor);
  if (!('scope' in v)) return r.org_id === v.orgId;
  return r.division_code.startsWith(v.scope) && (!v.hidden.includes(r.resource) || r.org_id === v.orgId);
}

function whoOf(actor: Actor, r: repo.ItemRow): ReviewWho[] {
  const out: ReviewWho[] = [];
  const owner = reviewOwnerOf(r.resource);
  const mayDecide = owner ? owner.mayReview(actor, r.division_code) : actor.verbs.has('review.decide');
  if (mayDecide && canSee(actor, r) && r.collector_id !== actor.id) out.push('reviewer');
  // An owner-reviewed record is corrected and resubmitted on its own page (the owner's state table).
  if (r.org_id === actor.orgId && !owner) out.push('collector');
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
    link: reviewOwnerOf(r.resource)?.link(r.record_id) ?? null,
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

/** Catalogue-reviewed items are decided by holders of review.decide; owner-reviewed ones by whom the owner says. */
function assertMayDecide(actor: Actor, r: repo.ItemRow | undefined) {
  const owner = r && reviewOwnerOf(r.resource);
  if (owner ? !owner.reviews(actor) : !actor.verbs.has('review.decide'))
    throw new Problem('FORBIDDEN_VERB', { verb: 'review.decide' });
}

export async function decide(ctx: Ctx, id: string, d: Decision): Promise<ReviewDetail> {
  assertMayDecide(ctx.actor, await repo.itemById(ctx.db, id));
  const r = await find(ctx, id, true);
  if (r.collector_id === ctx.actor.id) throw new Problem('REVIEW_OWN_ENTRY');
  const t = reviewWorkflow.transition(r.state, d.action, whoOf(ctx.actor, r));
  const reasons = d.reasons ?? [];
  if (d.action === 'return' && !reasons.length && !d.comment?.trim())
    throw problems.invalid('reasons', '退回时须选择原因或填写意见', 'needs a reason or a comment when returning');
  const returns = r.returns + (d.action === 'return' ? 1 : 0);
  const owner = reviewOwnerOf(r.resource);
  // The owner's transition first (its rules, its audit, its notices): the item follows in the same transaction.
  if (owner)
    await asQueueDecision(ctx, () =>
      owner.decide(ctx, r.record_id, {
        action: d.action === 'approve' ? 'approve' : 'return',
        reasons: reasons.map((c) => ({ code: c, ...RETURN_REASONS[c as ReturnReason] })),
        comment: d.comment?.trim() || null,
      }),
    );
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
  // Repeated returns of an owner's record are the owner's to charge (origin records: originmap).
  if (d.action === 'return' && returns >= RETURN_REPEAT && r.org_id && !owner)
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

async function asQueueDecision(ctx: Ctx, fn: () => Promise<void>) {
  deciding.add(ctx);
  try {
    await fn();
  } finally {
    deciding.delete(ctx);
  }
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
  const owned = ownedReviewResources().filter((res) => reviewOwnerOf(res)?.reviews(ctx.actor));
  if (!ctx.actor.verbs.has('review.decide') && !owned.length)
    throw new Problem('FORBIDDEN_VERB', { verb: 'review.decide' });
  const rows = await repo.lockItems(
    ctx.db,
    visibility(ctx.actor),
    { state: 'pending', ids: b.ids, resource: b.resource, divisionCode: b.divisionCode },
    500,
  );
  let approved = 0;
  let skippedOwn = 0;
  let refused = 0;
  const now = new Date();
  for (const r of rows) {
    if (r.collector_id === ctx.actor.id) {
      skippedOwn++;
      continue;
    }
    const owner = reviewOwnerOf(r.resource);
    if (owner ? !owner.mayReview(ctx.actor, r.division_code) : !ctx.actor.verbs.has('review.decide')) {
      refused++;
      continue;
    }
    if (owner)
      try {
        // Each on the owner's rules; a refusal comes from its checks, before its first write.
        await asQueueDecision(ctx, () =>
          owner.decide(ctx, r.record_id, { action: 'approve', reasons: [], comment: null }),
        );
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        refused++;
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
    summary: { bulk: true, approved, skippedOwn, refused, filter: b },
  });
  return { approved, skippedOwn, ...(refused ? { refused } : {}) };
}

/** The review item of one record, when the actor may see it (a record's page shows its state and reasons). */
export async function reviewOfRecord(ctx: Ctx, resource: string, recordId: string): Promise<ReviewItem | null> {
  const r = await repo.itemOf(ctx.db, resource, recordId);
  return r && canSee(ctx.actor, r) ? dto(ctx.actor, r) : null;
}

export const reasonList = () =>
  Object.entries(RETURN_REASONS).map(([code, l]) => ({ code: code as ReturnReason, ...l }));
