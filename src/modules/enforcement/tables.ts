import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

/** Violation types: seed 001 art. 17 (1)–(4), and other. */
export const VIOLATION_TYPES = ['false_info', 'chain_broken', 'identity_misuse', 'batch_mixing', 'other'] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export const CASE_STATUSES = ['registered', 'investigating', 'decided', 'closed', 'dismissed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** What a case came from. */
export const CASE_SOURCES = ['patrol', 'risk_case', 'inspection', 'complaint', 'other'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export interface EnforcementCaseTable {
  id: Generated<string>;
  case_no: string;
  org_id: string;
  division_code: string;
  subject_id: string | null;
  party_name: string;
  product_name: string | null;
  trace_code: string | null;
  batch_id: string | null;
  facts: string;
  violation_type: ViolationType;
  source_type: CaseSource | null;
  source_id: string | null;
  decision: string | null;
  fine_yuan: ColumnType<string | null, number | string | null, number | string | null>;
  attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<CaseStatus>;
  credit_record_id: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  decided_at: Timestamp | null;
  closed_at: Timestamp | null;
  correction_order: ColumnType<string | null, string | null | undefined, string | null>;
  correction_deadline: ColumnType<string | null, string | null | undefined, string | null>;
  correction_status: ColumnType<CorrectionStatus | null, CorrectionStatus | null | undefined, CorrectionStatus | null>;
  correction_note: ColumnType<string | null, string | null | undefined, string | null>;
  correction_ordered_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  correction_checked_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

/** The order to correct within a deadline (责令限期改正, seed 001 art. 17) and its follow-up. */
export const CORRECTION_STATUSES = ['ordered', 'corrected', 'not_corrected'] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];

/** On-site enforcement inspection (执法检查) results. */
export const INSPECTION_RESULTS = ['compliant', 'violation'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export interface EnforcementInspectionTable {
  id: Generated<string>;
  org_id: string;
  division_code: string;
  subject_id: string;
  inspector_id: string;
  inspector_name: string;
  place: string | null;
  findings: string;
  result: InspectionResult;
  attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
  longitude: number | null;
  latitude: number | null;
  case_id: string | null;
  created_at: Generated<Timestamp>;
}

/** Tables owned by the enforcement module (the only module that writes them). */
export interface EnforcementTables {
  enforcement_case: EnforcementCaseTable;
  enforcement_inspection: EnforcementInspectionTable;
}
