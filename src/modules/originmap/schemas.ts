import { type Static, type TSchema, Type } from 'typebox';
import { DivisionCode, EnteredBy, LiteralUnion, Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';
import {
  PRODUCT_CODES,
  ORIGIN_SUBJECT_TYPES as SUBJECT_TYPES,
  ORIGIN_INDUSTRIES as INDUSTRIES,
  UNITS,
  ORIGIN_CERTIFICATIONS as CERTIFICATIONS,
  PRODUCTION_METHODS,
  TRACE_METHODS,
  CREDIT_RATINGS,
  RECORD_STATUSES,
  FLAG_KINDS,
  FLAG_STATUSES,
  GEO_SOURCES,
  GEO_CHECKS,
  type OriginGeoSource as GeoSource,
} from './tables.js';

/**
 * The origin map's contracts in one place: every request and response schema of the routes, on the enumerations
 * declared once in tables.ts (re-exported here under their short names).
 */
export interface Label {
  zh: string;
  en: string;
}
export {
  KEY_PRODUCTS,
  PRODUCT_CODES,
  PRODUCT_LABELS,
  isProductCode,
  ORIGIN_SUBJECT_TYPES as SUBJECT_TYPES,
  SUBJECT_TYPE_LABELS,
  ORIGIN_INDUSTRIES as INDUSTRIES,
  INDUSTRY_LABELS,
  UNITS,
  UNIT_LABELS,
  ORIGIN_CERTIFICATIONS as CERTIFICATIONS,
  CERTIFICATION_LABELS,
  PRODUCTION_METHODS,
  PRODUCTION_METHOD_LABELS,
  TRACE_METHODS,
  TRACE_METHOD_LABELS,
  CREDIT_RATINGS,
  CREDIT_RATING_LABELS,
  RECORD_STATUSES,
  FLAG_KINDS,
  FLAG_KIND_LABELS,
  FLAG_STATUSES,
  GEO_SOURCES,
  GEO_CHECKS,
} from './tables.js';
export type {
  OriginProductCode as ProductCode,
  OriginSubjectType as SubjectType,
  OriginIndustry as Industry,
  OriginUnit as Unit,
  OriginCertification as Certification,
  OriginProductionMethod as ProductionMethod,
  OriginTraceMethod as TraceMethod,
  OriginCreditRating as CreditRating,
  OriginStatus,
  OriginFlagKind as FlagKind,
  OriginFlagStatus as FlagStatus,
  OriginGeoSource as GeoSource,
  OriginGeoCheck as GeoCheck,
} from './tables.js';

// ── requests ───────────────────────────────────────────────────────────────────
const Str = (max: number) => Type.String({ maxLength: max });
/** Optional and nullable (a form may clear a field). Null first: with type coercion on, null must not become 0. */
const Opt = <T extends TSchema>(t: T) => Type.Optional(Type.Union([Type.Null(), t]));
export const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD (a real calendar date)' });
export const TownOrVillage = Type.String({
  pattern: '^(\\d{9}|\\d{12})$',
  description: '乡镇（街道）9 位或村 12 位代码',
});

/** The fields of an origin record as the API, the form and the spreadsheet give them (codes, not labels). */
export const RecordFields = {
  divisionCode: TownOrVillage,
  subjectName: Type.String({ minLength: 1, maxLength: 100, description: '种养殖主体名称' }),
  subjectType: LiteralUnion(SUBJECT_TYPES, { description: '主体类型' }),
  creditCode: Opt(Str(18)),
  productCode: LiteralUnion(PRODUCT_CODES, { description: '12 个重点品种之一（见 listOriginProducts）' }),
  alias: Opt(Str(50)),
  certification: Type.Optional(LiteralUnion(CERTIFICATIONS)),
  baseAddress: Type.String({ minLength: 1, maxLength: 200, description: '基地地址' }),
  longitude: Opt(Type.Number({ minimum: -180, maximum: 180 })),
  latitude: Opt(Type.Number({ minimum: -90, maximum: 90 })),
  contactName: Type.String({ minLength: 1, maxLength: 50 }),
  contactPhone: Type.String({ minLength: 1, maxLength: 20 }),
  scale: Type.Number({ description: '种养规模（亩/头/只，按品种）' }),
  marketStart: Opt(DateStr),
  marketEnd: Opt(DateStr),
  productionMethod: LiteralUnion(PRODUCTION_METHODS),
  traceMethods: Type.Optional(Type.Array(LiteralUnion(TRACE_METHODS), { maxItems: 6, uniqueItems: true })),
  creditRating: Type.Optional(LiteralUnion(CREDIT_RATINGS)),
  gridWorkerName: Opt(Str(50)),
  gridWorkerPhone: Opt(Str(20)),
  collectorName: Opt(Str(50)),
  collectorPhone: Opt(Str(20)),
  geoSource: Type.Optional(
    LiteralUnion(['map', 'gps', 'form'] as const, { description: '点位来源：地图标注、手机定位、手填' }),
  ),
  gpsAccuracyM: Opt(Type.Number({ minimum: 0, description: '定位精度（米）' })),
  plantedOn: Opt(DateStr),
  harvestOn: Opt(DateStr),
  certifications: Type.Optional(
    Type.Array(LiteralUnion(CERTIFICATIONS), {
      maxItems: 6,
      uniqueItems: true,
      description: '产品认证类型（可多选）; the first is also `certification`',
    }),
  ),
};
const Submit = Type.Boolean({ description: 'true = 提交审核 (every field required)' });
export const CreateRecordBody = Type.Object(
  { ...RecordFields, submit: Type.Optional(Submit) },
  { additionalProperties: false },
);
export type CreateRecordBody = Static<typeof CreateRecordBody>;
export const UpdateRecordBody = Type.Partial(Type.Object({ ...RecordFields, submit: Submit }), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateRecordBody = Static<typeof UpdateRecordBody>;

/**
 * A record as the validator and the import see it: the API fields plus the spreadsheet's record number and its
 * point source (`import`). Values are checked by `checkRecord`, not trusted.
 */
export type RecordInput = Omit<CreateRecordBody, 'submit' | 'geoSource'> & {
  recordKey?: string | null;
  geoSource?: GeoSource;
};

export const ReviewAction = LiteralUnion(['approve', 'return'] as const);
export const ReviewBody = Type.Object(
  { action: ReviewAction, comment: Opt(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;
export const ReviewManyBody = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }),
    action: ReviewAction,
    comment: Opt(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const ThresholdBody = Type.Object(
  {
    divisionCode: DivisionCode,
    productCode: LiteralUnion(PRODUCT_CODES),
    threshold: Type.Number({ minimum: 0 }),
    facilityThreshold: Opt(Type.Number({ minimum: 0 })),
    cycleDays: Opt(Type.Integer({ minimum: 1, maximum: 730 })),
  },
  { additionalProperties: false },
);
export type ThresholdBody = Static<typeof ThresholdBody>;

const csv = (max: number, what: string) =>
  Type.Optional(Type.String({ maxLength: max, description: `comma-separated ${what}` }));
/** Filters shared by the table, the map, the summary and the export. */
export const FilterQuery = {
  within: Type.Optional(DivisionCode),
  product: csv(200, 'product codes'),
  status: csv(100, 'draft · submitted · approved · returned'),
  minScale: Type.Optional(Type.Number({ minimum: 0 })),
  maxScale: Type.Optional(Type.Number({ minimum: 0 })),
  marketFrom: Type.Optional(DateStr),
  marketTo: Type.Optional(DateStr),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  mine: Type.Optional(Type.Boolean()),
  overdue: Type.Optional(Type.Boolean({ description: 'only records overdue for re-collection (每茬 / 每月)' })),
  sitePending: Type.Optional(Type.Boolean({ description: 'only records imported without a point, awaiting a visit' })),
};
export const FilterQuerySchema = Type.Object(FilterQuery);
export type FilterQuery = Static<typeof FilterQuerySchema>;
export const ListQuery = Type.Object({ ...FilterQuery, ...PageQuery });
export type ListQuery = Static<typeof ListQuery>;
export const Viewport = {
  west: Type.Number({ minimum: -180, maximum: 180 }),
  south: Type.Number({ minimum: -90, maximum: 90 }),
  east: Type.Number({ minimum: -180, maximum: 180 }),
  north: Type.Number({ minimum: -90, maximum: 90 }),
};
export const MapQuery = Type.Object({
  ...Viewport,
  zoom: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
  ...FilterQuery,
});
export type MapQuery = Static<typeof MapQuery>;

export const FlagQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  status: Type.Optional(LiteralUnion(FLAG_STATUSES)),
  kind: Type.Optional(LiteralUnion(FLAG_KINDS)),
  ...PageQuery,
});
export type FlagQuery = Static<typeof FlagQuery>;
/** A site visit (现场走访) completing a point imported without coordinates. */
export const VisitBody = Type.Object(
  {
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    gpsAccuracyM: Opt(Type.Number({ minimum: 0, description: '定位精度（米）' })),
    geoSource: Type.Optional(LiteralUnion(['gps', 'map'] as const)),
    submit: Type.Optional(Submit),
  },
  { additionalProperties: false },
);
export type VisitBody = Static<typeof VisitBody>;

/** A new planting (新一茬) or monthly collection: the current one is kept in the record's history. */
export const SeasonBody = Type.Object(
  {
    plantedOn: Opt(DateStr),
    harvestOn: Opt(DateStr),
    scale: Type.Optional(Type.Number()),
    marketStart: Opt(DateStr),
    marketEnd: Opt(DateStr),
  },
  { additionalProperties: false },
);
export type SeasonBody = Static<typeof SeasonBody>;

export const ResolveFlagBody = Type.Object(
  { resolution: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

// ── responses ──────────────────────────────────────────────────────────────────
const LabelSchema = { zh: Type.String(), en: Type.String() };
const EnumItem = Type.Object({ code: Type.String(), ...LabelSchema });

export const OriginRecord = Type.Object({
  id: Uuid,
  recordKey: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  subjectName: Type.String(),
  subjectType: LiteralUnion(SUBJECT_TYPES),
  subjectTypeName: Type.String(),
  subjectTypeNameEn: Type.String(),
  creditCode: Nullable(Type.String()),
  subjectId: Nullable(Type.String()),
  productCode: LiteralUnion(PRODUCT_CODES),
  productName: Type.String(),
  productNameEn: Type.String(),
  unit: LiteralUnion(UNITS),
  unitName: Type.String(),
  unitNameEn: Type.String(),
  alias: Nullable(Type.String()),
  certification: LiteralUnion(CERTIFICATIONS),
  baseAddress: Type.String(),
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
  geoCheck: Nullable(LiteralUnion(GEO_CHECKS)),
  geoSource: LiteralUnion(GEO_SOURCES),
  gpsAccuracyM: Nullable(Type.Number()),
  contactName: Type.String(),
  contactPhone: Type.String(),
  scale: Type.Number(),
  marketStart: Nullable(Type.String()),
  marketEnd: Nullable(Type.String()),
  productionMethod: LiteralUnion(PRODUCTION_METHODS),
  traceMethods: Type.Array(LiteralUnion(TRACE_METHODS)),
  creditRating: LiteralUnion(CREDIT_RATINGS),
  creditRatingSource: LiteralUnion(['archive', 'collected'] as const, {
    description: 'archive = from the credit archive of the linked producer (信用档案); collected = as collected',
  }),
  gridWorkerName: Nullable(Type.String()),
  gridWorkerPhone: Nullable(Type.String()),
  collectorName: Nullable(Type.String()),
  collectorPhone: Nullable(Type.String()),
  status: LiteralUnion(RECORD_STATUSES, {
    description: 'draft 草稿 · submitted 待审核 · approved 已通过 · returned 已退回',
  }),
  statusName: Type.String(),
  statusNameEn: Type.String(),
  reviewComment: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  collectedAt: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
  updatedAt: Type.String(),
  certifications: Type.Array(LiteralUnion(CERTIFICATIONS)),
  seasonNo: Type.Integer({ description: 'the current planting (茬) or monthly collection, from 1' }),
  plantedOn: Nullable(Type.String()),
  harvestOn: Nullable(Type.String()),
  nextDue: Type.String({
    description: 'YYYY-MM-DD: re-collection due (crops: harvest of this planting; else monthly)',
  }),
  overdue: Type.Boolean({ description: 're-collection overdue (nextDue before today, China time)' }),
  confirmedAt: Nullable(Type.String()),
  sitePending: Type.Boolean({ description: 'imported without a point: to be completed on site (待现场补充点位)' }),
  visitedAt: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  reviewDue: Nullable(Type.String()),
  correctionDue: Nullable(Type.String()),
  correctedLate: Type.Boolean(),
  groupScale: Type.Number({ description: "total scale of this operator's plots of this product in the county" }),
  groupPlots: Type.Integer({ description: 'how many plots (records) make up that total' }),
  ownEntry: Type.Boolean({ description: 'the caller entered it: another reviewer must review it (seed 000 art. 12)' }),
  allowedActions: Type.Array(LiteralUnion(['update', 'submit', 'approve', 'return'] as const), {
    description: 'what the caller may do now (update · submit · approve · return)',
  }),
});
export type OriginRecord = Static<typeof OriginRecord>;
export const RecordPage = Page(OriginRecord);
export const Season = Type.Object({
  seasonNo: Type.Integer(),
  plantedOn: Nullable(Type.String()),
  harvestOn: Nullable(Type.String()),
  scale: Type.Number(),
  marketStart: Nullable(Type.String()),
  marketEnd: Nullable(Type.String()),
  collectedAt: Type.String(),
  closedAt: Type.String(),
});
export const Seasons = Type.Object({ items: Type.Array(Season) });
export type Seasons = Static<typeof Seasons>;

export const Enumerations = Type.Object({
  subjectTypes: Type.Array(EnumItem),
  industries: Type.Array(EnumItem),
  units: Type.Array(EnumItem),
  certifications: Type.Array(EnumItem),
  productionMethods: Type.Array(EnumItem),
  traceMethods: Type.Array(EnumItem),
  creditRatings: Type.Array(EnumItem),
  statuses: Type.Array(EnumItem),
  flagKinds: Type.Array(EnumItem),
});
export const ProductsAt = Type.Object({
  divisionCode: Type.String(),
  products: Type.Array(
    Type.Object({
      code: LiteralUnion(PRODUCT_CODES),
      name: Type.String(),
      nameEn: Type.String(),
      industry: LiteralUnion(INDUSTRIES),
      unit: LiteralUnion(UNITS),
      unitName: Type.String(),
      unitNameEn: Type.String(),
      threshold: Type.Number(),
      facilityThreshold: Nullable(Type.Number()),
      cycleDays: Type.Integer(),
      maxPlausible: Type.Number(),
    }),
  ),
  enumerations: Enumerations,
});
export type ProductsAt = Static<typeof ProductsAt>;

export const MapAnswer = Type.Object({
  level: Type.Integer(),
  cellDeg: Type.Number(),
  source: LiteralUnion(['cells', 'bands', 'records', 'none'] as const),
  scaleEdges: Type.Array(Type.Number(), {
    description:
      "the edges of the rollup's scale bands (规模档): a minScale / maxScale on an edge and a market period in whole months are answered from the rollups alone; other values also read the records of the band or month they cut",
  }),
  total: Type.Integer(),
  truncated: Type.Optional(Type.Boolean()),
  clusters: Type.Array(
    Type.Object({ lng: Type.Number(), lat: Type.Number(), count: Type.Integer(), scale: Type.Number() }),
  ),
  points: Type.Array(
    Type.Object({
      id: Uuid,
      lng: Type.Number(),
      lat: Type.Number(),
      subjectName: Type.String(),
      productCode: LiteralUnion(PRODUCT_CODES),
      productName: Type.String(),
      productNameEn: Type.String(),
      scale: Type.Number(),
      unit: LiteralUnion(UNITS),
      status: LiteralUnion(RECORD_STATUSES),
    }),
  ),
});
export type MapAnswer = Static<typeof MapAnswer>;

export const Boundaries = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        properties: Type.Object({
          code: Type.String({ description: 'division code of the child area' }),
          name: Type.String(),
          cp: Type.Unknown({ description: 'label point [lng, lat], when the data has one' }),
        }),
        geometry: Type.Object({
          type: LiteralUnion(['Polygon', 'MultiPolygon'] as const),
          coordinates: Type.Unknown(),
        }),
      }),
    ),
  },
  { description: 'GeoJSON FeatureCollection of the child divisions' },
);

