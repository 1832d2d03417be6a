import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, PageQuery, Phone, Uuid } from '../../kernel/schemas.js';
import { IndustrySchema } from '../directory/schemas.js';
import {
  APPLICATION_KIND_VALUES,
  APPLICATION_STATUS_VALUES,
  CERTIFICATION_VALUES,
  CERT_TYPE_VALUES,
  FILE_KIND_VALUES,
  INDUSTRY_VALUES,
  ORG_FORM_VALUES,
  SOURCE_VALUES,
  SUBJECT_ACTION_VALUES,
  SUBJECT_STATUS_VALUES,
  SUBJECT_TYPE_VALUES,
  WHO_VALUES,
} from './tables.js';
import { REJECT_REASON_VALUES } from './review-rules.js';

export * from './tables.js';

/**
 * Every contract of the subjects module: the request and response schemas and the `Static<>` types the services are
 * written against. The enumerations (one `as const` array each, with their zh/en labels) are declared in tables.ts,
 * next to the columns that store them, and re-exported here.
 */
export const LabelSchema = Type.Object({ zh: Type.String(), en: Type.String() });

export const OrgFormSchema = LiteralUnion(ORG_FORM_VALUES, {
  description: 'enterprise 企业 · cooperative 合作社 · family_farm 家庭农场 · individual 农户',
});
export const SubjectTypeSchema = LiteralUnion(SUBJECT_TYPE_VALUES, {
  description: 'production 生产 · operation 经营 · both 生产经营',
});
export { IndustrySchema };
const CertTypeSchema = LiteralUnion(CERT_TYPE_VALUES, {
  description: 'credit_code 统一社会信用代码 · id_card 居民身份证',
});
const CertificationSchema = LiteralUnion(CERTIFICATION_VALUES, {
  description: 'green 绿色食品 · organic 有机 · gi 地理标志 · gap 良好农业规范',
});
export const StatusSchema = LiteralUnion(SUBJECT_STATUS_VALUES);
const ActionSchema = LiteralUnion(SUBJECT_ACTION_VALUES);
const ApplicationKindSchema = LiteralUnion(APPLICATION_KIND_VALUES);
const FileKindSchema = LiteralUnion(FILE_KIND_VALUES, {
  description: 'licence 营业执照 · id_front/id_back 身份证正反面 · other',
});
const SourceSchema = LiteralUnion(SOURCE_VALUES, {
  description: 'self 自主注册 · import 历史导入 · agency 服务机构代填',
});

/** `{ key: {zh, en} }` for every value of an enumeration. */
const labelsOf = <const T extends readonly string[]>(keys: T) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, LabelSchema])) as Record<T[number], typeof LabelSchema>);

// ── requests ─────────────────────────────────────────────────────────────────────────────────────────────────────
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });

/** A proof file (licence, ID card) uploaded first with `uploadFile` (multipart/form-data, field `file`). */
export const FileRef = Type.Object(
  {
    fileId: Type.String({
      format: 'uuid',
      description: 'id returned by uploadFile (POST /api/v1/files, multipart/form-data with the file in field `file`)',
    }),
    kind: FileKindSchema,
  },
  { additionalProperties: false },
);
export type FileRef = Static<typeof FileRef>;

const fieldsProps = {
  orgForm: OrgFormSchema,
  subjectType: SubjectTypeSchema,
  isSlaughterhouse: Type.Optional(Type.Boolean({ description: '屠宰厂（场）' })),
  industries: Type.Array(IndustrySchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
  name: Text(100, 2),
  certType: CertTypeSchema,
  certNo: Type.String({
    minLength: 15,
    maxLength: 24,
    description: '18-character credit code or 18-digit ID number (check character verified)',
  }),
  legalPersonName: Text(50),
  legalPersonIdNo: Type.Optional(Nullable(Type.String({ maxLength: 24 }))),
  legalPersonPhone: Type.Optional(Nullable(Phone)),
  contactName: Text(50),
  contactPhone: Phone,
  contactEmail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 100 }))),
  address: Text(200, 2),
  divisionCode: DivisionCode,
  longitude: Type.Optional(Nullable(Type.Number({ minimum: 73, maximum: 136 }))),
  latitude: Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 54 }))),
  certifications: Type.Optional(Type.Array(CertificationSchema, { maxItems: 4, uniqueItems: true })),
  files: Type.Optional(Type.Array(FileRef, { maxItems: 10 })),
};
/** The registration fields of a subject, as a registration or a resubmission sends them. */
export const RegistrationFields = Type.Object(fieldsProps, { additionalProperties: false });
export type RegistrationFields = Static<typeof RegistrationFields>;

