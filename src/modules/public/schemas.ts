import { type Static, Type } from 'typebox';
import { DateTime, LiteralUnion, Nullable, PageQuery } from '../../kernel/schemas.js';

/** Request and response schemas of the public trace lookup, the trace view and the query log. */
const Str = Type.String();
const NStr = Nullable(Type.String());

/**
 * What a lookup found: active · inactive · void · recalled · at_risk · unknown · malformed · foreign (no longer
 * answered: another platform's code is asked there, see remote.ts) · unavailable (the platform that knows it did not
 * answer in time).
 */
export const PUBLIC_STATUSES = [
  'active',
  'inactive',
  'void',
  'recalled',
  'at_risk',
  'unknown',
  'malformed',
  'foreign',
  'unavailable',
] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];
/** Who looked a code up (the query log's `viewer`). */
export const VIEWER_ROLES = ['consumer', 'producer', 'regulator'] as const;
/** How far a viewer reaches to a batch (visibility.ts). */
export const REACHES = ['own', 'neighbour', 'jurisdiction', 'none'] as const;
export type Reach = (typeof REACHES)[number];

export const CodeParam = Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) });
export const Geo = Type.Object({
  lat: Type.Optional(
    Type.Number({ minimum: -90, maximum: 90, description: 'optional browser geolocation (counterfeit signals)' }),
  ),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});
export type Geo = Static<typeof Geo>;

// ── the consumer-level document (stored per batch in public_trace) ──────────────────────────────────────────────
export const Origin = Type.Object({
  batchNo: Str,
  product: Type.Object({ name: Str, classification: NStr, unit: Str }),
  producer: Type.Object({
    name: Type.String({ description: 'natural persons masked: 张**' }),
    orgForm: Str,
    orgFormName: Str,
    divisionName: Str,
    identityCode: NStr,
    phone: Nullable(Type.String({ description: 'masked 138****0000' })),
  }),
  divisionCode: Str,
  divisionName: Str,
  base: Nullable(Type.Object({ name: Str, divisionName: Str })),
  harvestDate: Type.String({ description: 'YYYY-MM-DD, Beijing time' }),
  selfCheck: Type.Object({ result: Str, text: Str }),
  marks: Type.Array(Type.Object({ type: Str, name: Str, number: NStr, validTo: NStr })),
  tests: Type.Array(Type.Object({ item: Str, result: Str, at: Str, agency: NStr })),
  certificates: Type.Array(Type.Object({ number: Str, issuedAt: Str, verifyPath: Str })),
});
export type OriginDoc = Static<typeof Origin>;

export const RecallInfo = Type.Object(
  { batchId: Str, number: Str, level: Type.Integer(), at: Str, reason: NStr },
  { description: 'an open recall covering this batch (issue 5)' },
);
export type RecallInfo = Static<typeof RecallInfo>;
export const RiskInfo = Type.Object(
  { at: Str, productName: Str, items: Str },
  { description: 'an open risk case (风险处置: a failed official test) on this batch or one it came from' },
);
export type RiskInfo = Static<typeof RiskInfo>;

export const PublicDoc = Type.Object({
  batchKind: Str,
  origins: Type.Array(Origin),
  moreOrigins: Type.Integer({ description: 'origins beyond the first 10 (a merged batch with many sources)' }),
  recall: Nullable(RecallInfo),
  risk: Nullable(RiskInfo),
});
export type PublicDoc = Static<typeof PublicDoc>;

export const SubjectCard = Type.Object({
  name: Str,
  orgFormName: Str,
  orgFormNameEn: Str,
  subjectType: Str,
  subjectTypeEn: Str,
  industries: Type.Array(Str),
  industriesEn: Type.Array(Str),
  marks: Type.Array(Str),
  marksEn: Type.Array(Str),
  divisionName: Str,
  identityCode: NStr,
  status: Str,
  statusText: Str,
  statusTextEn: Str,
  approvedAt: NStr,
});
export type SubjectCard = Static<typeof SubjectCard>;

export const CertificateCard = Type.Object({
  number: Str,
  valid: Type.Boolean(),
  productName: Str,
  quantity: Type.Number(),
  unit: Str,
  subjectName: Str,
  origin: Str,
  issuedAt: Str,
});

