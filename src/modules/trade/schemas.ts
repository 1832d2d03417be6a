import { type Static, Type } from 'typebox';
import type { Label } from '../../kernel/workflow.js';
import { SALE_ACTIONS } from './states.js';
import { EnteredBy, DateTime, LiteralUnion, Nullable, PageQuery, Phone, Uuid } from '../../kernel/schemas.js';
import {
  ANOMALY_KINDS,
  ANOMALY_STATUSES,
  type AnomalyKind,
  type AnomalyStatus,
  SALE_BUYER_KINDS,
  SALE_STATUSES,
  INCOMING_SALE_STATUSES,
  type SaleBuyerKind,
  VOUCHER_KINDS,
  type VoucherKind,
} from './tables.js';

/** Request and response schemas of the trade module (sales, receipts, the market gate, anomalies). */

// ── enumerations and their labels ───────────────────────────────────────────────────────────────────────────────
export const BUYER_KIND_LABELS: Record<SaleBuyerKind, Label> = {
  registered: { zh: '已注册主体', en: 'Registered buyer' },
  unregistered: { zh: '未注册买方', en: 'Unregistered buyer' },
  market: { zh: '进入市场', en: 'Into a market' },
};
export const VOUCHER_LABELS: Record<VoucherKind, Label> = {
  trace: { zh: '追溯凭证', en: 'Traceability voucher' },
  market: { zh: '入市追溯凭证', en: 'Market-entry voucher' },
};
export const ANOMALY_LABELS: Record<AnomalyKind, Label> = {
  output_exceeds_input: { zh: '产出超过投入', en: 'Output exceeds input' },
  sales_exceed_harvest: { zh: '销售量超过收获量', en: 'Sales exceed the harvest' },
  code_reused: { zh: '同一码多地使用', en: 'One code used in two places' },
  receipt_mismatch: { zh: '收货与销售不符', en: "Receipts do not match the seller's sales" },
};
export const ANOMALY_STATUS_LABELS: Record<AnomalyStatus, Label> = {
  open: { zh: '待处理', en: 'Open' },
  resolved: { zh: '已处理', en: 'Resolved' },
};

export const SaleBuyerKindSchema = LiteralUnion(SALE_BUYER_KINDS, {
  description: 'registered 已注册主体（待其确认）· unregistered 未注册买方（追溯凭证）· market 入市（入市追溯凭证）',
});
export const SaleStatusSchema = LiteralUnion(SALE_STATUSES, {
  description: 'pending 待买方确认 · accepted 已确认收货 · refused 已拒收 · vouchered 已开具凭证',
});
export const VoucherKindSchema = LiteralUnion(VOUCHER_KINDS, { description: 'trace 追溯凭证 · market 入市追溯凭证' });
export const AnomalyKindSchema = LiteralUnion(ANOMALY_KINDS);
export const AnomalyStatusSchema = LiteralUnion(ANOMALY_STATUSES);
export const SaleActionSchema = LiteralUnion(SALE_ACTIONS);

const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: 1e12 });
export const IdParams = Type.Object({ id: Uuid });

// ── sales and receipts ──────────────────────────────────────────────────────────────────────────────────────────
export const Sale = Type.Object({
  id: Uuid,
  batchId: Uuid,
  batchNo: Type.String(),
  batchCode: Nullable(Type.String()),
  productName: Type.String(),
  quantity: Type.Number(),
  unit: Type.String(),
  price: Nullable(Type.Number()),
  sellerSubjectId: Uuid,
  sellerName: Type.String(),
  /** The seller's platform when the sale was made on another platform (an incoming sale), else null. */
  sellerPlatform: Nullable(Type.String()),
  buyerKind: SaleBuyerKindSchema,
  buyerKindName: Type.String(),
  buyerKindNameEn: Type.String(),
  buyerSubjectId: Nullable(Uuid),
  buyerName: Type.String(),
  buyerPhone: Nullable(Type.String()),
  /** The buyer's platform when the buyer is registered on another platform, else null. */
  buyerPlatform: Nullable(Type.String()),
  status: SaleStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  voucherKind: Nullable(VoucherKindSchema),
  voucherName: Nullable(Type.String()),
  voucherNameEn: Nullable(Type.String()),
  voucherCode: Nullable(Type.String()),
  voucherUrl: Nullable(Type.String()),
  soldAt: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
  receiptBatchId: Nullable(Uuid),
  receiptCode: Nullable(Type.String()),
  receivedQuantity: Nullable(Type.Number()),
  decidedAt: Nullable(Type.String()),
  refuseReason: Nullable(Type.String()),
  allowedActions: Type.Array(SaleActionSchema, { description: "what the caller may do next (the sale's state table)" }),
});
export type Sale = Static<typeof Sale>;

