import { type Static, Type } from 'typebox';
import { Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';
import { OrgKindSchema } from '../accounts/schemas.js';

export const Profile = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  phone: Nullable(Type.String()),
  orgId: Uuid,
  orgName: Type.String(),
  orgKind: OrgKindSchema,
  orgKindZh: Type.String(),
  orgKindEn: Type.String(),
  scope: Type.String({ description: 'jurisdiction division code; "" = national' }),
  scopeName: Type.String(),
  roles: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })),
  verbs: Type.Array(Type.String()),
  assistedVerbs: Type.Array(Type.String(), {
    description: 'producer verbs this account may use while acting for a farmer (X-Acting-For, farmer.assist)',
  }),
  mustChangePassword: Type.Boolean(),
  lastLoginAt: Nullable(Type.String()),
  viaToken: Type.Boolean(),
  platformTier: Type.String({ description: "this platform's tier (national, province, city, county): pages by tier" }),
});
export type Profile = Static<typeof Profile>;

export const LoginInput = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type LoginInput = Static<typeof LoginInput>;

export const LoginResult = Type.Object({ token: Type.String(), expiresAt: Type.String(), user: Profile });
export type LoginResult = Static<typeof LoginResult>;

export const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
    newPassword: Type.String({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChange>;

export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  verbs: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});
export type ApiToken = Static<typeof ApiToken>;

export const ApiTokenInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    verbs: Type.Array(Type.String({ pattern: '^[a-z][a-zA-Z]*\\.[a-z][a-zA-Z]*$' }), {
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
    }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export type ApiTokenInput = Static<typeof ApiTokenInput>;

/** A new token with its secret, shown this once. */
export const CreatedApiToken = Type.Object({ ...ApiToken.properties, token: Type.String() });
export type CreatedApiToken = Static<typeof CreatedApiToken>;

export const TokenQuery = Type.Object({
  page: PageQuery.page,
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 200 })),
});
export type TokenQuery = Static<typeof TokenQuery>;
export const ApiTokenPage = Page(ApiToken);

export const TokenParams = Type.Object({ id: Uuid });
