import { inScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import * as repo from './repo.js';
import { JOB_STATUS_LABELS, type Job } from './schemas.js';

type JobRow = NonNullable<Awaited<ReturnType<typeof repo.byId>>>;

const dto = (j: JobRow): Job => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  statusZh: JOB_STATUS_LABELS[j.status].zh,
  statusEn: JOB_STATUS_LABELS[j.status].en,
  progress: j.progress,
  total: j.total,
  result: j.result,
  error: j.error,
  createdAt: j.created_at.toISOString(),
  updatedAt: j.updated_at.toISOString(),
});

/**
 * A job's progress and result: only the account that started it sees it (its result may hold that account's data);
 * jobs the platform starts itself (no account) are shown to information administrators whose jurisdiction holds
 * their division.
 */
export async function getJob(ctx: Ctx, id: string): Promise<Job> {
  const job = await repo.byId(ctx.db, id);
  const mine = job?.created_by === ctx.actor.id;
  const system =
    !!job &&
    job.created_by === null &&
    ctx.actor.roles.includes('info_admin') &&
    ctx.actor.orgKind !== 'producer' &&
    inScope(ctx.actor.scope, job.division_code);
  if (!job || !(mine || system)) throw problems.notFound('任务', 'Job');
  return dto(job);
}
