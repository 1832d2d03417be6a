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
  /** The name the phone gave itself when it reserved (device reservations). */
  device: string | null;
  /** When the expiry job voided the unused codes of a device reservation past its expiry. */
  expired_at: Timestamp | null;
}

/** What a device reservation is now: codes still usable, past its expiry (unused voided), or released by its owner. */
export const DEVICE_RESERVATION_STATES = ['live', 'expired', 'released'] as const;
export type DeviceReservationState = (typeof DEVICE_RESERVATION_STATES)[number];
export const DEVICE_RESERVATION_STATE_NAMES: Record<DeviceReservationState, { zh: string; en: string }> = {
  live: { zh: '可用', en: 'Usable' },
  expired: { zh: '已过期', en: 'Expired' },
  released: { zh: '已释放', en: 'Released' },
};

/** Tables owned by the codes module (the only module that writes them). */
export interface CodesTables {
  trace_code: TraceCodeTable;
  code_counter: CodeCounterTable;
  code_reservation: CodeReservationTable;
}
