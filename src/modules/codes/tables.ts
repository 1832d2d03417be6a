import type { Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';
import type { CodeStatus } from '../catalog/tables.js';

export interface TraceCodeTable {
  kind: number;
  serial: number;
  status: Generated<CodeStatus>;
  subject_id: string;
  batch_id: string | null;
  reservation_id: string | null;
  issued_at: Generated<Timestamp>;
  activated_at: Timestamp | null;
}

export interface CodeCounterTable {
  kind: number;
  next: number;
}

export interface CodeReservationTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  kind: number;
  first_serial: number;
  count: number;
  printer: string | null;
  status: Generated<'generating' | 'ready'>;
  job_id: string | null;
  activated: Generated<number>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  /** `printer`: a third-party print run (mode c); `device`: codes kept on a phone for offline labels (issue 16). */
  purpose: Generated<'printer' | 'device'>;
  /** The batch a device reservation's codes are bound to when used. */
  batch_id: string | null;
  expires_at: Timestamp | null;
  released_at: Timestamp | null;
}

/** Tables owned by the codes module (the only module that writes them). */
export interface CodesTables {
  trace_code: TraceCodeTable;
  code_counter: CodeCounterTable;
  code_reservation: CodeReservationTable;
}
