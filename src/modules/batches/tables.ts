import type { Generated } from 'kysely';
import type { Json, Numeric, Timestamp } from '../../kernel/db/types.js';

export const BATCH_STATUSES = ['unsold', 'partly_sold', 'sold_out', 'merged'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const SELF_CHECKS = ['pass', 'fail', 'untested'] as const;

export interface BatchTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  kind: Generated<'production' | 'circulation'>;
  batch_no: string;
  product_id: string;
  base_id: string | null;
  quantity: Numeric;
  unit: string;
  produced_at: Timestamp;
  self_check: Generated<(typeof SELF_CHECKS)[number]>;
  self_check_note: string | null;
  code_serial: number | null;
  stock: Numeric;
  status: Generated<BatchStatus>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
}

export type EventType = 'object' | 'aggregation' | 'transaction' | 'transformation' | 'association';

export type Stage = 'production' | 'purchase' | 'storage' | 'transport' | 'processing';

export interface TraceEventTable {
  id: Generated<number>;
  event_id: Generated<string>;
  event_type: EventType;
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  biz_step: string;
  stage: Stage;
  disposition: string | null;
  event_time: Timestamp;
  event_tz: Generated<string>;
  record_time: Generated<Timestamp>;
  subject_id: string | null;
  division_code: string;
  read_point: string | null;
  batch_id: string | null;
  qty_delta: Numeric;
  unit: string | null;
  source_subject_id: string | null;
  dest_subject_id: string | null;
  biz_tx: Json<{ type: string; id: string }[]>;
  corrects: string | null;
  payload: Json;
  content_hash: string | null;
  actor_id: string | null;
}

/** Idempotency of re-sent events: one row per event appended with a key (trace_event is partitioned by id, so its
 * content_hash can no longer carry a UNIQUE constraint; this table does). */
export interface TraceEventIdempotencyTable {
  content_hash: string;
  event_id: number;
}

export interface TraceEdgeTable {
  from_batch: string;
  to_batch: string;
  event_id: number;
  quantity: Numeric | null;
  unit: string | null;
}

/** Tables owned by the batches module (the only module that writes them). */
export interface BatchesTables {
  batch: BatchTable;
  trace_event: TraceEventTable;
  trace_event_idempotency: TraceEventIdempotencyTable;
  trace_edge: TraceEdgeTable;
}
