import { type Static, Type } from 'typebox';
import { ROLE_CODES } from '../../kernel/auth/roles.js';
import {
  AllowedActions,
  DivisionCode,
  LiteralUnion,
  Nullable,
  Page,
  PageQuery,
  Phone,
  Uuid,
} from '../../kernel/schemas.js';
import { ORG_ACTIONS, USER_ACTIONS } from './states.js';
import { ACTIVE_STATUSES, ORG_KINDS, type OrgKind } from './tables.js';

export const ORG_KIND_LABELS: Record<OrgKind, { zh: string; en: string }> = {
  supervision: { zh: '监管机构', en: 'supervision agency' },
  testing: { zh: '检测机构', en: 'testing agency' },
  enforcement: { zh: '执法机构', en: 'enforcement agency' },
  service: { zh: '第三方服务机构', en: 'third-party service agency' },
  operator: { zh: '平台运营机构', en: 'platform operator' },
  producer: { zh: '生产经营主体', en: 'producer (subject)' },
};

/** Kinds of agency managed here (producers are organisations too, managed as subjects). */
export type AgencyKind = Exclude<OrgKind, 'producer'>;
export const AGENCY_KINDS = ORG_KINDS.filter((k): k is AgencyKind => k !== 'producer');

export const OrgKindSchema = LiteralUnion(ORG_KINDS);
export const AgencyKindSchema = LiteralUnion(AGENCY_KINDS, {
  description: AGENCY_KINDS.map((k) => `${k} ${ORG_KIND_LABELS[k].zh}`).join(' · '),
});
export const StatusSchema = LiteralUnion(ACTIVE_STATUSES);

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

// ── organisations ────────────────────────────────────────────────────────────
export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: OrgKindSchema,
  kindZh: Type.String(),
  kindEn: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  status: StatusSchema,
  statusZh: Type.String(),
  statusEn: Type.String(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  userCount: Type.Integer(),
  createdAt: Type.String(),
  allowedActions: AllowedActions(ORG_ACTIONS),
});
export type Organisation = Static<typeof Organisation>;

export const OrgQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  kind: Type.Optional(AgencyKindSchema),
  status: Type.Optional(StatusSchema),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  ...PageQuery,
});
export type OrgQuery = Static<typeof OrgQuery>;

export const OrgInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100 }),
    kind: AgencyKindSchema,
    divisionCode: DivisionCode,
    contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    contactPhone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);
export type OrgInput = Static<typeof OrgInput>;

export const OrgPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
    contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    contactPhone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type OrgPatch = Static<typeof OrgPatch>;

// ── accounts ─────────────────────────────────────────────────────────────────
export const RoleCodes = Type.Array(LiteralUnion(ROLE_CODES), { minItems: 1, maxItems: 8, uniqueItems: true });

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  phone: Nullable(Type.String()),
  orgId: Uuid,
  orgName: Type.String(),
  orgKind: OrgKindSchema,
  orgKindZh: Type.String(),
  orgKindEn: Type.String(),
  divisionCode: Type.String(),
  roles: Type.Array(Type.String()),
  status: StatusSchema,
  statusZh: Type.String(),
  statusEn: Type.String(),
  mustChangePassword: Type.Boolean(),
  locked: Type.Boolean(),
  lastLoginAt: Nullable(Type.String()),
  createdAt: Type.String(),
  allowedActions: AllowedActions(
    USER_ACTIONS,
    'what the caller may do to this account: resetPassword · disable · enable',
  ),
});
export type User = Static<typeof User>;

export const UserQuery = Type.Object({
  orgId: Type.Optional(Uuid),
  within: Type.Optional(DivisionCode),
  status: Type.Optional(StatusSchema),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  ...PageQuery,
});
export type UserQuery = Static<typeof UserQuery>;

const Username = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,31}$',
  description: '3–32 letters, digits, _ . -; starts with a letter',
});

export const UserInput = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    phone: Type.Optional(Nullable(Phone)),
    orgId: Uuid,
    roles: RoleCodes,
    password: Type.Optional(
      Type.String({ minLength: 8, maxLength: 128, description: 'omit to generate one, returned once' }),
    ),
  },
  { additionalProperties: false },
);
export type UserInput = Static<typeof UserInput>;

export const UserPatch = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    phone: Type.Optional(Nullable(Phone)),
    roles: Type.Optional(RoleCodes),
    status: Type.Optional(StatusSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserPatch = Static<typeof UserPatch>;

export const CreatedUser = Type.Object({ user: User, initialPassword: Type.Optional(Type.String()) });
export type CreatedUser = Static<typeof CreatedUser>;

export const TemporaryPassword = Type.Object({ temporaryPassword: Type.String() });
export type TemporaryPassword = Static<typeof TemporaryPassword>;

// ── roles ────────────────────────────────────────────────────────────────────
export const RoleInfo = Type.Object({
  code: LiteralUnion(ROLE_CODES),
  zh: Type.String(),
  en: Type.String(),
  orgKinds: Type.Array(OrgKindSchema),
  verbs: Type.Array(Type.String()),
  grantable: Type.Boolean({ description: 'the caller may grant this role (it holds all its verbs)' }),
});
export type RoleInfo = Static<typeof RoleInfo>;

/** A permission verb with its names: what the profile and the token form show instead of the code. */
export const VerbInfo = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });
export const VerbList = Type.Array(VerbInfo);
export type VerbInfo = Static<typeof VerbInfo>;

export const RoleQuery = Type.Object({
  page: PageQuery.page,
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 200 })),
});
export type RoleQuery = Static<typeof RoleQuery>;

export const OrgPage = Page(Organisation);
export const UserPage = Page(User);
export const RolePage = Page(RoleInfo);
