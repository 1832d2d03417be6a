import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';
import {
  CREDIT_PARTIES,
  CREDIT_SEVERITIES,
  CREDIT_SOURCES,
  type CreditParty,
  type CreditSeverity,
  type CreditSource,
} from './tables.js';

/** Request and response schemas of the credit archive (诚信档案), and the types derived from them. */

export const SOURCE_LABELS: Record<CreditSource, { zh: string; en: string }> = {
  patrol: { zh: '巡查', en: 'patrol' },
  test: { zh: '抽样检测', en: 'sampling test' },
  penalty: { zh: '行政处罚', en: 'administrative penalty' },
  collection: { zh: '信息采集', en: 'information collection' },
};
export const SEVERITY_LABELS: Record<CreditSeverity, { zh: string; en: string }> = {
  minor: { zh: '一般', en: 'minor' },
  serious: { zh: '严重', en: 'serious' },
};

export const PARTY_LABELS: Record<CreditParty, { zh: string; en: string }> = {
  subject: { zh: '生产经营主体', en: 'Producer' },
  agency: { zh: '第三方服务机构', en: 'Service agency' },
  collector: { zh: '采集员', en: 'Collector' },
};
const Party = LiteralUnion(CREDIT_PARTIES, {
  description: 'subject 生产经营主体 · agency 第三方服务机构 · collector 采集员',
});
const Source = LiteralUnion(CREDIT_SOURCES, { description: 'patrol 巡查 · test 抽样检测 · penalty 行政处罚' });
const Severity = LiteralUnion(CREDIT_SEVERITIES, { description: 'minor 一般 · serious 严重' });
export const Policy = Type.Object({ windowMonths: Type.Integer(), repeatThreshold: Type.Integer() });

export const SubjectParams = Type.Object({ subjectId: Uuid });

export const Archive = Type.Object({
  subject: Type.Object({
    id: Uuid,
    name: Type.String(),
    divisionCode: Type.String(),
    identityCode: Nullable(Type.String()),
  }),
  points: Type.Integer(),
  rating: Type.Object({ grade: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  recordsInWindow: Type.Integer(),
  repeatOffender: Type.Boolean(),
  policy: Policy,
  records: Type.Array(
    Type.Object({
      id: Uuid,
      source: Source,
      sourceZh: Type.String(),
      sourceEn: Type.String(),
      sourceId: Uuid,
      ruleCode: Type.String(),
      points: Type.Integer(),
      titleZh: Type.String(),
      titleEn: Type.String(),
      occurredAt: DateTime,
      withdrawn: Type.Boolean(),
    }),
  ),
});
export type Archive = Static<typeof Archive>;

export const Tallied = Type.Object({
  subjectId: Uuid,
  name: Type.String(),
  divisionCode: Type.String(),
  identityCode: Nullable(Type.String()),
  points: Type.Integer(),
  records: Type.Integer(),
  grade: Type.String(),
  gradeZh: Type.String(),
  gradeEn: Type.String(),
  repeatOffender: Type.Boolean(),
  lastAt: DateTime,
});
export type Tallied = Static<typeof Tallied>;
export const TalliedQuery = Type.Object({ repeatOnly: Type.Optional(Type.Boolean()), ...PageQuery });
export type TalliedQuery = Static<typeof TalliedQuery>;
export const TalliedPage = Page(Tallied);

export const Rules = Type.Object({
  rules: Type.Array(
    Type.Object({
      code: Type.String(),
      source: Source,
      sourceZh: Type.String(),
      sourceEn: Type.String(),
      severity: Severity,
      severityZh: Type.String(),
      severityEn: Type.String(),
      points: Type.Integer(),
      nameZh: Type.String(),
      nameEn: Type.String(),
    }),
  ),
  grades: Type.Array(
    Type.Object({
      grade: Type.String(),
      maxPoints: Type.Integer(),
      nameZh: Type.String(),
      nameEn: Type.String(),
    }),
  ),
  policy: Policy,
});
export type Rules = Static<typeof Rules>;

export const Offender = Type.Object({
  name: Type.String(),
  divisionCode: Type.String(),
  identityCode: Nullable(Type.String()),
  records: Type.Integer(),
  grade: Type.String(),
  gradeZh: Type.String(),
  gradeEn: Type.String(),
  lastAt: DateTime,
});
export const OffenderQuery = Type.Object({ within: Type.Optional(DivisionCode), ...PageQuery });
export type OffenderQuery = Static<typeof OffenderQuery>;
/** A page of repeat offenders, with the policy that made them so. */
export const OffenderPage = Type.Object({ policy: Policy, ...Page(Offender).properties });
export type OffenderPage = Static<typeof OffenderPage>;

// ── service agencies and their collectors (issue 13 item 7) ──
export const AgencyParams = Type.Object({ orgId: Uuid });

/** An agency or one of its collectors with bad collection records arising in my jurisdiction. */
export const PartyTallied = Type.Object({
  party: Party,
  partyZh: Type.String(),
  partyEn: Type.String(),
  agencyOrgId: Uuid,
  agencyName: Type.String(),
  collectorId: Nullable(Uuid),
  collectorName: Nullable(Type.String()),
  divisionCode: Type.String(),
  points: Type.Integer(),
  records: Type.Integer(),
  grade: Type.String(),
  gradeZh: Type.String(),
  gradeEn: Type.String(),
  /** 屡教不改: a further record after the first one's order to correct. */
  repeatOffender: Type.Boolean(),
  lastAt: DateTime,
});
export type PartyTallied = Static<typeof PartyTallied>;
export const PartyTalliedPage = Page(PartyTallied);

const PartyRecord = Type.Object({
  id: Uuid,
  sourceId: Uuid,
  ruleCode: Type.String(),
  points: Type.Integer(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  occurredAt: DateTime,
  withdrawn: Type.Boolean(),
  /** After an earlier record's order to correct (屡教不改). */
  afterOrder: Type.Boolean(),
});
const PartySummary = Type.Object({
  points: Type.Integer(),
  recordsInWindow: Type.Integer(),
  rating: Type.Object({ grade: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  repeatOffender: Type.Boolean(),
});

/** The archive of a service agency: its own records and each of its collectors' records. */
export const AgencyArchive = Type.Object({
  agency: Type.Object({ orgId: Uuid, name: Type.String(), divisionCode: Type.String() }),
  ...PartySummary.properties,
  policy: Policy,
  records: Type.Array(PartyRecord),
  collectors: Type.Array(
    Type.Object({
      collectorId: Uuid,
      name: Type.String(),
      ...PartySummary.properties,
      records: Type.Array(PartyRecord),
    }),
  ),
});
export type AgencyArchive = Static<typeof AgencyArchive>;
