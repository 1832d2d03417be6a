import { type Static, Type } from 'typebox';
import { LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import { RECALL_ACTIONS } from './states.js';
import { RECALL_NOTICE_STATUSES, RECALL_OPENER_KINDS, RECALL_STATUSES } from './tables.js';

/** Request and response schemas of the recall module. */
export const RecallStatusSchema = LiteralUnion(RECALL_STATUSES, { description: 'open 召回中 · closed 已结束' });
export const NoticeStatusSchema = LiteralUnion(RECALL_NOTICE_STATUSES, {
  description: 'notified 已通知待确认 · acknowledged 已确认 · external 平台外（需电话通知）',
});

export const IdParams = Type.Object({ id: Uuid });

export const Notice = Type.Object({
  id: Uuid,
  holderSubjectId: Nullable(Uuid),
  holderName: Type.String(),
  contactName: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  divisionCode: Nullable(Type.String()),
  batchId: Nullable(Uuid),
  batchNo: Nullable(Type.String()),
  code: Nullable(Type.String()),
  saleId: Nullable(Uuid),
  quantity: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  status: NoticeStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
  recoveredQuantity: Nullable(Type.Number()),
  note: Nullable(Type.String()),
});
export type Notice = Static<typeof Notice>;

export const Recall = Type.Object({
  id: Uuid,
  number: Type.String(),
  batchId: Uuid,
  batchNo: Type.String(),
  code: Nullable(Type.String()),
  productName: Type.String(),
  subjectName: Type.String(),
  divisionCode: Type.String(),
  openerKind: LiteralUnion(RECALL_OPENER_KINDS),
  openerKindName: Type.String(),
  openerKindNameEn: Type.String(),
  level: Type.Integer(),
  levelName: Type.String(),
  levelNameEn: Type.String(),
  reason: Type.String(),
  status: RecallStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  openedAt: Type.String(),
  closedAt: Nullable(Type.String()),
  progress: Type.Object({
    batches: Type.Integer(),
    holders: Type.Integer(),
    acknowledged: Type.Integer(),
    external: Type.Integer(),
    percent: Type.Integer(),
    recovered: Type.Number(),
  }),
  notices: Type.Array(Notice),
  allowedActions: Type.Array(LiteralUnion(RECALL_ACTIONS), {
    description: "what the caller may do next (the recall's state table)",
  }),
});
export type Recall = Static<typeof Recall>;

export const RecallListItem = Type.Object({
  id: Uuid,
  number: Type.String(),
  status: RecallStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  level: Type.Integer(),
  reason: Type.String(),
  openedAt: Type.String(),
  divisionCode: Type.String(),
  batchNo: Type.String(),
  productName: Type.String(),
  holders: Type.Integer(),
  acknowledged: Type.Integer(),
});
export type RecallListItem = Static<typeof RecallListItem>;

export const RecallQuery = Type.Object({ status: Type.Optional(RecallStatusSchema), ...PageQuery });
export type RecallQuery = Static<typeof RecallQuery>;

export const OpenRecallInput = Type.Object(
  {
    batchId: Uuid,
    reason: Type.String({ minLength: 2, maxLength: 500 }),
    level: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3,
        description: '1 严重健康危害 · 2 可能的健康危害（默认）· 3 不太可能危害健康',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OpenRecallInput = Static<typeof OpenRecallInput>;

export const AcknowledgeInput = Type.Object(
  {
    recoveredQuantity: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type AcknowledgeInput = Static<typeof AcknowledgeInput>;

export const CloseInput = Type.Object(
  { note: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);
export type CloseInput = Static<typeof CloseInput>;

// ── recalls across platforms (issue 15 item 3) ──────────────────────────────
export const NetworkRecallInput = Type.Object(
  {
    code: Type.String({ minLength: 8, maxLength: 300, description: 'the trace code of the lot (any platform)' }),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
  },
  { additionalProperties: false },
);
export type NetworkRecallInput = Static<typeof NetworkRecallInput>;

export const NetworkRecall = Type.Object({
  id: Uuid,
  number: Type.String(),
  code: Type.String(),
  level: Type.Integer(),
  reason: Type.String(),
  /** The platforms holding lots of the chain downstream, each sent its lots (by trace code). */
  platforms: Type.Array(Type.Object({ platform: Type.String(), codes: Type.Array(Type.String()) })),
  openedAt: Type.String(),
});
export type NetworkRecall = Static<typeof NetworkRecall>;

export const NetworkRecallQuery = Type.Object({ ...PageQuery });
export type NetworkRecallQuery = Static<typeof NetworkRecallQuery>;

export const NetworkRecallListItem = Type.Object({
  id: Uuid,
  number: Type.String(),
  code: Nullable(Type.String()),
  level: Type.Integer(),
  reason: Type.String(),
  divisionCode: Type.String(),
  openedAt: Type.String(),
  platforms: Type.Integer({ description: 'platforms the recall was sent to' }),
  holders: Type.Integer({ description: 'holders in the platforms, as reported so far' }),
  acknowledged: Type.Integer(),
});
export type NetworkRecallListItem = Static<typeof NetworkRecallListItem>;

/** One holder of a network recall as its platform reported it; masked outside the caller's jurisdiction. */
export const NetworkRecallHolder = Type.Object({
  holderName: Type.String(),
  masked: Type.Boolean(),
  divisionCode: Nullable(Type.String()),
  code: Nullable(Type.String()),
  quantity: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  status: NoticeStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
  recoveredQuantity: Nullable(Type.Number()),
});

const Counts = {
  holders: Type.Integer(),
  acknowledged: Type.Integer(),
  external: Type.Integer(),
  recovered: Type.Number(),
};

/** A network recall with the progress each holder's platform reported back (recall.progress messages). */
export const NetworkRecallDetail = Type.Object({
  id: Uuid,
  number: Type.String(),
  code: Nullable(Type.String()),
  level: Type.Integer(),
  levelName: Type.String(),
  levelNameEn: Type.String(),
  reason: Type.String(),
  divisionCode: Type.String(),
  openedAt: Type.String(),
  progress: Type.Object({
    platforms: Type.Integer(),
    reported: Type.Integer({ description: 'platforms that have reported back' }),
    ...Counts,
    percent: Type.Integer(),
  }),
  platforms: Type.Array(
    Type.Object({
      platform: Type.String(),
      platformName: Type.String(),
      platformNameEn: Type.String(),
      codes: Type.Array(Type.String()),
      recalls: Type.Array(
        Type.Object({
          recallId: Uuid,
          number: Type.String(),
          status: RecallStatusSchema,
          statusName: Type.String(),
          statusNameEn: Type.String(),
          ...Counts,
          reportedAt: Type.String(),
          notices: Type.Array(NetworkRecallHolder),
        }),
      ),
    }),
  ),
});
export type NetworkRecallDetail = Static<typeof NetworkRecallDetail>;
