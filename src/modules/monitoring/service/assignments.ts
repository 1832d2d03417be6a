import { inScope } from '../../../kernel/auth/scope.js';
import type { Ctx } from '../../../kernel/context.js';
import { mapPage, pageOf } from '../../../kernel/paging.js';
import { problems } from '../../../kernel/problems.js';
import * as repo from '../repo.js';
import { type Assignment, type AssignmentListQuery, KINDS } from '../schemas.js';
import { samplerRoles, taskWorkflow } from '../states.js';

/** Assignments (监测任务分配): a testing organisation's share of a task, where its samplers take samples. */
const ASSIGNMENT = ['监测任务分配', 'Assignment'] as const;

/** An assignment the caller may act on: a lab its own; other agencies (platform administrators) by jurisdiction. */
export async function loadAssignment(ctx: Ctx, id: string) {
  const a = await repo.assignmentById(ctx.db, id);
  if (!a) throw problems.notFound(...ASSIGNMENT);
  if (
    ctx.actor.orgKind === 'testing' ? a.testing_org_id !== ctx.actor.orgId : !inScope(ctx.actor.scope, a.division_code)
  )
    throw problems.outOfJurisdiction(...ASSIGNMENT);
  return a;
}

/** The open assignments of my testing organisation, soonest deadline first. */
export async function myAssignments(ctx: Ctx, q: AssignmentListQuery) {
  const page = await repo.myAssignments(ctx.db, ctx.actor.orgId, pageOf(q, { pageSize: 200 }));
  return mapPage(
    page,
    (a): Assignment => ({
      id: a.id,
      taskId: a.task_id,
      taskCode: a.task_code,
      taskTitle: a.task_title,
      taskKind: a.task_kind,
      taskKindZh: KINDS[a.task_kind].zh,
      taskKindEn: KINDS[a.task_kind].en,
      products: a.task_products,
      divisionCode: a.division_code,
      quantity: a.quantity,
      deadline: a.deadline,
      sampled: Number(a.sampled ?? 0),
      allowedActions: taskWorkflow.allowedActions(a.task_status, samplerRoles(ctx.actor)),
    }),
  );
}
