import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';

/** The EPCIS 2.0 event types (GS1 EPCIS 2.0 §7.4), in the order of the standard. */
export const EPCIS_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/** An event captured through `captureEpcis` (see docs/sharing.md "EPCIS"). */
export interface EpcisEventTable {
  id: Generated<number>;
  event_hash: string;
  event_type: string;
  event_time: Timestamp;
  record_time: Generated<Timestamp>;
  biz_step: string | null;
  epcs: Generated<string[]>;
  parent_id: string | null;
  epc_classes: Generated<string[]>;
  event: Json;
  context: Json | null;
  subject_id: string;
  division_code: string;
  capture_id: string;
  captured_by: string | null;
}

export interface EpcisTables {
  epcis_event: EpcisEventTable;
}
