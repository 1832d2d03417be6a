import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, Label, LiteralUnion, Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';
import type { Industry, SubjectOrgForm } from '../../schema.js';
import { PRODUCT_CODES as ORIGIN_PRODUCT_CODES } from '../originmap/schemas.js';
import { Season } from '../risksampling/schemas.js';
import {
  DRAW_WEIGHTINGS,
  type DrawWeighting,
  RANDOM_TASK_KINDS,
  RANDOM_TASK_STATUSES,
  type RandomTaskKind,
  type RandomTaskStatus,
} from './tables.js';

/** Request and response schemas of the double-random checks (双随机), and the types derived from them. */

export const TASK_KIND_LABELS: Record<RandomTaskKind, { zh: string; en: string }> = {
  patrol: { zh: '巡查', en: 'patrol' },
  sampling: { zh: '抽样检测', en: 'sampling test' },
};
export const TASK_STATUS_LABELS: Record<RandomTaskStatus, { zh: string; en: string }> = {
  open: { zh: '待办', en: 'open' },
  done: { zh: '已完成', en: 'done' },
};

/** The subject filters a draw accepts (the subjects module's enumerations). */
const INDUSTRY_FILTER = ['planting', 'livestock', 'fishery'] as const satisfies readonly Industry[];
const ORG_FORM_FILTER = [
  'enterprise',
  'cooperative',
  'family_farm',
  'individual',
] as const satisfies readonly SubjectOrgForm[];

export const TaskKind = LiteralUnion(RANDOM_TASK_KINDS, { description: 'patrol 巡查 · sampling 抽样检测' });
export const WEIGHTING_LABELS: Record<DrawWeighting, { zh: string; en: string }> = {
  uniform: { zh: '等概率', en: 'uniform' },
  risk: { zh: '按风险加权', en: 'risk-weighted' },
};
const Weighting = LiteralUnion(DRAW_WEIGHTINGS, {
  description:
    'uniform 等概率 (default) · risk 按风险加权: each producer weighted by the shrunk failure rate of its product × county × season',
});
const TaskStatus = LiteralUnion(RANDOM_TASK_STATUSES, { description: 'open 待办 · done 已完成' });

export const DrawInput = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 100 }),
    taskKind: TaskKind,
    seed: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'omit for a fresh random seed; give one to reproduce a public draw',
      }),
    ),
    within: Type.Optional(DivisionCode),
    industries: Type.Optional(Type.Array(LiteralUnion(INDUSTRY_FILTER), { uniqueItems: true })),
    orgForms: Type.Optional(Type.Array(LiteralUnion(ORG_FORM_FILTER), { uniqueItems: true })),
    originProducts: Type.Optional(
      Type.Array(LiteralUnion(ORIGIN_PRODUCT_CODES), {
        minItems: 1,
        uniqueItems: true,
        description:
          '从产地溯源“一张图”抽取 (seed 004 五(五)): only producers with an approved origin record of these key products',
      }),
    ),
    inspectorOrgIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
    subjectCount: Type.Integer({ minimum: 1, maximum: 1000 }),
    inspectorsPerSubject: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    weighting: Type.Optional(Weighting),
  },
  { additionalProperties: false },
);
export type DrawInput = Static<typeof DrawInput>;

export const DrawFilter = Type.Object({
  within: Type.String(),
  industries: Type.Array(Type.String()),
  orgForms: Type.Array(Type.String()),
  originProducts: Type.Optional(Type.Array(Type.String())),
});

export const DrawTask = Type.Object({
  id: Uuid,
  kind: TaskKind,
  kindZh: Type.String(),
  kindEn: Type.String(),
  status: TaskStatus,
  statusZh: Type.String(),
  statusEn: Type.String(),
  doneRef: Nullable(Uuid),
  subjectId: Uuid,
  subjectName: Type.String(),
  identityCode: Nullable(Type.String()),
  divisionCode: Type.String(),
  inspectors: Type.Array(Type.Object({ id: Uuid, name: Type.String(), orgName: Type.String() })),
  /** Risk-weighted draws: the producer's weight (shrunk failure rate, 0–1) and the product that set it. */
  risk: Nullable(Type.Object({ weight: Type.Number(), product: Nullable(Type.String()) })),
});

/** The basis of a risk-weighted draw, stored with it: weights aligned with the subject pool, season and history. */
export const DrawRisk = Type.Object({
  season: Season,
  seasonLabel: Label,
  historyFrom: Type.String(),
  historyTo: Type.String(),
  k: Type.Number(),
  weights: Type.Array(Type.Number()),
  basis: Type.Array(
    Type.Object({
      product: Nullable(Type.String()),
      region: Type.String(),
      samples: Type.Integer(),
      failed: Type.Integer(),
    }),
  ),
});

export const Draw = Type.Object({
  id: Uuid,
  title: Type.String(),
  taskKind: TaskKind,
  taskKindZh: Type.String(),
  taskKindEn: Type.String(),
  divisionCode: Type.String(),
  seed: Type.String(),
  algorithm: Type.String(),
  filter: DrawFilter,
  subjectPool: Type.Array(Uuid),
  inspectorPool: Type.Array(Uuid),
  subjectCount: Type.Integer(),
  inspectorsPerSubject: Type.Integer(),
  weighting: Weighting,
  weightingLabel: Label,
  risk: Nullable(DrawRisk),
  createdAt: DateTime,
  /** The stored result re-computed now from the stored seed and pools: true when identical. */
  reproducible: Type.Boolean(),
  tasks: Type.Array(DrawTask),
});
export type Draw = Static<typeof Draw>;

export const DrawSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  taskKind: TaskKind,
  taskKindZh: Type.String(),
  taskKindEn: Type.String(),
  divisionCode: Type.String(),
  seed: Type.String(),
  subjectCount: Type.Integer(),
  poolSize: Type.Integer(),
  weighting: Weighting,
  weightingLabel: Label,
  createdAt: DateTime,
});
export type DrawSummary = Static<typeof DrawSummary>;

export const DrawListQuery = Type.Object({ ...PageQuery });
export type DrawListQuery = Static<typeof DrawListQuery>;
export const DrawPage = Page(DrawSummary);

export const IdParams = Type.Object({ id: Uuid });
