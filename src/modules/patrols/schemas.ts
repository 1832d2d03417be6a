import { SharedFromProps } from '../../kernel/shared-lists.js';
import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';
import { PATROL_ACTIONS } from './states.js';
import {
  PATROL_RESULTS,
  PATROL_STATUSES,
  PATROL_TARGETS,
  PLAN_PERIODS,
  type PatrolResult,
  type PatrolTarget,
  type PlanPeriod,
} from './tables.js';

/** Request and response schemas of patrols (巡查), and the types derived from them. */

export const TARGET_LABELS: Record<PatrolTarget, { zh: string; en: string }> = {
  base: { zh: '基地', en: 'production base' },
  subject: { zh: '主体', en: 'producer' },
  input_dealer: { zh: '农资经营店', en: 'input dealer' },
};
export const RESULT_LABELS: Record<PatrolResult, { zh: string; en: string }> = {
  pass: { zh: '合格', en: 'pass' },
  fail: { zh: '不合格', en: 'fail' },
  rectify: { zh: '限期整改', en: 'rectify by a deadline' },
};
export const PERIOD_LABELS: Record<PlanPeriod, { zh: string; en: string }> = {
  year: { zh: '年度', en: 'year' },
  quarter: { zh: '季度', en: 'quarter' },
  month: { zh: '月度', en: 'month' },
};

const Lng = Type.Number({ minimum: 73, maximum: 136 });
const Lat = Type.Number({ minimum: 3, maximum: 54 });
const DateOnly = Type.String({ format: 'date' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const FileRef = Type.Object({ id: Uuid, name: Type.String(), mime: Type.String() });
export const Target = LiteralUnion(PATROL_TARGETS, {
  description: 'base 基地 · subject 主体 · input_dealer 农资经营店',
});
const Result = LiteralUnion(PATROL_RESULTS, { description: 'pass 合格 · fail 不合格 · rectify 限期整改' });
const Status = LiteralUnion(PATROL_STATUSES, {
  description: 'in_progress 巡查中 · passed 合格 · failed 不合格 · rectifying 限期整改 · closed 整改完成',
});
const Period = LiteralUnion(PLAN_PERIODS, { description: 'year 年度 · quarter 季度 · month 月度' });
const TemplateItem = Type.Object({
  code: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  critical: Type.Boolean(),
});

export const IdParams = Type.Object({ id: Uuid });

// ── templates and plans ──
export const Template = Type.Object({
  id: Uuid,
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  target: Target,
  targetZh: Type.String(),
  targetEn: Type.String(),
  items: Type.Array(TemplateItem),
});
export type Template = Static<typeof Template>;
export const TemplateListQuery = Type.Object({ ...PageQuery });
export type TemplateListQuery = Static<typeof TemplateListQuery>;

export const Plan = Type.Object({
  id: Uuid,
  orgId: Uuid,
  orgName: Type.String(),
  divisionCode: Type.String(),
  year: Type.Integer(),
  period: Period,
  periodZh: Type.String(),
  periodEn: Type.String(),
  periodNo: Type.Integer(),
  target: Type.Integer(),
  title: Type.String(),
  done: Type.Integer(),
});
export type Plan = Static<typeof Plan>;
export const PlanListQuery = Type.Object({ year: Year, ...PageQuery });
export type PlanListQuery = Static<typeof PlanListQuery>;
export const PlanInput = Type.Object(
  {
    year: Year,
    period: Period,
    periodNo: Type.Optional(Type.Integer({ minimum: 0, maximum: 12 })),
    target: Type.Integer({ minimum: 1, maximum: 100000 }),
    title: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type PlanInput = Static<typeof PlanInput>;

// ── scan ──
export const ScanQuery = Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) });
export const ScanResult = Type.Object({
  subject: Type.Object({
    id: Uuid,
    name: Type.String(),
    divisionCode: Type.String(),
    identityCode: Nullable(Type.String()),
    status: Type.String(),
    statusZh: Type.String(),
    statusEn: Type.String(),
    orgForm: Type.String(),
    industries: Type.Array(Type.String()),
    contactName: Type.String(),
    contactPhone: Type.String(),
    address: Type.String(),
  }),
  credit: Type.Object({
    grade: Type.String(),
    gradeZh: Type.String(),
    gradeEn: Type.String(),
    points: Type.Integer(),
    repeatOffender: Type.Boolean(),
  }),
  openTasks: Type.Array(Type.Object({ id: Uuid, drawId: Uuid })),
  recentPatrols: Type.Array(
    Type.Object({
      id: Uuid,
      status: Status,
      statusZh: Type.String(),
      statusEn: Type.String(),
      startedAt: DateTime,
      inspectorName: Type.String(),
    }),
  ),
});
export type ScanResult = Static<typeof ScanResult>;

// ── patrols ──
export const Patrol = Type.Object({
  id: Uuid,
  orgId: Uuid,
  orgName: Type.String(),
  divisionCode: Type.String(),
  subjectId: Uuid,
  subjectName: Type.String(),
  identityCode: Nullable(Type.String()),
  target: Target,
  targetZh: Type.String(),
  targetEn: Type.String(),
  templateId: Uuid,
  templateName: Type.String(),
  templateNameEn: Type.String(),
  templateItems: Type.Array(TemplateItem),
  planId: Nullable(Uuid),
  taskId: Nullable(Uuid),
  inspectorId: Uuid,
  inspectorName: Type.String(),
  status: Status,
  statusZh: Type.String(),
  statusEn: Type.String(),
  result: Nullable(Result),
  resultZh: Nullable(Type.String()),
  resultEn: Nullable(Type.String()),
  checklist: Type.Array(Type.Object({ code: Type.String(), ok: Type.Boolean(), note: Nullable(Type.String()) })),
  findings: Nullable(Type.String()),
  photos: Type.Array(FileRef),
  videos: Type.Array(FileRef),
  signature: Nullable(FileRef),
  signerName: Nullable(Type.String()),
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
  accuracyM: Nullable(Type.Number()),
  rectifyDeadline: Nullable(Type.String({ format: 'date' })),
  startedAt: DateTime,
  submittedAt: Nullable(DateTime),
  followUpNote: Nullable(Type.String()),
  followUpPhotos: Type.Array(FileRef),
  closedAt: Nullable(DateTime),
  /** What the caller may do next (the state table, server-side). */
  allowedActions: Type.Array(LiteralUnion(PATROL_ACTIONS)),
  ...SharedFromProps,
});
export type Patrol = Static<typeof Patrol>;

export const PatrolListQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  status: Type.Optional(Status),
  subjectId: Type.Optional(Uuid),
  ...PageQuery,
});
export type PatrolListQuery = Static<typeof PatrolListQuery>;
export const PatrolPage = Page(Patrol);

