import { assertInScope } from '../../../kernel/auth/scope.js';
import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { enqueue } from '../../../kernel/jobs.js';
import { pageOf } from '../../../kernel/paging.js';
import { problems } from '../../../kernel/problems.js';
import * as repo from '../repo.js';
import { FLAG_KIND_LABELS, type Flag, type FlagQuery } from '../schemas.js';
import { flagFlow, whoIsForFlag } from '../states.js';

/** Patrol flags (巡查提示) tracked to resolution, and the patrol's notifications. */
const FLAG = ['巡查标记', 'Flag'] as const;

export async function listFlags(ctx: Ctx, q: FlagQuery) {
  const page = await repo.listFlags(
    ctx.db,
    { scope: ctx.actor.scope, within: q.within, status: q.status, kind: q.kind },
    pageOf(q),
  );
  return {
    ...page,
    items: page.items.map((f): Flag => {
      const status = flagFlow.stateLabel(f.status);
      return {
        id: f.id,
        recordId: f.record_id,
        kind: f.kind,
        kindName: FLAG_KIND_LABELS[f.kind].zh,
        kindNameEn: FLAG_KIND_LABELS[f.kind].en,
        detail: f.detail,
        divisionCode: f.division_code,
        divisionName: f.division_name ?? '',
        status: f.status,
        statusName: status.zh,
        statusNameEn: status.en,
        subjectName: f.subject_name,
        productCode: f.product_code,
        createdAt: f.created_at.toISOString(),
        resolvedAt: f.resolved_at?.toISOString() ?? null,
        resolution: f.resolution,
        allowedActions: flagFlow.allowedActions(f.status, whoIsForFlag(ctx.actor, f.division_code)),
      };
    }),
  };
}

export async function resolveFlag(ctx: Ctx, id: string, resolution: string) {
  const f = await repo.flagById(ctx.db, id);
  if (!f) throw problems.notFound(...FLAG);
  assertInScope(ctx.actor.scope, f.division_code, ...FLAG);
  const t = flagFlow.transition(f.status, 'resolve', whoIsForFlag(ctx.actor, f.division_code));
  const text = resolution.trim();
  if (!text) throw problems.invalid('resolution', '须写明处理结果', 'must say how the flag was resolved');
  await repo.resolveFlag(ctx.db, id, ctx.actor.id, text);
  await audit(ctx, {
    verb: 'origin.review',
    targetType: 'origin_flag',
    targetId: id,
    divisionCode: f.division_code,
    summary: { action: 'resolve', resolution: text },
  });
  return { id, status: t.to, resolution: text };
}

/** Notifications for me: addressed to my account, or to my organisation's division when I review. */
export async function listNotifications(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const page = await repo.listNotifications(
    ctx.db,
    {
      accountId: ctx.actor.id,
      division: ctx.actor.verbs.has('origin.review') ? ctx.actor.scope : undefined,
    },
    pageOf(q),
  );
  return {
    ...page,
    items: page.items.map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      flagCount: n.flag_count,
      toDivision: n.division_code,
      createdAt: n.created_at.toISOString(),
      read: !!n.read_at,
    })),
  };
}

/** Queues a patrol now (it also runs on its own every 6 hours). */
export async function runPatrolNow(ctx: Ctx) {
  const job = await enqueue(ctx, 'origin.patrol', {});
  return { jobId: job.id };
}
