import { SharedFromProps } from '../../kernel/shared-lists.js';
import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';
import { RISK_ACTIONS, SHEET_ACTIONS, TASK_ACTIONS } from './states.js';
import {
  MONITORING_KINDS,
  MONITORING_LEVELS,
  type MonitoringKind,
  type MonitoringLevel,
  RISK_STATUSES,
  SHEET_STATUSES,
  TASK_STATUSES,
} from './tables.js';

/** Request and response schemas of monitoring (监测) and risk cases, and the types derived from them. */

/** The quota suggestion (risk-based split of a task's samples) is the risksampling module's answer. */
export { QuotaQuery, QuotaSuggestion } from '../risksampling/schemas.js';

export const KINDS: Record<MonitoringKind, { zh: string; en: string }> = {
  routine: { zh: '例行监测', en: 'routine monitoring' },
  special: { zh: '专项监测', en: 'special monitoring' },
  supervisory: { zh: '监督抽查', en: 'supervisory sampling' },
  retest: { zh: '复检', en: 're-test' },
  emergency: { zh: '应急监测', en: 'emergency monitoring' },
};
export const LEVELS: Record<MonitoringLevel, { zh: string; en: string }> = {
  ministry: { zh: '部级', en: 'ministry' },
  province: { zh: '省级', en: 'province' },
  city: { zh: '市级', en: 'city' },
  county: { zh: '县级', en: 'county' },
};

const DateOnly = Type.String({ format: 'date' });
const Kind = LiteralUnion(MONITORING_KINDS, {
  description: 'routine 例行监测 · special 专项监测 · supervisory 监督抽查 · retest 复检 · emergency 应急',
});
const Level = LiteralUnion(MONITORING_LEVELS, {
  description: 'ministry 部级 · province 省级 · city 市级 · county 县级',
});
const TaskStatus = LiteralUnion(TASK_STATUSES, { description: 'issued 已下达 · closed 已结束' });
const SheetStatus = LiteralUnion(SHEET_STATUSES, { description: 'sampled 待检测 · passed 合格 · failed 不合格' });
const RiskStatus = LiteralUnion(RISK_STATUSES, {
  description: 'open 待处置 · recall_opened 已启动召回 · closed 已结案',
});

export const IdParams = Type.Object({ id: Uuid });