export const Username = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$',
  description: '3–32 letters/digits (a mobile number works)',
});
export const Password = Type.String({ minLength: 8, maxLength: 128 });

export const RegisterBody = Type.Object(
  { ...fieldsProps, username: Username, password: Password },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterBody>;

export const ResubmitBody = Type.Object(
  { ...fieldsProps, expectedVersion: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);
export type ResubmitInput = Static<typeof ResubmitBody>;

/** Fields a change request may alter (certificate and identity stay: a new certificate is a new registration). */
export const CHANGEABLE = [
  'name',
  'subjectType',
  'isSlaughterhouse',
  'industries',
  'legalPersonName',
  'legalPersonPhone',
  'contactName',
  'contactPhone',
  'contactEmail',
  'address',
  'divisionCode',
  'longitude',
  'latitude',
  'certifications',
] as const;
export type Changeable = (typeof CHANGEABLE)[number];
const changeableProps = Object.fromEntries(CHANGEABLE.map((k) => [k, fieldsProps[k]])) as Pick<
  typeof fieldsProps,
  Changeable
>;
export const Changes = Type.Partial(Type.Object(changeableProps), { additionalProperties: false });
export type ChangeInput = Static<typeof Changes>;

export const ChangeBody = Type.Object(
  { changes: Changes, reason: Text(500, 2), files: Type.Optional(Type.Array(FileRef, { maxItems: 10 })) },
  { additionalProperties: false },
);
export type ChangeRequestInput = Static<typeof ChangeBody>;

/** What a service agency may change for a producer it is authorised by (agencies module). */
export const AgencyChangeBody = Type.Object(
  {
    changes: Type.Object(
      {
        contactName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
        contactPhone: Type.Optional(Phone),
        address: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
        longitude: Type.Optional(Type.Number({ minimum: 73, maximum: 136 })),
        latitude: Type.Optional(Type.Number({ minimum: 3, maximum: 54 })),
      },
      { additionalProperties: false },
    ),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type AgencyChangeInput = Static<typeof AgencyChangeBody>;

export const ReasonBody = Type.Object({ reason: Text(500, 2) }, { additionalProperties: false });

const Note = Type.Optional(Nullable(Type.String({ maxLength: 500 })));
export const ApproveBody = Type.Object({ note: Note }, { additionalProperties: false });
export const RejectionReason = Type.Object(
  {
    code: Type.Optional(
      LiteralUnion(REJECT_REASON_VALUES, {
        description: 'a standard reason (listSubjectRejectReasons); other = text only',
      }),
    ),
    field: Type.Optional(Type.String({ maxLength: 40 })),
    reason: Type.Optional(
      Type.String({ maxLength: 300, description: 'free text (required without a code or with other)' }),
    ),
  },
  { additionalProperties: false },
);
export type RejectionReason = Static<typeof RejectionReason>;
export const RejectBody = Type.Object(
  { reasons: Type.Array(RejectionReason, { minItems: 1, maxItems: 20 }), note: Note },
  { additionalProperties: false },
);

export const ApproveManyBody = Type.Object(
  { ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 200, uniqueItems: true }), note: Note },
  { additionalProperties: false },
);
export const ApproveManyResult = Type.Object({
  approved: Type.Array(Type.String()),
  failed: Type.Array(
    Type.Object({ id: Type.String(), code: Type.String(), message: Type.String(), messageEn: Type.String() }),
  ),
});
export type ApproveManyResult = Static<typeof ApproveManyResult>;
export const RejectReasonItem = Type.Object({
  code: LiteralUnion(REJECT_REASON_VALUES),
  zh: Type.String(),
  en: Type.String(),
  field: Nullable(Type.String()),
});

export const OpenAccountBody = Type.Object(
  { username: Username, password: Password, displayName: Type.Optional(Text(50)) },
  { additionalProperties: false },
);
export type OpenAccountInput = Static<typeof OpenAccountBody>;

export const StaffCreateBody = Type.Object(
  { username: Username, displayName: Text(50), phone: Type.Optional(Nullable(Phone)), password: Password },
  { additionalProperties: false },
);
export type StaffCreateInput = Static<typeof StaffCreateBody>;
export const StaffUpdateBody = Type.Object(
  {
    displayName: Type.Optional(Text(50)),
    phone: Type.Optional(Nullable(Phone)),
    status: Type.Optional(LiteralUnion(['active', 'disabled'] as const)),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type StaffUpdateInput = Static<typeof StaffUpdateBody>;

const searchProps = {
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name contains' })),
  code: Type.Optional(Type.String({ maxLength: 30, description: 'identity code or certificate number' })),
  orgForm: Type.Optional(OrgFormSchema),
  subjectType: Type.Optional(SubjectTypeSchema),
  industry: Type.Optional(IndustrySchema),
  within: Type.Optional(DivisionCode),
  status: Type.Optional(StatusSchema),
  certification: Type.Optional(CertificationSchema),
  source: Type.Optional(SourceSchema),
};
export const SearchFilter = Type.Object(searchProps);
export type SearchFilter = Static<typeof SearchFilter>;
export const SearchQuery = Type.Object({ ...searchProps, ...PageQuery });
export type SearchQuery = Static<typeof SearchQuery>;

export const QueueQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  kind: Type.Optional(ApplicationKindSchema),
  status: Type.Optional(LiteralUnion(['pending', 'approved', 'rejected'] as const)),
  overdue: Type.Optional(Type.Boolean()),
  subjectId: Type.Optional(Uuid),
  applicationId: Type.Optional(Uuid),
  ...PageQuery,
});
export type QueueQuery = Static<typeof QueueQuery>;

export const IdParam = Type.Object({ id: Uuid });
export const CodeParam = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });

