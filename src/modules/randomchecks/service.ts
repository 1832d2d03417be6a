import { randomBytes } from 'node:crypto';
import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { RandomTaskKind } from '../../schema.js';
import * as regions from '../regions/service.js';
import { SEASON_LABELS, type Season } from '../risksampling/risk.js';
import * as risk from '../risksampling/service.js';
import { ALGORITHM, WEIGHTED_ALGORITHM, runDraw } from './draw.js';
import * as repo from './repo.js';
import {
  type Draw,
  type DrawInput,
  type DrawListQuery,
  type DrawSummary,
  TASK_KIND_LABELS,
  TASK_STATUS_LABELS,
  WEIGHTING_LABELS,
} from './schemas.js';
import type { DrawRisk } from './tables.js';

/**
 * Double-random checks (双随机, seed 001 art. 16 随机抽查; seed 004): a filtered pool of subjects × a pool of
 * inspectors, drawn with a seeded PRNG (draw.ts). The seed, the algorithm name and both pools (ids in the order
 * drawn from) are stored with the result, so `getRandomDraw` re-runs the draw and shows it reproduces. A
 * risk-weighted draw (风险分级, `weighting: 'risk'`) also stores each pool producer's weight — the shrunk failure rate
 * of its product × county × season from the risksampling module — and re-runs from those stored weights.
 */
const DRAW = ['抽查记录', 'Random draw'] as const;

export async function drawRandomChecks(ctx: Ctx, input: DrawInput): Promise<Draw> {
  const within = input.within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, within)) throw problems.outOfJurisdiction('抽查范围', 'draw area');
  if (input.within) await regions.assertExists(ctx, within, 'within');
  const per = input.inspectorsPerSubject ?? 2;
  const filter = {
    within,
    industries: input.industries ?? [],
    orgForms: input.orgForms ?? [],
    ...(input.originProducts ? { originProducts: input.originProducts } : {}),
  };
  const subjectPool = await repo.subjectPool(ctx.db, filter);
  if (subjectPool.length < input.subjectCount) {
    throw new Problem('DRAW_POOL_TOO_SMALL', {
      poolZh: '符合条件的主体',
      poolEn: 'subject pool',
      size: subjectPool.length,
      wanted: input.subjectCount,
      field: 'subjectCount',
    });
  }
  const roles = input.taskKind === 'patrol' ? ['supervisor', 'collector'] : ['inspector'];
  const inspectorPool = await repo.inspectorPool(ctx.db, ctx.actor.scope, roles, input.inspectorOrgIds);
  if (inspectorPool.length < per) {
    throw new Problem('DRAW_POOL_TOO_SMALL', {
      poolZh: input.taskKind === 'patrol' ? '可派检查人员' : '可派检测人员',
      poolEn: 'inspector pool',
      size: inspectorPool.length,
      wanted: per,
      field: 'inspectorsPerSubject',
    });
  }
  const seed = input.seed ?? randomBytes(16).toString('hex');
  const weighting = input.weighting ?? 'uniform';
  const riskBasis: DrawRisk | null = weighting === 'risk' ? await risk.subjectRisks(ctx, subjectPool, within) : null;
  const algorithm = riskBasis ? WEIGHTED_ALGORITHM : ALGORITHM;
  const result = runDraw({
    seed,
    subjectPool,
    inspectorPool,
    subjectCount: input.subjectCount,
    inspectorsPerSubject: per,
    weights: riskBasis?.weights,
  });
  const draw = await repo.insertDraw(ctx.db, {
    org_id: ctx.actor.orgId,
    division_code: within,
    title: input.title,
    task_kind: input.taskKind,
    seed,
    algorithm,
    subject_filter: JSON.stringify(filter),
    subject_pool: subjectPool,
    inspector_pool: inspectorPool,
    subject_count: input.subjectCount,
    inspectors_per_subject: per,
    result: JSON.stringify(result),
    weighting,
    risk: riskBasis ? JSON.stringify(riskBasis) : null,
    created_by: ctx.actor.id,
  });
  const subjects = new Map(
    (
      await repo.subjectsIn(
        ctx.db,
        result.map((r) => r.subjectId),
      )
    ).map((s) => [s.id, s]),
  );
  await repo.insertTasks(
    ctx.db,
    result.map((r) => ({
      draw_id: draw.id,
      kind: input.taskKind,
      subject_id: r.subjectId,
      division_code: subjects.get(r.subjectId)?.division_code ?? within,
      inspector_ids: r.inspectorIds,
    })),
  );
  await audit(ctx, {
    verb: 'randomcheck.draw',
    targetType: 'random_draw',
    targetId: draw.id,
    divisionCode: within,
    summary: {
      seed,
      algorithm,
      weighting,
      ...(riskBasis ? { season: riskBasis.season } : {}),
      subjectPool: subjectPool.length,
      inspectorPool: inspectorPool.length,
      subjectCount: input.subjectCount,
      per,
    },
  });
  return getDraw(ctx, draw.id);
}

