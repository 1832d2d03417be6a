import { type Static, Type } from 'typebox';
import { DateTime, LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import { REASON_CODES, REVIEW_ACTIONS } from './states.js';

const State = LiteralUnion(['pending', 'approved', 'returned'] as const);
const Reason = LiteralUnion(REASON_CODES);

export const ReviewItem = Type.Object({
  id: Type.String(),
  resource: Type.String(),
  resourceZh: Type.String(),
  resourceEn: Type.String(),
  recordId: Type.String(),
  label: Type.String(),
  divisionCode: Type.String(),
  state: State,
  statusZh: Type.String(),
  statusEn: Type.String(),
  reasons: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })),
  comment: Nullable(Type.String()),
  returns: Type.Integer(),
  submittedAt: DateTime,
  /** The deadline clock (5 working days from submission). */
  dueAt: DateTime,
  overdue: Type.Boolean(),
  decidedAt: Nullable(DateTime),
  ownEntry: Type.Boolean(),
  /** The record's page, for records reviewed by their owning module (registrations, origin records). */
  link: Nullable(Type.String()),
  allowedActions: Type.Array(LiteralUnion(REVIEW_ACTIONS)),
});
export type ReviewItem = Static<typeof ReviewItem>;

export const ReviewDetail = Type.Object({
  ...ReviewItem.properties,
  events: Type.Array(
    Type.Object({
      action: Type.String(),
      actionZh: Type.String(),
      actionEn: Type.String(),
      at: DateTime,
      reasons: Type.Array(Type.String()),
      comment: Nullable(Type.String()),
    }),
  ),
});
export type ReviewDetail = Static<typeof ReviewDetail>;

export const ReviewQuery = Type.Object({
  state: Type.Optional(State),
  resource: Type.Optional(Type.String({ maxLength: 60 })),
  divisionCode: Type.Optional(Type.String({ maxLength: 12, pattern: '^[0-9]*$' })),
  overdue: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
export type ReviewQuery = Static<typeof ReviewQuery>;

export const Decision = Type.Object(
  {
    action: LiteralUnion(['approve', 'return'] as const),
    reasons: Type.Optional(Type.Array(Reason, { maxItems: 10, uniqueItems: true })),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
);
export type Decision = Static<typeof Decision>;

export const BulkApprove = Type.Object(
  {
    ids: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500 })),
    resource: Type.Optional(Type.String({ maxLength: 60 })),
    divisionCode: Type.Optional(Type.String({ maxLength: 12, pattern: '^[0-9]*$' })),
  },
  { additionalProperties: false },
);
export type BulkApprove = Static<typeof BulkApprove>;
export const BulkResult = Type.Object({
  approved: Type.Integer(),
  skippedOwn: Type.Integer(),
  /** Items the caller may not decide (an owner-reviewed record outside its remit, or refused by the owner's rules). */
  refused: Type.Optional(Type.Integer()),
});

export const ReasonList = Type.Array(Type.Object({ code: Reason, zh: Type.String(), en: Type.String() }));