// ── responses ────────────────────────────────────────────────────────────────────────────────────────────────────
export const Application = Type.Object({
  id: Uuid,
  subjectId: Uuid,
  kind: ApplicationKindSchema,
  status: LiteralUnion(APPLICATION_STATUS_VALUES),
  data: Type.Record(Type.String(), Type.Unknown(), {
    description: 'the submitted fields (registration snapshot, or the changes with their `before` values)',
  }),
  reason: Nullable(Type.String()),
  submittedAt: DateTime,
  dueDate: Type.String({ format: 'date', description: '5 Chinese working days after submission' }),
  overdue: Type.Boolean(),
  decidedAt: Nullable(DateTime),
  decidedByName: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  reasons: Type.Array(
    Type.Object({
      code: Type.Optional(Nullable(Type.String())),
      field: Type.Optional(Type.String()),
      reason: Type.String(),
    }),
  ),
});
export type Application = Static<typeof Application>;

const subjectProps = {
  id: Uuid,
  orgId: Nullable(Uuid), // null for a record shared from a lower platform
  name: Type.String(),
  orgForm: OrgFormSchema,
  subjectType: SubjectTypeSchema,
  isSlaughterhouse: Type.Boolean(),
  industries: Type.Array(IndustrySchema),
  certType: CertTypeSchema,
  certNo: Type.String({
    description: 'ID numbers are masked unless the caller is the producer or its county reviewer',
  }),
  legalPersonName: Type.String(),
  legalPersonIdNo: Nullable(Type.String()),
  legalPersonPhone: Nullable(Type.String()),
  contactName: Type.String(),
  contactPhone: Type.String(),
  contactEmail: Nullable(Type.String()),
  address: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
  certifications: Type.Array(CertificationSchema),
  status: StatusSchema,
  statusZh: Type.String(),
  statusEn: Type.String(),
  identityCode: Nullable(Type.String()),
  approvedAt: Nullable(DateTime),
  source: SourceSchema,
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
  allowedActions: Type.Array(ActionSchema, { description: 'what the caller may do next (from the state table)' }),
  originPlatform: Nullable(
    Type.String({
      description:
        "the lower platform this record was shared from (信息归集, e.g. province-44); null for this platform's own",
    }),
  ),
};
export const Subject = Type.Object(subjectProps);
export type Subject = Static<typeof Subject>;

export const SubjectFile = Type.Object({
  id: Uuid,
  name: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  kind: FileKindSchema,
  url: Type.String({ description: 'download through readFile (jurisdiction applies)' }),
});
export const SubjectDetail = Type.Object({
  ...subjectProps,
  divisionFullName: Type.String(),
  hasAccount: Type.Boolean({ description: 'the producer has a main login account' }),
  files: Type.Array(SubjectFile),
  applications: Type.Array(Application),
});
export type SubjectDetail = Static<typeof SubjectDetail>;

export const Registered = Type.Object({
  subjectId: Uuid,
  applicationId: Uuid,
  username: Type.String(),
  status: Type.Literal('pending'),
  dueDate: Type.String({ format: 'date' }),
});

