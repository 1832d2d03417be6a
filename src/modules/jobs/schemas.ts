import type { Selectable } from 'kysely';
import { type Static, type TSchema, Type } from 'typebox';
import { LiteralUnion, Nullable, Uuid } from '../../kernel/schemas.js';
import type { JobTable } from '../../schema.js';

/** Job states (the kernel's job table), declared once with their labels. */
export const JOB_STATUSES = [
  'queued',
  'running',
  'done',
  'failed',
] as const satisfies readonly Selectable<JobTable>['status'][];
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_STATUS_LABELS: Record<JobStatus, { zh: string; en: string }> = {
  queued: { zh: '排队中', en: 'queued' },
  running: { zh: '进行中', en: 'running' },
  done: { zh: '已完成', en: 'done' },
  failed: { zh: '失败', en: 'failed' },
};

export const JobParams = Type.Object({ id: Uuid });
export type JobParams = Static<typeof JobParams>;

const jobFields = {
  id: Uuid,
  status: LiteralUnion(JOB_STATUSES),
  statusZh: Type.String(),
  statusEn: Type.String(),
  progress: Type.Integer(),
  total: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

/** A job of any kind; `result` is what the kind's handler returned (null until done). */
export const Job = Type.Object({ ...jobFields, kind: Type.String(), result: Type.Unknown() });
export type Job = Static<typeof Job>;

/**
 * The job schema typed per kind: one member per job kind that declares its result schema (discriminated by `kind`),
 * then any other kind with an untyped result.
 */
export function JobOfKinds(results: ReadonlyMap<string, TSchema>) {
  if (!results.size) return Job;
  const typed = [...results]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, result]) =>
      Type.Object({ ...jobFields, kind: Type.Literal(kind), result: Nullable(result) }, { title: `Job ${kind}` }),
    );
  return Type.Union([...typed, Job]);
}
