import type { Generated } from 'kysely';
import type { Json, Numeric, Timestamp } from '../../kernel/db/types.js';

export const RECALL_STATUSES = ['open', 'closed'] as const;
export type RecallStatus = (typeof RECALL_STATUSES)[number];
/**
 * Who opened the recall: a regulator (batch in its jurisdiction), the producer (its own batch), or an upper platform
 * (a recall opened there over the network lineage, for batches held here).
 */
export const RECALL_OPENER_KINDS = ['regulator', 'producer', 'upper'] as const;
export type RecallOpenerKind = (typeof RECALL_OPENER_KINDS)[number];
/** Recall levels, 1 the most serious. */
export const RECALL_LEVELS = [1, 2, 3] as const;
export type RecallLevel = (typeof RECALL_LEVELS)[number];
/** A holder's notice: notified in the platform, acknowledged, or outside the platform (listed for phone calls). */
export const RECALL_NOTICE_STATUSES = ['notified', 'acknowledged', 'external'] as const;
export type RecallNoticeStatus = (typeof RECALL_NOTICE_STATUSES)[number];

export interface RecallTable {
  id: Generated<string>;
  number: string;
  batch_id: string;
  subject_id: string;
  division_code: string;
  opener_kind: RecallOpenerKind;
  opener_org_id: string | null;
  level: number;
  reason: string;
  status: Generated<RecallStatus>;
  opened_at: Generated<Timestamp>;
  opened_by: string | null;
  /** The upper platform that opened it (null: opened here). */
  opened_by_platform: string | null;
  /** The upper platform's network recall this one answers (its progress is reported up). */
  network_recall_id: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  close_note: string | null;
}

export interface RecallBatchTable {
  recall_id: string;
  batch_id: string;
  depth: number;
}

export interface RecallNoticeTable {
  id: Generated<string>;
  recall_id: string;
  holder_subject_id: string | null;
  holder_name: string;
  contact_name: string | null;
  phone: string | null;
  division_code: string | null;
  batch_id: string | null;
  sale_id: string | null;
  quantity: Numeric | null;
  unit: string | null;
  status: Generated<RecallNoticeStatus>;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  recovered_quantity: Numeric | null;
  note: string | null;
}

export interface BatchRecallStatusView {
  batch_id: string;
  recall_id: string;
  number: string;
  level: number;
  reason: string;
  opened_at: Timestamp;
}

/** Tables owned by the recall module (the only module that writes them). */
/** A recall opened at national over the network lineage (see the migration). */
export interface NetworkRecallTable {
  id: string;
  number: string;
  root_class: string;
  division_code: string;
  level: number;
  reason: string;
  platforms: Json<{ platform: string; classes: string[] }[]>;
  opener_org_id: string;
  opened_by: string;
  opened_at: Generated<Timestamp>;
}

/** One holder of a network recall, as its platform reported it (network_recall_progress.notices). */
export interface ProgressNotice {
  holderName: string;
  divisionCode: string | null;
  code: string | null;
  quantity: number | null;
  unit: string | null;
  status: RecallNoticeStatus;
  acknowledgedAt: string | null;
  recoveredQuantity: number | null;
}

/** The latest progress a holder's platform reported of a network recall (one row per recall opened there). */
export interface NetworkRecallProgressTable {
  network_recall_id: string;
  platform: string;
  recall_id: string;
  number: string;
  status: RecallStatus;
  holders: number;
  acknowledged: number;
  external: number;
  recovered: Numeric;
  notices: Json<ProgressNotice[]>;
  reported_at: Timestamp;
  received_at: Generated<Timestamp>;
}

export interface RecallTables {
  network_recall_progress: NetworkRecallProgressTable;
  recall: RecallTable;
  network_recall: NetworkRecallTable;
  recall_batch: RecallBatchTable;
  recall_notice: RecallNoticeTable;
  batch_recall_status: BatchRecallStatusView;
}