export async function getDraw(ctx: Ctx, id: string): Promise<Draw> {
  const d = await repo.drawById(ctx.db, id);
  if (!d) throw problems.notFound(...DRAW);
  assertInScope(ctx.actor.scope, d.division_code, ...DRAW);
  const [tasks, rerun] = [
    await repo.tasksOf(ctx.db, id),
    runDraw({
      seed: d.seed,
      subjectPool: d.subject_pool,
      inspectorPool: d.inspector_pool,
      subjectCount: d.subject_count,
      inspectorsPerSubject: d.inspectors_per_subject,
      weights: d.risk?.weights,
    }),
  ];
  const weightOf = new Map(d.risk ? d.subject_pool.map((id, i) => [id, i]) : []);
  const subjects = new Map(
    (
      await repo.subjectsIn(
        ctx.db,
        tasks.map((t) => t.subject_id),
      )
    ).map((s) => [s.id, s]),
  );
  const people = new Map(
    (await repo.accountsIn(ctx.db, [...new Set(tasks.flatMap((t) => t.inspector_ids))])).map((a) => [a.id, a]),
  );
  return {
    id: d.id,
    title: d.title,
    taskKind: d.task_kind,
    taskKindZh: TASK_KIND_LABELS[d.task_kind].zh,
    taskKindEn: TASK_KIND_LABELS[d.task_kind].en,
    divisionCode: d.division_code,
    seed: d.seed,
    algorithm: d.algorithm,
    filter: d.subject_filter as Draw['filter'],
    subjectPool: d.subject_pool,
    inspectorPool: d.inspector_pool,
    subjectCount: d.subject_count,
    inspectorsPerSubject: d.inspectors_per_subject,
    weighting: d.weighting,
    weightingLabel: WEIGHTING_LABELS[d.weighting],
    risk: d.risk
      ? { ...d.risk, season: d.risk.season as Season, seasonLabel: SEASON_LABELS[d.risk.season as Season] }
      : null,
    createdAt: d.created_at.toISOString(),
    /** The stored result re-computed now from the stored seed and pools: true when identical. */
    reproducible: JSON.stringify(rerun) === JSON.stringify(d.result),
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      kindZh: TASK_KIND_LABELS[t.kind].zh,
      kindEn: TASK_KIND_LABELS[t.kind].en,
      status: t.status,
      statusZh: TASK_STATUS_LABELS[t.status].zh,
      statusEn: TASK_STATUS_LABELS[t.status].en,
      doneRef: t.done_ref,
      subjectId: t.subject_id,
      subjectName: subjects.get(t.subject_id)?.name ?? '',
      identityCode: subjects.get(t.subject_id)?.identity_code ?? null,
      divisionCode: t.division_code,
      inspectors: t.inspector_ids.map((i) => ({
        id: i,
        name: people.get(i)?.display_name ?? '',
        orgName: people.get(i)?.org_name ?? '',
      })),
      risk: (() => {
        const i = weightOf.get(t.subject_id);
        return d.risk && i !== undefined
          ? { weight: d.risk.weights[i], product: d.risk.basis[i]?.product ?? null }
          : null;
      })(),
    })),
  };
}

export async function listDraws(ctx: Ctx, q: DrawListQuery) {
  const page = await repo.listDraws(ctx.db, ctx.actor.scope, pageOf(q, { pageSize: 100 }));
  return mapPage(
    page,
    (d): DrawSummary => ({
      id: d.id,
      title: d.title,
      taskKind: d.task_kind,
      taskKindZh: TASK_KIND_LABELS[d.task_kind].zh,
      taskKindEn: TASK_KIND_LABELS[d.task_kind].en,
      divisionCode: d.division_code,
      seed: d.seed,
      subjectCount: d.subject_count,
      poolSize: d.subject_pool.length,
      weighting: d.weighting,
      weightingLabel: WEIGHTING_LABELS[d.weighting],
      createdAt: d.created_at.toISOString(),
    }),
  );
}

// ── drawn tasks, fulfilled by the patrols and monitoring modules ──

const NOT_OPEN: Record<RandomTaskKind, [string, string]> = {
  patrol: ['不是该主体待办的双随机巡查任务', 'is not an open random-check patrol task for this producer'],
  sampling: ['不是该主体待办的双随机抽样任务', 'is not an open random-check sampling task for this producer'],
};

/** The open drawn tasks of a kind for a producer (shown when its identity code is scanned). */
export async function openTasksOf(ctx: Ctx, subjectId: string, kind: RandomTaskKind) {
  return (await repo.openTasksOf(ctx.db, subjectId, kind)).map((t) => ({ id: t.id, drawId: t.draw_id }));
}

/**
 * Checks that `id` names an open drawn task of `kind` for this producer (400 naming `field` otherwise). With `lock`
 * the task row stays locked until the caller's transaction ends, so two records cannot both fulfil it.
 */
export async function requireOpenTask(
  ctx: Ctx,
  id: string,
  expect: { kind: RandomTaskKind; subjectId: string | null; field: string; lock?: boolean },
): Promise<void> {
  const task = await repo.taskById(ctx.db, id, expect.lock);
  if (!task || task.kind !== expect.kind || task.status !== 'open' || task.subject_id !== expect.subjectId)
    throw problems.invalid(expect.field, ...NOT_OPEN[expect.kind]);
}

/** Marks a drawn task done by the record that fulfilled it (a patrol or a sampling sheet). */
export async function completeTask(ctx: Ctx, id: string, ref: string): Promise<void> {
  await repo.completeTask(ctx.db, id, ref);
}
