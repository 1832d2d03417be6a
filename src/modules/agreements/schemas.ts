import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import { REQUIRED_CLAUSES } from './tables.js';

/** Every contract of the agreements module, with the `Static<>` types its service is written against. */

const ClauseKey = LiteralUnion(REQUIRED_CLAUSES, {
  description:
    'seed 001 art. 10: info_collection 信息采集 · info_transfer 信息传递 · scan_trading 扫码交易 · truthfulness 信息真实性承诺',
});

export const Clause = Type.Object({
  key: ClauseKey,
  name: Type.String(),
  nameEn: Type.String(),
  text: Type.String(),
});
export type Clause = Static<typeof Clause>;

export const Template = Type.Object({
  id: Uuid,
  countyCode: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  clauses: Type.Array(Clause),
  /** Required clauses this version lacks (a version published before clauses were structured): it cannot be signed. */
  missingClauses: Type.Array(Type.Object({ key: ClauseKey, name: Type.String(), nameEn: Type.String() })),
  createdAt: DateTime,
});
export type Template = Static<typeof Template>;

export const TemplatesQuery = Type.Object({
  county: Type.Optional(DivisionCode),
  ...PageQuery,
});
export type TemplatesQuery = Static<typeof TemplatesQuery>;

export const PublishBody = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 100 }),
    body: Type.String({ minLength: 10, maxLength: 20000, description: 'the preamble and any further terms' }),
    clauses: Type.Array(
      Type.Object({ key: ClauseKey, text: Type.String({ maxLength: 5000 }) }, { additionalProperties: false }),
      {
        maxItems: 20,
        description: 'every required clause (信息采集、信息传递、扫码交易、信息真实性承诺), each with its text',
      },
    ),
  },
  { additionalProperties: false },
);
export type PublishInput = Static<typeof PublishBody>;

export const SignBody = Type.Object(
  {
    templateId: Uuid,
    acceptedClauses: Type.Array(ClauseKey, {
      maxItems: 20,
      description: 'the clauses the producer ticked as read and accepted: every required clause',
    }),
  },
  { additionalProperties: false },
);
export type SignInput = Static<typeof SignBody>;

/** unsigned → the producer accepted (awaiting the county) → both parties signed. */
export const SIGNATURE_STATES = ['unsigned', 'awaiting_county', 'signed'] as const;
export type SignatureState = (typeof SIGNATURE_STATES)[number];
export const SIGNATURE_ACTIONS = ['sign', 'countersign'] as const;
export type SignatureAction = (typeof SIGNATURE_ACTIONS)[number];

const State = LiteralUnion(SIGNATURE_STATES, {
  description: 'unsigned 未签订 · awaiting_county 主体已签，待县级签署 · signed 双方已签订',
});
const Actions = Type.Array(LiteralUnion(SIGNATURE_ACTIONS), {
  description: 'sign: the producer accepts the current version · countersign: the county signs as the other party',
});

export const Mine = Type.Object({
  template: Nullable(Template),
  /** The producer accepted the current version (the county may not have countersigned yet: see `state`). */
  signedCurrent: Type.Boolean(),
  signedAt: Nullable(DateTime),
  state: State,
  stateName: Type.String(),
  stateNameEn: Type.String(),
  countySignedAt: Nullable(DateTime),
  countySignerName: Nullable(Type.String()),
  countyOrgName: Nullable(Type.String()),
  history: Type.Array(
    Type.Object({
      version: Type.Integer(),
      signedAt: DateTime,
      signerName: Nullable(Type.String()),
      countySignedAt: Nullable(DateTime),
      countySignerName: Nullable(Type.String()),
    }),
  ),
  allowedActions: Actions,
});
export type Mine = Static<typeof Mine>;

export const UnsignedQuery = Type.Object({ within: Type.Optional(DivisionCode), ...PageQuery });
export type UnsignedQuery = Static<typeof UnsignedQuery>;

export const UnsignedItem = Type.Object({
  subjectId: Uuid,
  name: Type.String(),
  identityCode: Nullable(Type.String()),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  contactName: Type.String(),
  contactPhone: Type.String(),
  currentVersion: Nullable(Type.Integer()),
  signedVersion: Nullable(Type.Integer()),
  remindedAt: Nullable(DateTime),
  reminders: Type.Integer({ description: 'reminders sent for the current version' }),
});
export type UnsignedItem = Static<typeof UnsignedItem>;

export const RemindBody = Type.Object(
  {
    within: Type.Optional(DivisionCode),
    subjectIds: Type.Optional(
      Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true, description: 'only these producers' }),
    ),
  },
  { additionalProperties: false },
);
export type RemindInput = Static<typeof RemindBody>;
export const Reminded = Type.Object({ reminded: Type.Integer() });
export type Reminded = Static<typeof Reminded>;

/** A producer's acceptance, as the county sees it (to countersign, or as signed). */
export const SignatureItem = Type.Object({
  id: Uuid,
  subjectId: Uuid,
  subjectName: Type.String(),
  divisionName: Type.String(),
  countyCode: Type.String(),
  version: Type.Integer(),
  current: Type.Boolean({ description: 'this is the county’s current version' }),
  signedAt: DateTime,
  signerName: Nullable(Type.String()),
  acceptedClauses: Type.Array(Type.Object({ key: ClauseKey, name: Type.String(), nameEn: Type.String() })),
  countySignedAt: Nullable(DateTime),
  countySignerName: Nullable(Type.String()),
  countyOrgName: Nullable(Type.String()),
  state: State,
  stateName: Type.String(),
  stateNameEn: Type.String(),
  allowedActions: Actions,
});
export type SignatureItem = Static<typeof SignatureItem>;

export const SignaturesQuery = Type.Object({
  state: Type.Optional(LiteralUnion(['awaiting_county', 'signed'] as const)),
  within: Type.Optional(DivisionCode),
  ...PageQuery,
});
export type SignaturesQuery = Static<typeof SignaturesQuery>;
export const SignatureParams = Type.Object({ id: Uuid });
