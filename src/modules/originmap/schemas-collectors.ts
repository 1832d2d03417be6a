import { type Static, Type } from 'typebox';
import { Nullable, Uuid } from '../../kernel/schemas.js';

/** Contracts of the county's authorisations of third-party collectors (seed 004 五(三)). */
export const CollectorGrantBody = Type.Object(
  {
    agencyOrgId: Uuid,
    countyCode: Type.String({ pattern: '^[0-9]{6}$', description: 'the county (6 digits)' }),
    confidentialityNo: Type.String({
      minLength: 2,
      maxLength: 60,
      pattern: '^[^\\u0000-\\u001f]*$',
      description: '保密协议编号 confidentiality agreement number',
    }),
    confidentialitySignedOn: Type.String({ format: 'date', description: '保密协议签订日期 YYYY-MM-DD' }),
    confidentialityFile: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export type CollectorGrantBody = Static<typeof CollectorGrantBody>;

export const CollectorGrant = Type.Object({
  id: Uuid,
  agencyOrgId: Uuid,
  agencyName: Type.String(),
  countyCode: Type.String(),
  confidentialityNo: Type.String(),
  confidentialitySignedOn: Type.String(),
  confidentialityFile: Nullable(Type.String()),
  grantedAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  active: Type.Boolean(),
  allowedActions: Type.Array(Type.Literal('revoke')),
});
export type CollectorGrant = Static<typeof CollectorGrant>;
