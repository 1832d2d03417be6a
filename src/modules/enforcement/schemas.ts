import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';
import { CASE_ACTIONS } from './states.js';
import {
  CASE_SOURCES,
  CASE_STATUSES,
  CORRECTION_STATUSES,
  type CaseSource,
  INSPECTION_RESULTS,
  type InspectionResult,
  VIOLATION_TYPES,
  type ViolationType,
} from './tables.js';

/** Request and response schemas of penalty cases (执法案件), and the types derived from them. */

/** Violation types: seed 001 art. 17 (1)–(4). */
export const VIOLATIONS: Record<ViolationType, { zh: string; en: string; article: string }> = {
  false_info: {
    zh: '不履行追溯信息采集义务，故意或恶意录入虚假追溯信息',
    en: 'Failing to collect traceability information, or entering false information',
    article: '001 art. 17 (1)',
  },
  chain_broken: {
    zh: '不履行追溯信息传递义务，造成追溯链条不能向下传递',
    en: 'Failing to pass traceability information on, breaking the chain',
    article: '001 art. 17 (2)',
  },
  identity_misuse: {
    zh: '盗用、冒用、伪造电子身份标识、追溯凭证及产品追溯标识',
    en: 'Stealing, misusing or forging identity marks, vouchers or trace labels',
    article: '001 art. 17 (3)',
  },
  batch_mixing: {
    zh: '故意或恶意混批，导致线上信息与线下实物不符',
    en: 'Deliberately mixing batches so that records and goods differ',
    article: '001 art. 17 (4)',
  },
  other: { zh: '其他违法违规行为', en: 'Other violations', article: '' },
};

export const SOURCE_LABELS: Record<CaseSource, { zh: string; en: string }> = {
  patrol: { zh: '巡查', en: 'patrol' },
  risk_case: { zh: '风险处置（抽检不合格）', en: 'risk case (failed test)' },
  inspection: { zh: '执法检查', en: 'inspection' },
  complaint: { zh: '投诉举报', en: 'complaint' },
  other: { zh: '其他', en: 'other' },
};

export const Violation = LiteralUnion(VIOLATION_TYPES, {
  description: 'seed 001 art. 17: false_info (1) · chain_broken (2) · identity_misuse (3) · batch_mixing (4) · other',
});
const Status = LiteralUnion(CASE_STATUSES, {
  description:
    'registered 已立案 · investigating 调查取证 · decided 已作出处罚决定 · closed 已结案 · dismissed 不予处罚/撤案',
});
const Source = LiteralUnion(CASE_SOURCES, {
  description: 'patrol 巡查 · risk_case 风险处置 · inspection 执法检查 · complaint 投诉举报 · other 其他',
});
const Action = LiteralUnion(CASE_ACTIONS, {
  description:
    'investigate 开始调查 · decide 作出处罚决定 · close 结案 · dismiss 撤案/不予处罚 · orderCorrection 责令限期改正 · confirmCorrected 复查已改正 · markNotCorrected 复查未改正',
});
const CorrectionStatus = LiteralUnion(CORRECTION_STATUSES, {
  description: 'ordered 限期改正中 · corrected 已按期改正 · not_corrected 逾期未改正',
});
const InspectionResultSchema = LiteralUnion(INSPECTION_RESULTS, {
  description: 'compliant 未发现问题 · violation 发现违法线索',
});
export const INSPECTION_RESULT_LABELS: Record<InspectionResult, { zh: string; en: string }> = {
  compliant: { zh: '未发现问题', en: 'no problem found' },
  violation: { zh: '发现违法线索', en: 'violation found' },
};
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const FileRef = Type.Object({ id: Uuid, name: Type.String(), mime: Type.String() });

export const IdParams = Type.Object({ id: Uuid });

