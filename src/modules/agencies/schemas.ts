import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, PageQuery, Phone, Uuid } from '../../kernel/schemas.js';
import { Application, StatusSchema } from '../subjects/schemas.js';

/** Every contract of the agencies module, with the `Static<>` types its service is written against. */

/** What a producer may authorise an agency to enter for it. */
export const SCOPE_VALUES = [
  'profile',
  'products',
  'bases',
  'batches',
  'certificates',
  'inputs',
  'sales',
  'origin',
] as const;
export type AgencyScope = (typeof SCOPE_VALUES)[number];
export const SCOPES: Record<AgencyScope, { zh: string; en: string }> = {
  profile: { zh: '主体信息变更', en: 'producer profile changes' },
  products: { zh: '产品信息', en: 'products' },
  bases: { zh: '生产基地', en: 'production bases' },
  batches: { zh: '批次与追溯码', en: 'batches and trace codes' },
  certificates: { zh: '承诺达标合格证', en: 'compliance certificates' },
  inputs: { zh: '投入品使用记录', en: 'input-use records' },
  sales: { zh: '销售与收货', en: 'sales and receipts' },
  origin: { zh: '产地溯源信息', en: 'origin-map records' },
};
export const ScopeSchema = LiteralUnion(SCOPE_VALUES, {
  description:
    'profile 主体信息 · products 产品 · bases 基地 · batches 批次 · certificates 合格证 · inputs 投入品 · sales 销售 · origin 产地溯源',
});

/** Review states of a registration (an agency created by an administrator, without one, counts as approved). */
export const REVIEW_STATUS_VALUES = ['pending', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUS_VALUES)[number];
export const REVIEW_ACTION_VALUES = ['approve', 'reject'] as const;
export type ReviewAction = (typeof REVIEW_ACTION_VALUES)[number];
const ReviewStatusSchema = LiteralUnion(REVIEW_STATUS_VALUES);

export const AUTHORISATION_STATE_VALUES = ['active', 'revoked'] as const;
export type AuthorisationState = (typeof AUTHORISATION_STATE_VALUES)[number];
export const AUTHORISATION_ACTION_VALUES = ['revoke'] as const;
export type AuthorisationAction = (typeof AUTHORISATION_ACTION_VALUES)[number];