export const Issuer = Type.Object(
  {
    platformId: Type.String({ description: 'national · province-44 · county-440117' }),
    tier: Str,
    region: Type.String({ description: "division prefix the platform serves ('' national)" }),
    name: Type.String({ description: '广东省平台' }),
    nameEn: Type.String({ description: 'the Guangdong platform' }),
  },
  { description: 'the platform that issued the code (通查通识: resolved here even when another platform issued it)' },
);
export type Issuer = Static<typeof Issuer>;

export const PublicTrace = Type.Object({
  input: Str,
  code: NStr,
  longCode: NStr,
  kind: Nullable(
    Type.String({ description: 'production · circulation · voucher · temporary · subject · certificate' }),
  ),
  kindName: NStr,
  kindNameEn: NStr,
  status: LiteralUnion(PUBLIC_STATUSES, {
    description:
      'active · inactive (not activated) · void · recalled · at_risk (an open risk case: failed official test) · unknown · malformed (hint says why, e.g. check character) · unavailable (issued by another platform that did not answer; try again) · foreign (not answered any more)',
  }),
  statusText: Str,
  statusTextEn: Str,
  hint: NStr,
  hintEn: NStr,
  suggestions: Type.Array(Type.String(), {
    description: 'existing codes one typing error away (after a check-character failure)',
  }),
  recall: Nullable(RecallInfo),
  risk: Nullable(RiskInfo),
  origins: Type.Array(Origin),
  moreOrigins: Type.Integer(),
  subject: Nullable(SubjectCard),
  certificate: Nullable(CertificateCard),
  issuer: Type.Optional(Nullable(Issuer)),
});
export type PublicTrace = Static<typeof PublicTrace>;

// ── producers and regulators: the trace view ────────────────────────────────────────────────────────────────────
export const TraceNode = Type.Object({
  batchId: Str,
  batchNo: Str,
  kind: Str,
  productName: Str,
  subjectId: Str,
  subjectName: Str,
  divisionCode: Str,
  producedAt: Str,
  quantity: Type.Number(),
  stock: Type.Number(),
  unit: Str,
  status: Str,
});
export type TraceNode = Static<typeof TraceNode>;

export const TraceView = Type.Object({
  reach: LiteralUnion(REACHES, { description: 'own · neighbour (one step from your batch) · jurisdiction' }),
  batch: TraceNode,
  origin: PublicDoc,
  events: Type.Array(
    Type.Object({
      eventId: Str,
      bizStep: Str,
      stage: Str,
      disposition: NStr,
      eventTime: Str,
      qtyDelta: Type.Number(),
      subjectId: NStr,
    }),
  ),
  upstream: Type.Array(TraceNode),
  downstream: Type.Array(TraceNode),
  hiddenUpstream: Type.Integer({ description: 'lineage nodes beyond your reach (counted, never shown)' }),
  hiddenDownstream: Type.Integer(),
});
export type TraceView = Static<typeof TraceView>;

export const TraceViewResult = Type.Object({ public: PublicTrace, view: Nullable(TraceView) });
export type TraceViewResult = Static<typeof TraceViewResult>;

// ── query log and scan counts ───────────────────────────────────────────────────────────────────────────────────
export const QueryLogQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  ...PageQuery,
});
export type QueryLogQuery = Static<typeof QueryLogQuery>;

export const QueryLogItem = Type.Object({
  id: Type.Integer(),
  at: Str,
  code: Str,
  result: Str,
  channel: Type.String({ description: 'html (the page) · json (the API) · view (the trace view)' }),
  viewer: Type.String({ description: VIEWER_ROLES.join(' · ') }),
  anonymous: Type.Boolean(),
  actorId: NStr,
  divisionCode: NStr,
  clientIp: Nullable(Type.String({ description: 'regulators only' })),
  clientNet: NStr,
  userAgent: NStr,
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
});
export type QueryLogItem = Static<typeof QueryLogItem>;

export const ScanCountQuery = Type.Object(PageQuery);
export type ScanCountQuery = Static<typeof ScanCountQuery>;

export const ScanCounts = Type.Object({
  items: Type.Array(Type.Object({ code: Str, scans: Type.Integer(), firstAt: Str, lastAt: Str })),
  total: Type.Integer(),
  totalScans: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type ScanCounts = Static<typeof ScanCounts>;
