import { type Static, Type } from 'typebox';
import { DateTime, LiteralUnion, Nullable } from '../../kernel/schemas.js';
import { ReviewItem } from '../review/schemas.js';

/** Field types of the catalogue (信息资源目录), with their labels. */
export const FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'uuid',
  'array',
  'object',
] as const;
export const PERSONAL_CLASSES = ['none', 'personal', 'sensitive'] as const;
export const PERSONAL_LABELS = {
  none: { zh: '非个人信息', en: 'not personal' },
  personal: { zh: '个人信息', en: 'personal' },
  sensitive: { zh: '敏感个人信息', en: 'sensitive personal' },
} as const;
/** Who may see a field (seed 003): consumers the origin, producers one step up and down, regulators everything. */
export const VISIBILITIES = ['consumer', 'producer', 'regulator'] as const;
export const VISIBILITY_LABELS = {
  consumer: { zh: '公众可见', en: 'consumers' },
  producer: { zh: '上下游主体可见', en: 'producers one step' },
  regulator: { zh: '仅监管可见', en: 'regulators only' },
} as const;
export const STATUSES = ['draft', 'published', 'retired'] as const;
export const STATUS_LABELS = {
  draft: { zh: '草稿', en: 'draft' },
  published: { zh: '已发布（现行）', en: 'published (in force)' },
  retired: { zh: '已废止', en: 'retired' },
} as const;

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Key = Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z][A-Za-z0-9_]*$' });

export const CatalogField = Type.Object(
  {
    key: Key,
    nameZh: Name,
    nameEn: Name,
    type: LiteralUnion(FIELD_TYPES),
    unit: Type.Optional(Type.String({ maxLength: 40 })),
    required: Type.Boolean(),
    /** Required only when another field holds one of these values. */
    requiredWhen: Type.Optional(
      Type.Object({ field: Key, in: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 100 }) }),
    ),
    codeList: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 })),
    minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    pattern: Type.Optional(Type.String({ maxLength: 500 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    exclusiveMin: Type.Optional(Type.Number()),
    personal: LiteralUnion(PERSONAL_CLASSES),
    visibility: LiteralUnion(VISIBILITIES),
    sharedUpward: Type.Boolean(),
    /** A lower tier's own optional field (seed 003 一(二)4 体现特色). */
    local: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CatalogField = Static<typeof CatalogField>;

export const CatalogResource = Type.Object(
  {
    key: Key,
    nameZh: Name,
    nameEn: Name,
    /** The API operations that collect this resource (create: every required field; update: the fields sent). */
    operations: Type.Array(
      Type.Object(
        { operationId: Key, mode: LiteralUnion(['create', 'update'] as const) },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    /** Collected records are reviewed (审核, seed 000 art. 12). */
    reviewed: Type.Boolean(),
    /** Upload within this many days after the work (seed 000 art. 11: 3). */
    lateDays: Type.Integer({ minimum: 1, maximum: 365 }),
    /** The field holding when the work happened. */
    workAtField: Type.Optional(Key),
    fields: Type.Array(CatalogField, { maxItems: 300 }),
  },
  { additionalProperties: false },
);
export type CatalogResource = Static<typeof CatalogResource>;

export const CatalogContent = Type.Object(
  { resources: Type.Array(CatalogResource, { maxItems: 200 }) },
  { additionalProperties: false },
);
export type CatalogContent = Static<typeof CatalogContent>;

const VersionFields = {
  id: Type.String(),
  version: Type.String(),
  tier: LiteralUnion(['national', 'local'] as const),
  divisionCode: Type.String(),
  baseVersion: Nullable(Type.String()),
  status: LiteralUnion(STATUSES),
  statusZh: Type.String(),
  statusEn: Type.String(),
  title: Type.String(),
  note: Nullable(Type.String()),
  origin: Type.String(),
  createdAt: DateTime,
  publishedAt: Nullable(DateTime),
  retiredAt: Nullable(DateTime),
};
export const VersionSummary = Type.Object({ ...VersionFields, resources: Type.Integer(), fields: Type.Integer() });
export type VersionSummary = Static<typeof VersionSummary>;
export const VersionDetail = Type.Object({
  ...VersionFields,
  content: CatalogContent,
  /** What this platform's tier may do with it (the web shows exactly these buttons). */
  allowedActions: Type.Array(Type.String()),
});
export type VersionDetail = Static<typeof VersionDetail>;

export const VersionList = Type.Object({
  items: Type.Array(VersionSummary),
  /** The tier of this platform: national authors versions, lower tiers import them and add local fields. */
  platformTier: LiteralUnion(['national', 'local'] as const),
  current: Nullable(Type.String()),
});

const VersionNo = Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z][0-9A-Za-z.-]*$' });
export const CreateDraft = Type.Object(
  {
    version: VersionNo,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    /** Start from this version's content (default: the one in force). */
    from: Type.Optional(VersionNo),
    content: Type.Optional(CatalogContent),
  },
  { additionalProperties: false },
);
export type CreateDraft = Static<typeof CreateDraft>;
export const UpdateDraft = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    content: Type.Optional(CatalogContent),
  },
  { additionalProperties: false },
);
export type UpdateDraft = Static<typeof UpdateDraft>;

/** The exchange file (JSON): what exportCatalog writes and importCatalog reads. */
export const CatalogFile = Type.Object(
  {
    format: Type.Literal('suyuan-info-catalog/1'),
    version: VersionNo,
    tier: LiteralUnion(['national', 'local'] as const),
    divisionCode: Type.String({ maxLength: 12, pattern: '^[0-9]*$' }),
    baseVersion: Nullable(VersionNo),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    note: Nullable(Type.String({ maxLength: 2000 })),
    publishedAt: Nullable(DateTime),
    content: CatalogContent,
  },
  { additionalProperties: false },
);
export type CatalogFile = Static<typeof CatalogFile>;

export const ImportBody = Type.Object(
  { file: CatalogFile, publish: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;

export const SharedField = Type.Object({
  key: Type.String(),
  type: Type.String(),
  personal: LiteralUnion(PERSONAL_CLASSES),
});
export type SharedField = Static<typeof SharedField>;

/** How one record was collected: the catalogue version, when the work happened and when it was uploaded, the late
 * flag (seed 000 art. 11) and its review item (art. 12) — what a record's page shows beside it. A record with no
 * collection known to the caller (a bought batch, a record from before the catalogue, or one the caller may not see)
 * answers `collected: false` with the rest empty: an unknown status, not an error. */
export const CollectedRecord = Type.Object({
  resource: Type.String(),
  recordId: Type.String(),
  collected: Type.Boolean(),
  catalogVersion: Nullable(Type.String()),
  workAt: Nullable(DateTime),
  uploadedAt: Nullable(DateTime),
  lateDays: Nullable(Type.Integer()),
  late: Type.Boolean(),
  review: Nullable(ReviewItem),
});
export type CollectedRecord = Static<typeof CollectedRecord>;