export const QueueItem = Type.Object({
  id: Uuid,
  subjectId: Uuid,
  subjectName: Type.String(),
  orgForm: OrgFormSchema,
  subjectStatus: StatusSchema,
  kind: ApplicationKindSchema,
  status: LiteralUnion(APPLICATION_STATUS_VALUES),
  reason: Nullable(Type.String()),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  submittedAt: DateTime,
  dueDate: Type.String({ format: 'date', description: '5 Chinese working days after submission' }),
  overdue: Type.Boolean(),
  overdueWorkingDays: Type.Integer(),
  workingDaysLeft: Type.Integer(),
  decidedAt: Nullable(DateTime),
  decidedByName: Nullable(Type.String()),
  allowedActions: Type.Array(ActionSchema),
});
export type QueueItem = Static<typeof QueueItem>;

export const Staff = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  phone: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  status: LiteralUnion(['active', 'disabled'] as const),
  userCode: Nullable(Type.String({ description: 'identity code + "-" + two digits; the main account is -00' })),
  main: Type.Boolean(),
  lastLoginAt: Nullable(DateTime),
  createdAt: DateTime,
});
export type Staff = Static<typeof Staff>;

export const AccountOpened = Type.Object({
  accountId: Uuid,
  username: Type.String(),
  mustChangePassword: Type.Boolean(),
});

export const Meta = Type.Object({
  orgForms: labelsOf(ORG_FORM_VALUES),
  subjectTypes: labelsOf(SUBJECT_TYPE_VALUES),
  industries: labelsOf(INDUSTRY_VALUES),
  certifications: labelsOf(CERTIFICATION_VALUES),
  certTypes: labelsOf(CERT_TYPE_VALUES),
  statuses: labelsOf(SUBJECT_STATUS_VALUES),
  actions: labelsOf(SUBJECT_ACTION_VALUES),
  applicationKinds: labelsOf(APPLICATION_KIND_VALUES),
  applicationStatuses: labelsOf(APPLICATION_STATUS_VALUES),
  sources: labelsOf(SOURCE_VALUES),
  fileKinds: labelsOf(FILE_KIND_VALUES),
  transitions: Type.Array(
    Type.Object({
      from: StatusSchema,
      action: ActionSchema,
      to: StatusSchema,
      who: LiteralUnion(WHO_VALUES),
      kind: Type.Optional(ApplicationKindSchema),
      zh: Type.String(),
      en: Type.String(),
    }),
  ),
  reviewWorkingDays: Type.Integer(),
});

// ── the national registry (registry.ts) ──────────────────────────────────────────────────────────────────────────
const RegistryHash = Type.String({
  pattern: '^[0-9a-f]{32}$',
  description: 'HMAC-SM3 of a duplicate key, 128 bits hex',
});
export const RegistryMatch = Type.Object({
  hashes: Type.Array(Type.String(), { description: 'the asked hashes this record holds' }),
  recordId: Type.String(),
  platformId: Type.String({ description: 'the platform holding the registration, e.g. province-51' }),
  platformName: Type.String({ description: 'e.g. 四川省平台' }),
  platformNameEn: Type.String(),
  divisionCode: Type.String(),
  status: LiteralUnion(SUBJECT_STATUS_VALUES),
  identityCode: Nullable(Type.String()),
});
export type RegistryMatch = Static<typeof RegistryMatch>;

export const RegistryCheckInput = Type.Object(
  {
    hashes: Type.Array(RegistryHash, { minItems: 1, maxItems: 4000 }),
    from: Type.String({ pattern: '^(national|(province|city|county)-\\d{2,6})$' }),
    signedAt: DateTime,
    signature: Type.String({ minLength: 8, maxLength: 200, pattern: '^[A-Za-z0-9+/=]+$' }),
  },
  { additionalProperties: false },
);
export type RegistryCheckInput = Static<typeof RegistryCheckInput>;

export const RegistryCheckAnswer = Type.Object({
  complete: Type.Boolean({ description: 'false: the national registry could not be asked (the answer is partial)' }),
  matches: Type.Array(RegistryMatch),
});
export type RegistryCheckAnswer = Static<typeof RegistryCheckAnswer>;

export const RegistryDuplicateRecord = Type.Object({
  ...RegistryMatch.properties,
  name: Type.String({ description: "the producer's name on that record" }),
  statusZh: Type.String(),
  statusEn: Type.String(),
  local: Type.Boolean({ description: 'true: the record is on this platform (open it at /subjects/{recordId})' }),
});
export const RegistryDuplicate = Type.Object({
  records: Type.Array(RegistryDuplicateRecord, { description: 'records of one producer registered more than once' }),
});
export type RegistryDuplicate = Static<typeof RegistryDuplicate>;