// ── tasks and assignments ──
export const Item = Type.Object(
  {
    item: Type.String({ minLength: 1, maxLength: 60 }),
    unit: Type.String({ minLength: 1, maxLength: 20 }),
    limit: Nullable(Type.Number({ minimum: 0 })),
    standard: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
const ItemOut = Type.Object({
  item: Type.String(),
  unit: Type.String(),
  limit: Nullable(Type.Number()),
  standard: Type.String(),
});

export const TaskInput = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 100 }),
    kind: Kind,
    level: Type.Optional(Level),
    products: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 50 }),
    items: Type.Array(Item, { minItems: 1, maxItems: 100 }),
    startDate: DateOnly,
    endDate: DateOnly,
    drawId: Type.Optional(Uuid),
    assignments: Type.Array(
      Type.Object(
        {
          testingOrgId: Uuid,
          divisionCode: DivisionCode,
          quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
          deadline: DateOnly,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type TaskInput = Static<typeof TaskInput>;

const TaskBase = {
  id: Uuid,
  code: Type.String(),
  title: Type.String(),
  kind: Kind,
  kindZh: Type.String(),
  kindEn: Type.String(),
  level: Level,
  levelZh: Type.String(),
  levelEn: Type.String(),
  orgId: Uuid,
  divisionCode: Type.String(),
  products: Type.Array(Type.String()),
  items: Type.Array(ItemOut),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  status: TaskStatus,
  statusZh: Type.String(),
  statusEn: Type.String(),
  createdAt: DateTime,
};
export const TaskSummary = Type.Object(TaskBase);
export type TaskSummary = Static<typeof TaskSummary>;
export const Task = Type.Object({
  ...TaskBase,
  assignments: Type.Array(
    Type.Object({
      id: Uuid,
      testingOrgId: Uuid,
      testingOrgName: Type.String(),
      divisionCode: Type.String(),
      quantity: Type.Integer(),
      deadline: Type.String({ format: 'date' }),
      sampled: Type.Integer(),
      tested: Type.Integer(),
      failed: Type.Integer(),
    }),
  ),
});
export type Task = Static<typeof Task>;
export const TaskListQuery = Type.Object({ ...PageQuery });
export type TaskListQuery = Static<typeof TaskListQuery>;

export const Assignment = Type.Object({
  id: Uuid,
  taskId: Uuid,
  taskCode: Type.String(),
  taskTitle: Type.String(),
  taskKind: Kind,
  taskKindZh: Type.String(),
  taskKindEn: Type.String(),
  products: Type.Array(Type.String()),
  divisionCode: Type.String(),
  quantity: Type.Integer(),
  deadline: Type.String({ format: 'date' }),
  sampled: Type.Integer(),
  /** What the caller may do (the task's state table): `sample` while the task is issued. */
  allowedActions: Type.Array(LiteralUnion(TASK_ACTIONS)),
});
export type Assignment = Static<typeof Assignment>;
export const AssignmentListQuery = Type.Object({ ...PageQuery });
export type AssignmentListQuery = Static<typeof AssignmentListQuery>;

// ── sampling sheets ──
export const TempSubject = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    contact: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);

export const SheetInput = Type.Object(
  {
    productName: Type.String({ minLength: 1, maxLength: 60 }),
    traceCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    tempCode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    identityCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    subjectId: Type.Optional(Nullable(Uuid)),
    tempSubject: Type.Optional(Nullable(TempSubject)),
    place: Type.String({ minLength: 1, maxLength: 200 }),
    divisionCode: DivisionCode,
    sampledAt: DateTime,
    longitude: Type.Optional(Type.Number({ minimum: 73, maximum: 136 })),
    latitude: Type.Optional(Type.Number({ minimum: 3, maximum: 54 })),
    quantity: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    photoIds: Type.Optional(
      Type.Array(Uuid, { maxItems: 20, uniqueItems: true, description: 'uploaded through POST /files?purpose=image' }),
    ),
    /** A double-random sampling task this sheet fulfils (randomchecks). */
    randomTaskId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export type SheetInput = Static<typeof SheetInput>;

export const Result = Type.Object({
  item: Type.String(),
  value: Nullable(Type.Number()),
  valueText: Nullable(Type.String()),
  /** How the result reads: 未检出 / not detected, or the value with its unit. */
  shown: Type.String(),
  shownEn: Type.String(),
  unit: Type.String(),
  limit: Nullable(Type.Number()),
  standard: Type.String(),
  passed: Type.Boolean(),
});
export const Sheet = Type.Object({
  id: Uuid,
  assignmentId: Uuid,
  taskId: Uuid,
  taskCode: Type.String(),
  taskTitle: Type.String(),
  taskItems: Type.Array(ItemOut),
  testingOrgId: Uuid,
  testingOrgName: Type.String(),
  sampleCode: Type.String(),
  productName: Type.String(),
  traceCode: Nullable(Type.String()),
  tempCode: Nullable(Type.String()),
  subjectId: Nullable(Uuid),
  subjectName: Type.String(),
  tempSubject: Nullable(
    Type.Object({
      name: Type.String(),
      contact: Type.Optional(Nullable(Type.String())),
      phone: Type.Optional(Nullable(Type.String())),
      address: Type.Optional(Nullable(Type.String())),
    }),
  ),
  place: Type.String(),
  divisionCode: Type.String(),
  sampledAt: DateTime,
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
  quantity: Nullable(Type.String()),
  photoIds: Type.Array(Uuid),
  samplerName: Type.String(),
  status: SheetStatus,
  statusZh: Type.String(),
  statusEn: Type.String(),
  testedAt: Nullable(DateTime),
  results: Type.Array(Result),
  /** What the caller may do (the sheet's state table): `enterResults` while awaiting tests. */
  allowedActions: Type.Array(LiteralUnion(SHEET_ACTIONS)),
  ...SharedFromProps,
});
export type Sheet = Static<typeof Sheet>;
export const SheetListQuery = Type.Object({
  taskId: Type.Optional(Uuid),
  status: Type.Optional(SheetStatus),
  ...PageQuery,
});
export type SheetListQuery = Static<typeof SheetListQuery>;

// ── results ──
export const ResultInput = Type.Object(
  {
    item: Type.String({ minLength: 1, maxLength: 60 }),
    value: Type.Optional(Nullable(Type.Number())),
    valueText: Type.Optional(Nullable(Type.String({ maxLength: 30, description: 'e.g. 未检出 / ND' }))),
    unit: Type.String({ minLength: 1, maxLength: 20 }),
    limit: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    standard: Type.String({ minLength: 1, maxLength: 100 }),
    passed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ResultInput = Static<typeof ResultInput>;
export const ResultsInput = Type.Object(
  { results: Type.Array(ResultInput, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export const SheetWithRisk = Type.Object({ ...Sheet.properties, riskCaseId: Nullable(Uuid) });
export type SheetWithRisk = Static<typeof SheetWithRisk>;

// ── risk cases ──
/** A failed item as recorded on the risk case (numbers as entered, in text). */
export const FailedItem = Type.Object({
  item: Type.String(),
  value: Nullable(Type.String()),
  valueText: Nullable(Type.String()),
  unit: Type.String(),
  limit: Nullable(Type.String()),
  standard: Type.String(),
});
export type FailedItem = Static<typeof FailedItem>;

export const TraceNode = Type.Object({
  batchId: Uuid,
  depth: Type.Integer(),
  batchNo: Nullable(Type.String()),
  code: Nullable(Type.String()),
  productName: Nullable(Type.String()),
  subjectId: Nullable(Uuid),
  subjectName: Nullable(Type.String()),
  divisionCode: Type.String(),
  quantity: Type.Number(),
  stock: Type.Number(),
  unit: Nullable(Type.String()),
});
export type TraceNode = Static<typeof TraceNode>;
/** The automatic trace of a failed sample's batch (through the chain module), recorded on the risk case. */
export const TraceOutcome = Type.Object({
  status: LiteralUnion(['available', 'unavailable'] as const),
  /** Upstream batches and sources (the root first, depth 0). */
  backward: Type.Array(TraceNode),
  /** Downstream batches and their holders. */
  forward: Type.Array(TraceNode),
  noteZh: Type.String(),
  noteEn: Type.String(),
});
export type TraceOutcome = Static<typeof TraceOutcome>;

export const ProposedRecall = Type.Object({
  reasonZh: Type.String(),
  reasonEn: Type.String(),
  traceCode: Nullable(Type.String()),
  scopeZh: Type.String(),
  scopeEn: Type.String(),
});
export type ProposedRecall = Static<typeof ProposedRecall>;

export const Risk = Type.Object({
  id: Uuid,
  sheetId: Uuid,
  subjectId: Nullable(Uuid),
  subjectName: Type.String(),
  traceCode: Nullable(Type.String()),
  batchId: Nullable(Uuid),
  productName: Type.String(),
  countyCode: Type.String(),
  divisionCode: Type.String(),
  failedItems: Type.Array(FailedItem),
  trace: TraceOutcome,
  proposedRecall: ProposedRecall,
  recallId: Nullable(Uuid),
  status: RiskStatus,
  statusZh: Type.String(),
  statusEn: Type.String(),
  creditRecordId: Nullable(Uuid),
  createdAt: DateTime,
  recallOpenedAt: Nullable(DateTime),
  /** What the caller may do (the risk case's state table): only the producer's county acts. */
  allowedActions: Type.Array(LiteralUnion(RISK_ACTIONS)),
});
export type Risk = Static<typeof Risk>;
export const RiskListQuery = Type.Object({ status: Type.Optional(RiskStatus), ...PageQuery });
export type RiskListQuery = Static<typeof RiskListQuery>;
export const RiskActionInput = Type.Object(
  {
    action: LiteralUnion(RISK_ACTIONS, { description: 'openRecall 一键启动召回 · close 结案' }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type RiskActionInput = Static<typeof RiskActionInput>;

export const Pages = {
  tasks: Page(TaskSummary),
  assignments: Page(Assignment),
  sheets: Page(Sheet),
  risks: Page(Risk),
};