export const Case = Type.Object({
  id: Uuid,
  caseNo: Type.String(),
  orgId: Uuid,
  orgName: Type.String(),
  divisionCode: Type.String(),
  subjectId: Nullable(Uuid),
  partyName: Type.String(),
  productName: Nullable(Type.String()),
  traceCode: Nullable(Type.String()),
  batchId: Nullable(Uuid),
  facts: Type.String(),
  violationType: Violation,
  violationZh: Type.String(),
  violationEn: Type.String(),
  article: Type.String(),
  sourceType: Nullable(Source),
  sourceZh: Nullable(Type.String()),
  sourceEn: Nullable(Type.String()),
  sourceId: Nullable(Uuid),
  decision: Nullable(Type.String()),
  fineYuan: Nullable(Type.Number()),
  attachments: Type.Array(FileRef),
  divisionName: Type.String(),
  correction: Type.Object({
    order: Nullable(Type.String()),
    deadline: Nullable(DateOnly),
    status: Nullable(CorrectionStatus),
    statusZh: Type.String(),
    statusEn: Type.String(),
    /** The deadline has passed and no follow-up was recorded. */
    overdue: Type.Boolean(),
    note: Nullable(Type.String()),
    orderedAt: Nullable(DateTime),
    checkedAt: Nullable(DateTime),
  }),
  status: Status,
  statusZh: Type.String(),
  statusEn: Type.String(),
  creditRecordId: Nullable(Uuid),
  createdAt: DateTime,
  decidedAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  /** What the caller may do next (the state table, server-side). */
  allowedActions: Type.Array(Action),
});
export type Case = Static<typeof Case>;
export const CasePage = Page(Case);

export const CaseInput = Type.Object(
  {
    identityCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    subjectId: Type.Optional(Nullable(Uuid)),
    partyName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    divisionCode: Type.Optional(Nullable(DivisionCode)),
    productName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    traceCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    facts: Type.String({ minLength: 5, maxLength: 5000 }),
    violationType: Violation,
    sourceType: Type.Optional(Nullable(Source)),
    sourceId: Type.Optional(Nullable(Uuid)),
    attachmentIds: Type.Optional(
      Type.Array(Uuid, { maxItems: 30, uniqueItems: true, description: 'uploaded through POST /files' }),
    ),
  },
  { additionalProperties: false },
);
export type CaseInput = Static<typeof CaseInput>;

export const CaseActionInput = Type.Object(
  {
    action: Action,
    decision: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    fineYuan: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e10 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    /** orderCorrection: what must be corrected (责令改正的内容) and by when. */
    correctionOrder: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    correctionDeadline: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);
export type CaseActionInput = Static<typeof CaseActionInput>;

export const CaseListQuery = Type.Object({
  status: Type.Optional(Status),
  subjectId: Type.Optional(Uuid),
  violationType: Type.Optional(Violation),
  ...PageQuery,
});
export type CaseListQuery = Static<typeof CaseListQuery>;

// ── on-site enforcement inspections (执法检查) ──
export const InspectionScan = Type.Object({
  subject: Type.Object({
    id: Uuid,
    name: Type.String(),
    identityCode: Nullable(Type.String()),
    divisionCode: Type.String(),
    divisionName: Type.String(),
    address: Type.String(),
    contactName: Type.String(),
    contactPhone: Type.String(),
  }),
  credit: Type.Object({ grade: Type.String(), gradeZh: Type.String(), gradeEn: Type.String() }),
  openCases: Type.Array(
    Type.Object({ id: Uuid, caseNo: Type.String(), statusZh: Type.String(), statusEn: Type.String() }),
  ),
});
export type InspectionScan = Static<typeof InspectionScan>;

export const Inspection = Type.Object({
  id: Uuid,
  orgName: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  subjectId: Uuid,
  subjectName: Type.String(),
  identityCode: Nullable(Type.String()),
  inspectorName: Type.String(),
  place: Nullable(Type.String()),
  findings: Type.String(),
  result: InspectionResultSchema,
  resultZh: Type.String(),
  resultEn: Type.String(),
  attachments: Type.Array(FileRef),
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
  caseId: Nullable(Uuid),
  caseNo: Nullable(Type.String()),
  createdAt: DateTime,
});
export type Inspection = Static<typeof Inspection>;
export const InspectionPage = Page(Inspection);

export const InspectionInput = Type.Object(
  {
    identityCode: Type.String({ minLength: 1, maxLength: 300, description: 'scanned or typed 主体身份码' }),
    place: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    findings: Type.String({ minLength: 2, maxLength: 5000 }),
    result: InspectionResultSchema,
    attachmentIds: Type.Optional(
      Type.Array(Uuid, {
        maxItems: 30,
        uniqueItems: true,
        description: 'photos or videos uploaded through POST /files',
      }),
    ),
    longitude: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
    latitude: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
  },
  { additionalProperties: false },
);
export type InspectionInput = Static<typeof InspectionInput>;
export const InspectionListQuery = Type.Object({ subjectId: Type.Optional(Uuid), ...PageQuery });
export type InspectionListQuery = Static<typeof InspectionListQuery>;
