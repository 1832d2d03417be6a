import { type Static, Type } from 'typebox';
import { DateTime, EnteredBy, LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import { SharedFromProps } from '../../kernel/shared-lists.js';
import { Unit } from '../catalog/schemas.js';
import { BATCH_STATUSES, SELF_CHECKS } from './tables.js';

/** Request and response schemas of production batches (生产批次) and their trace events. */

export const BatchStatusSchema = LiteralUnion(BATCH_STATUSES);
export const Warning = Type.Object({ code: Type.String(), message: Type.String(), messageEn: Type.String() });
export type Warning = Static<typeof Warning>;

export const Batch = Type.Object({
  id: Uuid,
  batchNo: Type.String(),
  kind: Type.String(),
  subjectId: Uuid,
  subjectName: Type.String(),
  productId: Uuid,
  productName: Type.String(),
  baseId: Nullable(Uuid),
  baseName: Nullable(Type.String()),
  divisionCode: Type.String(),
  originName: Nullable(Type.String()),
  quantity: Type.Number(),
  unit: Type.String(),
  stock: Type.Number(),
  status: BatchStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  /** Under an open recall: the status reads 已召回 and nothing may be sold, split or certified. */
  recalled: Type.Boolean(),
  producedAt: Type.String(),
  selfCheck: Type.String(),
  selfCheckNote: Nullable(Type.String()),
  code: Nullable(Type.String()),
  codeUrl: Nullable(Type.String()),
  allowedActions: Type.Array(Type.String()),
  warnings: Type.Array(Warning),
  createdAt: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
  ...SharedFromProps,
});
export type Batch = Static<typeof Batch>;

export const TraceEvent = Type.Object({
  eventId: Uuid,
  type: Type.String(),
  action: Nullable(Type.String()),
  bizStep: Type.String(),
  stage: Type.String(),
  disposition: Nullable(Type.String()),
  eventTime: Type.String(),
  recordTime: Type.String(),
  qtyDelta: Type.Number(),
  corrects: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown()),
});
export const BatchWithEvents = Type.Object({ ...Batch.properties, events: Type.Array(TraceEvent) });
export type BatchWithEvents = Static<typeof BatchWithEvents>;

const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: 1e12 });

export const BatchInput = Type.Object(
  {
    productId: Uuid,
    baseId: Type.Optional(Nullable(Uuid)),
    quantity: Quantity,
    unit: Type.Optional(Unit),
    producedAt: DateTime,
    selfCheck: Type.Optional(
      LiteralUnion(SELF_CHECKS, { description: '自检结果 pass 合格 · fail 不合格 · untested 未检' }),
    ),
    selfCheckNote: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z_-]+$' })),
  },
  { additionalProperties: false },
);
export type BatchInput = Static<typeof BatchInput>;

export const BatchQuery = Type.Object({
  status: Type.Optional(BatchStatusSchema),
  productId: Type.Optional(Uuid),
  ...PageQuery,
});
export type BatchQuery = Static<typeof BatchQuery>;

export const CorrectionInput = Type.Object(
  { quantity: Quantity, reason: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);
export type CorrectionInput = Static<typeof CorrectionInput>;
