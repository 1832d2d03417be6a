import type { Generated } from 'kysely';
import type { DateStr, Json, Timestamp } from '../../kernel/db/types.js';

export interface OnlinePatrolItem {
  recordId: string;
  resource: string;
  label: string;
  /** The organisation that collected the record (the default addressee of a notice). */
  orgId?: string | null;
  problem: string | null;
  note: string | null;
}

/** 网上巡检: an upper level's reproducible random sample of a lower unit's collected records. */
export interface OnlinePatrolTable {
  id: Generated<string>;
  org_id: string;
  division_code: string;
  target_division: string;
  resource: string | null;
  seed: string;
  sample_size: number;
  pool_size: number;
  items: Json<OnlinePatrolItem[]>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export type NoticeState = 'open' | 'replied' | 'closed';

/** 整改通知 to the responsible organisation, tracked to closure. */
export interface RectificationNoticeTable {
  id: Generated<string>;
  patrol_id: string;
  org_id: string | null;
  target_division: string;
  text: string;
  deadline: DateStr;
  state: Generated<NoticeState>;
  reply: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  closed_at: Timestamp | null;
}

/** Monthly evaluation snapshots per unit. */
export interface EvaluationSnapshotTable {
  id: Generated<string>;
  division_code: string;
  month: string;
  content: Json<Record<string, unknown>>;
  created_at: Generated<Timestamp>;
}

/** Tables owned by the evaluation module (考核评价 and 网上巡检). */
export interface EvaluationTables {
  online_patrol: OnlinePatrolTable;
  rectification_notice: RectificationNoticeTable;
  evaluation_snapshot: EvaluationSnapshotTable;
}