export const Summary = Type.Object({
  within: Type.String(),
  rows: Type.Array(
    Type.Object({
      divisionCode: Type.String(),
      divisionName: Type.String(),
      productCode: LiteralUnion(PRODUCT_CODES),
      productName: Type.String(),
      productNameEn: Type.String(),
      count: Type.Integer(),
      scale: Type.Number(),
    }),
  ),
});

/** Deadlines and overdue work per township (seed 004 六(三)、五(四)); corrections overdue count against the unit. */
export const Deadlines = Type.Object({
  within: Type.String(),
  today: Type.String(),
  reviewDays: Type.Integer({ description: 'working days to review a submitted record' }),
  correctionDays: Type.Integer({ description: 'working days to correct a returned record' }),
  rows: Type.Array(
    Type.Object({
      divisionCode: Type.String(),
      divisionName: Type.String(),
      submitted: Type.Integer(),
      reviewsOverdue: Type.Integer(),
      returned: Type.Integer(),
      correctionsOverdue: Type.Integer(),
      correctedLate: Type.Integer(),
      sitePending: Type.Integer(),
      recollectOverdue: Type.Integer(),
    }),
  ),
});
export type Deadlines = Static<typeof Deadlines>;

export const Flag = Type.Object({
  id: Uuid,
  recordId: Uuid,
  kind: LiteralUnion(FLAG_KINDS),
  kindName: Type.String(),
  kindNameEn: Type.String(),
  detail: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  status: LiteralUnion(FLAG_STATUSES),
  statusName: Type.String(),
  statusNameEn: Type.String(),
  subjectName: Type.String(),
  productCode: LiteralUnion(PRODUCT_CODES),
  createdAt: Type.String(),
  resolvedAt: Nullable(Type.String()),
  resolution: Nullable(Type.String()),
  allowedActions: Type.Array(LiteralUnion(['resolve'] as const)),
});
export type Flag = Static<typeof Flag>;
export const FlagPage = Page(Flag);
export const ResolvedFlag = Type.Object({ id: Uuid, status: LiteralUnion(FLAG_STATUSES), resolution: Type.String() });

export const Notification = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  flagCount: Type.Integer(),
  toDivision: Nullable(Type.String()),
  createdAt: Type.String(),
  read: Type.Boolean(),
});
export const NotificationPage = Page(Notification);

/** The import's outcome by id (the job's merge report in the names the origin import always answered with). */
export const ImportOutcome = Type.Object({
  id: Uuid,
  jobId: Uuid,
  fileName: Type.String(),
  status: LiteralUnion(['queued', 'done', 'failed'] as const),
  total: Nullable(Type.Integer()),
  created: Nullable(Type.Integer()),
  updated: Nullable(Type.Integer()),
  unchanged: Nullable(Type.Integer()),
  errorRows: Nullable(Type.Integer()),
  errors: Type.Array(Type.Object({ row: Type.Integer(), message: Type.String(), messageEn: Type.String() })),
  hasErrorFile: Type.Boolean(),
});