// ── requests ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const RegisterBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100 }),
    creditCode: Type.String({ minLength: 18, maxLength: 24 }),
    legalPerson: Type.String({ minLength: 1, maxLength: 50 }),
    services: Type.String({ minLength: 2, maxLength: 500 }),
    divisionCode: DivisionCode,
    contactName: Type.String({ minLength: 1, maxLength: 50 }),
    contactPhone: Phone,
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$' }),
    password: Type.String({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterBody>;

export const OrgIdParam = Type.Object({ orgId: Uuid });
export const IdParam = Type.Object({ id: Uuid });
export const SubjectIdParam = Type.Object({ subjectId: Uuid });

export const ListQuery = Type.Object({ status: Type.Optional(ReviewStatusSchema), ...PageQuery });
export type ListQuery = Static<typeof ListQuery>;
export const ListPageQuery = Type.Object({ ...PageQuery });
export type ListPageQuery = Static<typeof ListPageQuery>;

export const RejectBody = Type.Object(
  { reasons: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);

export const GrantBody = Type.Object(
  {
    agencyOrgId: Uuid,
    scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: SCOPE_VALUES.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type GrantInput = Static<typeof GrantBody>;

// ── responses ────────────────────────────────────────────────────────────────────────────────────────────────────
export const Registered = Type.Object({ orgId: Uuid, status: Type.Literal('pending') });

export const RegistrationStatus = Type.Object({
  name: Type.String(),
  status: ReviewStatusSchema,
  statusZh: Type.String(),
  statusEn: Type.String(),
  reasons: Nullable(Type.String()),
  submittedAt: DateTime,
  decidedAt: Nullable(DateTime),
});
export type RegistrationStatus = Static<typeof RegistrationStatus>;

export const Agency = Type.Object({
  orgId: Uuid,
  name: Type.String(),
  divisionCode: Type.String(),
  creditCode: Nullable(Type.String()),
  legalPerson: Nullable(Type.String()),
  services: Nullable(Type.String()),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  status: ReviewStatusSchema,
  statusZh: Type.String(),
  statusEn: Type.String(),
  reasons: Nullable(Type.String()),
  submittedAt: Nullable(DateTime),
  allowedActions: Type.Array(LiteralUnion(REVIEW_ACTION_VALUES), {
    description: 'what the caller may do next (the province reviewer decides a pending registration)',
  }),
});
export type Agency = Static<typeof Agency>;

export const Authorisation = Type.Object({
  id: Uuid,
  agencyOrgId: Uuid,
  agencyName: Type.String(),
  scopes: Type.Array(ScopeSchema),
  grantedAt: DateTime,
  revokedAt: Nullable(DateTime),
  active: Type.Boolean(),
  allowedActions: Type.Array(LiteralUnion(AUTHORISATION_ACTION_VALUES)),
});
export type Authorisation = Static<typeof Authorisation>;

export const AvailableAgency = Type.Object({
  orgId: Uuid,
  name: Type.String(),
  divisionCode: Type.String(),
  services: Nullable(Type.String()),
});
export type AvailableAgency = Static<typeof AvailableAgency>;

export const Client = Type.Object({
  authorisationId: Uuid,
  scopes: Type.Array(ScopeSchema),
  grantedAt: DateTime,
  subjectId: Uuid,
  name: Type.String(),
  identityCode: Nullable(Type.String()),
  status: StatusSchema,
  divisionCode: Type.String(),
});
export type Client = Static<typeof Client>;

export const ChangeOnBehalfResult = Type.Object({
  id: Uuid,
  name: Type.String(),
  status: StatusSchema,
  applications: Type.Array(Application),
});

// ── a farmer's consent to be acted for (代农户办理, issue 16 item 5) ─────────────────────────────────────────────────
/** What a co-supervisor or township official may do for a farmer with its consent. */
export const CONSENT_SCOPE_VALUES = ['products', 'bases', 'batches', 'certificates', 'inputs', 'sales'] as const;
export type ConsentScope = (typeof CONSENT_SCOPE_VALUES)[number];
/** How the consent was given: signed on the official's screen, said in front of a witness, or a signed paper form. */
export const CONSENT_METHOD_VALUES = ['signed_on_screen', 'verbal_witnessed', 'paper_form'] as const;
export type ConsentMethod = (typeof CONSENT_METHOD_VALUES)[number];
export const CONSENT_METHODS: Record<ConsentMethod, { zh: string; en: string }> = {
  signed_on_screen: { zh: '屏幕手写签名', en: 'signed on screen' },
  verbal_witnessed: { zh: '口头同意（有见证人）', en: 'verbal, with a witness' },
  paper_form: { zh: '纸质同意书（拍照留存）', en: 'signed paper form (photographed)' },
};
export const CONSENT_STATE_VALUES = ['active', 'expired', 'revoked'] as const;
export type ConsentState = (typeof CONSENT_STATE_VALUES)[number];
export const CONSENT_ACTION_VALUES = ['revoke'] as const;
export type ConsentAction = (typeof CONSENT_ACTION_VALUES)[number];

export const ConsentBody = Type.Object(
  {
    subjectId: Uuid,
    scopes: Type.Array(LiteralUnion(CONSENT_SCOPE_VALUES), {
      minItems: 1,
      maxItems: CONSENT_SCOPE_VALUES.length,
      uniqueItems: true,
    }),
    method: LiteralUnion(CONSENT_METHOD_VALUES, {
      description:
        'signed_on_screen 屏幕签名 (signatureFileId) · verbal_witnessed 口头+见证人 (witnessName) · paper_form 纸质同意书照片 (signatureFileId)',
    }),
    witnessName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    signatureFileId: Type.Optional(Nullable(Uuid)),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    validUntil: DateTime,
  },
  { additionalProperties: false },
);
export type ConsentInput = Static<typeof ConsentBody>;

export const RevokeConsentBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);

export const ConsentListQuery = Type.Object({
  subjectId: Type.Optional(Uuid),
  activeOnly: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
export type ConsentListQuery = Static<typeof ConsentListQuery>;

export const FarmerQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })), ...PageQuery });
export type FarmerQuery = Static<typeof FarmerQuery>;

export const Consent = Type.Object({
  id: Uuid,
  subjectId: Uuid,
  subjectName: Type.String(),
  actorId: Uuid,
  actorName: Type.String(),
  actorOrgName: Type.String(),
  scopes: Type.Array(LiteralUnion(CONSENT_SCOPE_VALUES)),
  method: LiteralUnion(CONSENT_METHOD_VALUES),
  methodZh: Type.String(),
  methodEn: Type.String(),
  witnessName: Nullable(Type.String()),
  signatureFileId: Nullable(Uuid),
  note: Nullable(Type.String()),
  validUntil: DateTime,
  recordedAt: DateTime,
  revokedAt: Nullable(DateTime),
  revokeReason: Nullable(Type.String()),
  state: LiteralUnion(CONSENT_STATE_VALUES),
  stateZh: Type.String(),
  stateEn: Type.String(),
  allowedActions: Type.Array(LiteralUnion(CONSENT_ACTION_VALUES)),
});
export type Consent = Static<typeof Consent>;

/** A farmer (approved producer) in the official's jurisdiction, with the caller's live consent if any. */
export const Farmer = Type.Object({
  subjectId: Uuid,
  name: Type.String(),
  divisionCode: Type.String(),
  contactName: Type.String(),
  consentId: Nullable(Uuid),
  consentScopes: Type.Array(LiteralUnion(CONSENT_SCOPE_VALUES)),
  consentValidUntil: Nullable(DateTime),
});
export type Farmer = Static<typeof Farmer>;
