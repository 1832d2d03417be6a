import { type Static, Type } from 'typebox';
import { DivisionCode, Label, LiteralUnion, Nullable } from '../../kernel/schemas.js';
import { REGISTRY_KIND_VALUES } from './tables.js';

/** Certification coverage (seed 002 二: 三品一标 100% traced) and the 带证上网 check, as the API sends them. */
export const CoverageQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  /** A producer is actively tracing with a certificate or a batch within this many days (default 90). */
  activeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 730 })),
});
export type CoverageQuery = Static<typeof CoverageQuery>;

const Rate = Nullable(Type.Number({ description: 'percent' }));
export const CLAIM_STATUS_VALUES = ['valid', 'unknown', 'kind_mismatch', 'holder_mismatch', 'expired'] as const;
export type ClaimStatus = (typeof CLAIM_STATUS_VALUES)[number];

export const Coverage = Type.Object({
  divisionCode: Type.String(),
  activeDays: Type.Integer(),
  byKind: Type.Array(
    Type.Object({
      kind: LiteralUnion(REGISTRY_KIND_VALUES),
      label: Label,
      holders: Type.Integer(),
      registered: Type.Integer(),
      tracing: Type.Integer(),
      registeredRate: Rate,
      tracingRate: Rate,
      /** Certified products (entries naming a product) and those listed in the holder's catalogue. */
      products: Type.Integer(),
      productsListed: Type.Integer(),
    }),
  ),
  /** Producers holding any 三品一标 certificate or designation: the groundwork figure (seed 001 notice 三(三)). */
  flagged: Type.Object({
    holders: Type.Integer(),
    registered: Type.Integer(),
    tracing: Type.Integer(),
    registeredRate: Rate,
    tracingRate: Rate,
  }),
  /** Holders not registered or not tracing: the to-do list (first 200). */
  gaps: Type.Array(
    Type.Object({
      kind: LiteralUnion(REGISTRY_KIND_VALUES),
      label: Label,
      holderName: Type.String(),
      holderCode: Nullable(Type.String()),
      certNo: Nullable(Type.String()),
      divisionCode: Type.String(),
      registered: Type.Boolean(),
      tracing: Type.Boolean(),
    }),
  ),
  /** 带证上网: every certification number claimed on a product, checked against the registry. */
  claims: Type.Array(
    Type.Object({
      productId: Type.String(),
      productName: Type.String(),
      subjectName: Type.String(),
      type: Type.String(),
      number: Type.String(),
      status: LiteralUnion(CLAIM_STATUS_VALUES),
      statusLabel: Label,
    }),
  ),
});
export type Coverage = Static<typeof Coverage>;