export const SaleInput = Type.Object(
  {
    batchId: Uuid,
    quantity: Quantity,
    buyerKind: SaleBuyerKindSchema,
    buyerIdentityCode: Type.Optional(
      Type.String({ minLength: 4, maxLength: 80, description: '买方主体身份码（扫码）' }),
    ),
    customerId: Type.Optional(Uuid),
    buyerName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    buyerPhone: Type.Optional(Phone),
    price: Type.Optional(Type.Number({ minimum: 0, maximum: 1e10 })),
    soldAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type SaleInput = Static<typeof SaleInput>;

export const SaleQuery = Type.Object({
  role: Type.Optional(LiteralUnion(['seller', 'buyer'] as const)),
  status: Type.Optional(SaleStatusSchema),
  batchId: Type.Optional(Uuid),
  ...PageQuery,
});
export type SaleQuery = Static<typeof SaleQuery>;

/** Sales made on other platforms to buyers registered here (issue 15 item 3). */
export const IncomingQuery = Type.Object({
  status: Type.Optional(
    LiteralUnion(INCOMING_SALE_STATUSES, { description: 'pending 待确认 · accepted 已收货 · refused 已拒收' }),
  ),
  ...PageQuery,
});
export type IncomingQuery = Static<typeof IncomingQuery>;

export const ReceiptInput = Type.Object(
  {
    saleId: Type.Optional(Uuid),
    code: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "the seller batch's trace code, scanned from the goods: the oldest sale of it waiting for me",
      }),
    ),
    decision: LiteralUnion(['accept', 'refuse'] as const),
    receivedQuantity: Type.Optional(Quantity),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ReceiptInput = Static<typeof ReceiptInput>;

// ── the market gate ─────────────────────────────────────────────────────────────────────────────────────────────
export const Reason = Type.Object({
  code: Type.String({ description: 'the rule checked, e.g. FORMAT, EXISTS, NOT_EXPIRED, NOT_RECALLED' }),
  ok: Type.Boolean(),
  message: Type.String(),
  messageEn: Type.String(),
});
export type Reason = Static<typeof Reason>;

export const VoucherCheckInput = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 200 }),
    quantity: Type.Optional(Quantity),
    productName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    note: Type.Optional(
      Type.String({
        maxLength: 500,
        description:
          'required when this voucher already passed this gate: why it is presented again (same delivery, …)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type VoucherCheckInput = Static<typeof VoucherCheckInput>;

export const VoucherCheckResult = Type.Object({
  id: Uuid,
  verified: Type.Boolean(),
  message: Type.String(),
  messageEn: Type.String(),
  reasons: Type.Array(Reason),
  info: Nullable(
    Type.Record(Type.String(), Type.Unknown(), {
      description: "what the voucher or code says: product, quantity, seller, buyer, dates (the sale's or batch's)",
    }),
  ),
  checkedAt: Type.String(),
});
export type VoucherCheckResult = Static<typeof VoucherCheckResult>;

export const VoucherCheck = Type.Object({
  id: Uuid,
  input: Type.String(),
  verified: Type.Boolean(),
  reasons: Type.Array(Reason),
  marketName: Nullable(Type.String()),
  checkedAt: Type.String(),
});
export type VoucherCheck = Static<typeof VoucherCheck>;

export const VoucherCheckQuery = Type.Object({ ...PageQuery });
export type VoucherCheckQuery = Static<typeof VoucherCheckQuery>;

// ── anomalies ───────────────────────────────────────────────────────────────────────────────────────────────────
export const AnomalyQuery = Type.Object({
  kind: Type.Optional(AnomalyKindSchema),
  status: Type.Optional(AnomalyStatusSchema),
  ...PageQuery,
});
export type AnomalyQuery = Static<typeof AnomalyQuery>;

export const Anomaly = Type.Object({
  id: Uuid,
  kind: AnomalyKindSchema,
  kindName: Type.String(),
  kindNameEn: Type.String(),
  subjectId: Nullable(Uuid),
  subjectName: Nullable(Type.String()),
  divisionCode: Type.String(),
  batchId: Nullable(Uuid),
  batchNo: Nullable(Type.String()),
  saleId: Nullable(Uuid),
  details: Type.Record(Type.String(), Type.Unknown(), { description: "the finding's figures (kind-specific)" }),
  status: AnomalyStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  detectedAt: Type.String(),
});
export type Anomaly = Static<typeof Anomaly>;

export const ScanResult = Type.Object({ found: Type.Integer(), flagged: Type.Integer() });
export type ScanResult = Static<typeof ScanResult>;
