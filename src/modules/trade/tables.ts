import type { ColumnType, Generated } from 'kysely';
import type { Numeric, Timestamp } from '../../kernel/db/types.js';

/** Who a sale goes to: a registered subject (who confirms), an unregistered buyer (traceability voucher), a market. */
export const SALE_BUYER_KINDS = ['registered', 'unregistered', 'market'] as const;
export type SaleBuyerKind = (typeof SALE_BUYER_KINDS)[number];

export const SALE_STATUSES = ['pending', 'accepted', 'refused', 'vouchered'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

/** 追溯凭证 (trace) for unregistered buyers, 入市追溯凭证 (market) for market entry. */
export const VOUCHER_KINDS = ['trace', 'market'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];

export interface SaleTable {
  id: Generated<string>;
  seller_subject_id: string;
  division_code: string;
  batch_id: string;
  quantity: Numeric;
  unit: string;
  buyer_kind: SaleBuyerKind;
  buyer_subject_id: string | null;
  customer_id: string | null;
  buyer_name: string;
  buyer_phone: string | null;
  buyer_division: string | null;
  status: SaleStatus;
  voucher_kind: VoucherKind | null;
  voucher_serial: number | null;
  price: Numeric | null;
  sold_at: Timestamp;
  ship_event_id: number;
  receipt_batch_id: string | null;
  received_quantity: Numeric | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  refuse_reason: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
  /** A buyer registered on another platform: its platform and (global) subject id; buyer_subject_id is null. */
  buyer_platform: string | null;
  buyer_remote_id: string | null;
}

export const INCOMING_SALE_STATUSES = ['pending', 'accepted', 'refused'] as const;
export type IncomingSaleStatus = (typeof INCOMING_SALE_STATUSES)[number];

/** A sale made on another platform to a subject registered here, waiting for its confirmation here. */
export interface IncomingSaleTable {
  id: string;
  seller_platform: string;
  seller_subject_id: string;
  seller_name: string;
  seller_division: string;
  source_batch_id: string;
  source_code: string | null;
  product_name: string;
  industry: string;
  quantity: Numeric;
  unit: string;
  produced_at: Timestamp;
  self_check: string;
  sold_at: Timestamp;
  buyer_subject_id: string;
  division_code: string;
  status: Generated<IncomingSaleStatus>;
  receipt_batch_id: string | null;
  received_quantity: Numeric | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  refuse_reason: string | null;
  created_at: Generated<Timestamp>;
}

export interface VoucherCheckTable {
  id: Generated<string>;
  input: string;
  code_kind: number | null;
  code_serial: number | null;
  sale_id: string | null;
  batch_id: string | null;
  market_subject_id: string | null;
  checker_org_id: string;
  division_code: string;
  verified: boolean;
  reasons: ColumnType<unknown, string, string>;
  checked_at: Generated<Timestamp>;
  checked_by: string;
  /** Why a voucher that already passed this gate is presented again (required then). */
  note: ColumnType<string | null, string | null | undefined, string | null>;
}

export const ANOMALY_KINDS = [
  'output_exceeds_input',
  'sales_exceed_harvest',
  'code_reused',
  'receipt_mismatch',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
export const ANOMALY_STATUSES = ['open', 'resolved'] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];

export interface AnomalyTable {
  id: Generated<string>;
  kind: AnomalyKind;
  key: string;
  subject_id: string | null;
  division_code: string;
  batch_id: string | null;
  sale_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<AnomalyStatus>;
  detected_at: Generated<Timestamp>;
}

/** Tables owned by the trade module (the only module that writes them). */
export interface TradeTables {
  sale: SaleTable;
  incoming_sale: IncomingSaleTable;
  voucher_check: VoucherCheckTable;
  anomaly: AnomalyTable;
}