export const StartInput = Type.Object(
  {
    identityCode: Type.String({ minLength: 1, maxLength: 300 }),
    target: Type.Optional(Target),
    templateId: Type.Optional(Uuid),
    planId: Type.Optional(Uuid),
    taskId: Type.Optional(Uuid),
    longitude: Type.Optional(Lng),
    latitude: Type.Optional(Lat),
    accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
);
export type StartInput = Static<typeof StartInput>;

export const SubmitInput = Type.Object(
  {
    result: Result,
    checklist: Type.Array(
      Type.Object(
        {
          code: Type.String({ maxLength: 40 }),
          ok: Type.Boolean(),
          note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    findings: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    photoIds: Type.Optional(
      Type.Array(Uuid, { maxItems: 20, uniqueItems: true, description: 'uploaded through POST /files?purpose=image' }),
    ),
    videoIds: Type.Optional(
      Type.Array(Uuid, {
        maxItems: 3,
        uniqueItems: true,
        description: 'short MP4 videos uploaded through POST /files?purpose=video (type checked by content, ≤ 50 MB)',
      }),
    ),
    signatureFileId: Type.Optional(
      Nullable(Type.String({ format: 'uuid', description: 'the drawn signature (PNG), uploaded through POST /files' })),
    ),
    signerName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    rectifyDeadline: Type.Optional(Nullable(DateOnly)),
    longitude: Type.Optional(Lng),
    latitude: Type.Optional(Lat),
    accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
);
export type SubmitInput = Static<typeof SubmitInput>;

export const FollowUpInput = Type.Object(
  {
    rectified: Type.Boolean(),
    note: Type.String({ minLength: 1, maxLength: 2000 }),
    photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type FollowUpInput = Static<typeof FollowUpInput>;
