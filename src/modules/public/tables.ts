import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';

export interface PublicTraceTable {
  batch_id: string;
  doc: Json;
  etag: string;
  built_at: Generated<Timestamp>;
}

/** Batches whose projection is to be built ahead of the first scan (migration 202612100401, prebuild.ts). */
export interface PublicTraceDueTable {
  batch_id: string;
  gen: Generated<string>;
}

export interface QueryLogTable {
  id: Generated<number>;
  at: Timestamp;
  code: string;
  code_kind: number | null;
  code_serial: number | null;
  result: string;
  channel: string;
  viewer: string;
  actor_id: string | null;
  subject_id: string | null;
  division_code: string | null;
  client_ip: string | null;
  client_net: string | null;
  user_agent: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface QueryCountTable {
  code_kind: number;
  code_serial: number;
  subject_id: string | null;
  n: number;
  first_at: Timestamp;
  last_at: Timestamp;
  /** Counterfeit verdicts remembered (see querylog.ts `evaluate`): signals raised, last allowance and its time. */
  places_flagged_at: Timestamp | null;
  scans_flagged_at: Timestamp | null;
  scans_allowed: number | null;
  scans_checked_at: Timestamp | null;
}

/** The distinct client networks of each code with the latest scan from each (the 7-day counterfeit window). */
export interface QueryNetTable {
  code_kind: number;
  code_serial: number;
  client_net: string;
  last_at: Timestamp;
}

/** Query-log rows past retention, folded into counts per China day and code (the rows themselves are deleted). */
export interface QueryLogDailyTable {
  day: string;
  code_kind: number | null;
  code_serial: number | null;
  subject_id: string | null;
  division_code: string | null;
  result: string;
  channel: string;
  viewer: string;
  n: number;
}

/** Tables owned by the public module (the only module that writes them). */
export interface PublicTables {
  public_trace: PublicTraceTable;
  public_trace_due: PublicTraceDueTable;
  query_log: QueryLogTable;
  query_count: QueryCountTable;
  query_net: QueryNetTable;
  query_log_daily: QueryLogDailyTable;
}
