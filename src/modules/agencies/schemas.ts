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
