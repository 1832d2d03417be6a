import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';

export const CONNECTION_STATUSES = ['applied', 'approved', 'rejected', 'suspended'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export const CONNECTION_DIRECTIONS = ['upper', 'lower'] as const;
export type ConnectionDirection = (typeof CONNECTION_DIRECTIONS)[number];

/** bigint columns arrive as numbers (see kernel/db/connect.ts). */
type BigInt = ColumnType<number, number | string, number | string>;
/** A bigint column with a default. */
type BigIntDefault = ColumnType<number, number | string | undefined, number | string>;

export interface PlatformConnectionTable {
  id: Generated<string>;
  direction: ConnectionDirection;
  platform_id: string;
  tier: string;
  region: string;
  public_key: string;
  entry_url: string;
  contact_name: string;
  contact_phone: string;
  status: Generated<ConnectionStatus>;
  peer_status: string | null;
  reason: string | null;
  next_seq: BigIntDefault;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
  error_count: Generated<number>;
  backlog: Generated<number>;
  lag_ms: Generated<number>;
  received_count: BigIntDefault;
  parked_count: BigIntDefault;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ShareSequenceTable {
  id: number;
  last_seq: BigInt;
}

export interface ShareOutboxTable {
  seq: BigInt;
  origin_platform: string;
  resource: string;
  record_id: string;
  version: number;
  division_code: string;
  catalog_version: string;
  content_hash: string;
  payload: Json;
  origin_created_at: Timestamp;
  created_at: Generated<Timestamp>;
}

export interface SharedRecordTable {
  id: Generated<string>;
  origin_platform: string;
  sender_platform: string;
  sender_seq: BigInt;
  resource: string;
  record_id: string;
  version: number;
  division_code: string;
  catalog_version: string;
  content_hash: string;
  payload: Json;
  origin_created_at: Timestamp;
  received_at: Generated<Timestamp>;
}

export interface SharedParkedTable {
  id: Generated<string>;
  sender_platform: string;
  sender_seq: BigInt;
  origin_platform: string;
  resource: string;
  record_id: string;
  version: number;
  reason_code: string;
  reason_zh: string;
  reason_en: string;
  payload: Json;
  parked_at: Generated<Timestamp>;
}

export const SHARE_CORRECTION_STATUSES = ['open', 'corrected', 'answered'] as const;
export type ShareCorrectionStatus = (typeof SHARE_CORRECTION_STATUSES)[number];

/** A correction requested from above (更正请求), on every platform it passes (see the migration). */
export interface ShareCorrectionTable {
  id: string;
  origin_platform: string;
  resource: string;
  record_id: string;
  version: number;
  division_code: string;
  fields: ColumnType<string[], string, string>;
  reason: string;
  requested_by_platform: string;
  requested_by_name: string;
  from_upper: boolean;
  deliver_to: string | null;
  delivered_at: Timestamp | null;
  acked_at: Timestamp | null;
  status: ColumnType<ShareCorrectionStatus, ShareCorrectionStatus | undefined, ShareCorrectionStatus>;
  answer: string | null;
  answered_at: Timestamp | null;
  corrected_at: Timestamp | null;
  report_pending: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

/** A message between platforms, routed hop by hop through the connections (see the migration). */
export interface NetworkMessageTable {
  id: string;
  kind: string;
  from_platform: string;
  to_platform: string;
  payload: Json;
  next_hop: string | null;
  from_upper: Generated<boolean>;
  sent_at: Timestamp | null;
  acked_at: Timestamp | null;
  handled_at: Timestamp | null;
  error: string | null;
  created_at: Generated<Timestamp>;
}

/** Tables owned by the sharing module (the only module that writes them). */
export interface SharingTables {
  platform_connection: PlatformConnectionTable;
  share_sequence: ShareSequenceTable;
  share_outbox: ShareOutboxTable;
  shared_record: SharedRecordTable;
  shared_parked: SharedParkedTable;
  share_correction: ShareCorrectionTable;
  network_message: NetworkMessageTable;
}
