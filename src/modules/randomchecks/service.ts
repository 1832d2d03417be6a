import { randomBytes } from 'node:crypto';
import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as regions from '../regions/service.js';
import { ALGORITHM, runDraw } from './draw.js';
import * as repo from './repo.js';

/**
 * Double-random checks (双随机, seed 001 art. 16 随机抽查; seed 004): a filtered pool of subjects × a pool of
 * inspectors, drawn with a seeded PRNG (draw.ts). The seed, the algorithm name and both pools (ids in the order
 * drawn from) are stored with the result, so `getRandomDraw` re-runs the draw and shows it reproduces.
 */
const DRAW = ['抽查记录', 'Random draw'] as const;

export interface DrawRequest {
  title: string;
  taskKind: 'patrol' | 'sampling';
  seed?: string;
  within?: string;
  industries?: ('planting' | 'livestock' | 'fishery')[];
  orgForms?: ('enterprise' | 'cooperative' | 'family_farm' | 'individual')[];
  inspectorOrgIds?: string[];
  subjectCount: number;
  inspectorsPerSubject?: number;
}

export async function drawRandomChecks(ctx: Ctx, input: DrawRequest) {
  const within = input.within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, within)) throw problems.outOfJurisdiction('抽查范围', 'draw area');
  if (input.within) await regions.assertExists(ctx, within, 'within');
  const per = input.inspectorsPerSubject ?? 2;
  const filter = { within, industries: input.industries ?? [], orgForms: input.orgForms ?? [] };
  const subjectPool = await repo.subjectPool(ctx.db, filter);
  if (subjectPool.length < input.subjectCount) {
    throw new Problem('DRAW_POOL_TOO_SMALL', { poolZh: '符合条件的主体', poolEn: 'subject pool', size: subjectPool.length, wanted: input.subjectCount, field: 'subjectCount' });
  }
  const roles = input.taskKind === 'patrol' ? ['supervisor', 'collector'] : ['inspector'];
  const inspectorPool = await repo.inspectorPool(ctx.db, ctx.actor.scope, roles, input.inspectorOrgIds);
  if (inspectorPool.length < per) {
    throw new Problem('DRAW_POOL_TOO_SMALL', { poolZh: input.taskKind === 'patrol' ? '可派检查人员' : '可派检测人员', poolEn: 'inspector pool', size: inspectorPool.length, wanted: per, field: 'inspectorsPerSubject' });
  }
  const seed = input.seed ?? randomBytes(16).toString('hex');
  const result = runDraw({ seed, subjectPool, inspectorPool, subjectCount: input.subjectCount, inspectorsPerSubject: per });
  const draw = await repo.insertDraw(ctx.db, {
    org_id: ctx.actor.orgId, division_code: within, title: input.title, task_kind: input.taskKind, seed, algorithm: ALGORITHM,
    subject_filter: JSON.stringify(filter), subject_pool: subjectPool, inspector_pool: inspectorPool, subject_count: input.subjectCount,
    inspectors_per_subject: per, result: JSON.stringify(result), created_by: ctx.actor.id,
  });
  const subjects = new Map((await repo.subjectsIn(ctx.db, result.map((r) => r.subjectId))).map((s) => [s.id, s]));
  await repo.insertTasks(ctx.db, result.map((r) => ({ draw_id: draw.id, kind: input.taskKind, subject_id: r.subjectId, division_code: subjects.get(r.subjectId)?.division_code ?? within, inspector_ids: r.inspectorIds })));
  await audit(ctx, { verb: 'randomcheck.draw', targetType: 'random_draw', targetId: draw.id, divisionCode: within, summary: { seed, algorithm: ALGORITHM, subjectPool: subjectPool.length, inspectorPool: inspectorPool.length, subjectCount: input.subjectCount, per } });
  return getDraw(ctx, draw.id);
}

export async function getDraw(ctx: Ctx, id: string) {
  const d = await repo.drawById(ctx.db, id);
  if (!d) throw problems.notFound(...DRAW);
  assertInScope(ctx.actor.scope, d.division_code, ...DRAW);
  const [tasks, rerun] = [await repo.tasksOf(ctx.db, id), runDraw({ seed: d.seed, subjectPool: d.subject_pool, inspectorPool: d.inspector_pool, subjectCount: d.subject_count, inspectorsPerSubject: d.inspectors_per_subject })];
  const subjects = new Map((await repo.subjectsIn(ctx.db, tasks.map((t) => t.subject_id))).map((s) => [s.id, s]));
  const people = new Map((await repo.accountsIn(ctx.db, [...new Set(tasks.flatMap((t) => t.inspector_ids))])).map((a) => [a.id, a]));
  return {
    id: d.id,
    title: d.title,
    taskKind: d.task_kind,
    divisionCode: d.division_code,
    seed: d.seed,
    algorithm: d.algorithm,
    filter: d.subject_filter,
    subjectPool: d.subject_pool,
    inspectorPool: d.inspector_pool,
    subjectCount: d.subject_count,
    inspectorsPerSubject: d.inspectors_per_subject,
    createdAt: d.created_at.toISOString(),
    /** The stored result re-computed now from the stored seed and pools: true when identical. */
    reproducible: JSON.stringify(rerun) === JSON.stringify(d.result),
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      status: t.status,
      doneRef: t.done_ref,
      subjectId: t.subject_id,
      subjectName: subjects.get(t.subject_id)?.name ?? '',
      identityCode: subjects.get(t.subject_id)?.identity_code ?? null,
      divisionCode: t.division_code,
      inspectors: t.inspector_ids.map((i) => ({ id: i, name: people.get(i)?.display_name ?? '', orgName: people.get(i)?.org_name ?? '' })),
    })),
  };
}

export async function listDraws(ctx: Ctx) {
  const rows = await repo.listDraws(ctx.db, ctx.actor.scope, 100);
  return rows.map((d) => ({ id: d.id, title: d.title, taskKind: d.task_kind, divisionCode: d.division_code, seed: d.seed, subjectCount: d.subject_count, poolSize: d.subject_pool.length, createdAt: d.created_at.toISOString() }));
}
