import type { ColumnType, Generated } from 'kysely';
import type { DateStr, Json, Timestamp } from '../../kernel/db/types.js';
import type { FailedItem, ProposedRecall, TraceOutcome } from './schemas.js';

/** Kinds of monitoring (监测类型). */
export const MONITORING_KINDS = ['routine', 'special', 'supervisory', 'retest', 'emergency'] as const;
export type MonitoringKind = (typeof MONITORING_KINDS)[number];

/** The level of the issuing organisation: a township does not issue monitoring tasks. */
export const MONITORING_LEVELS = ['ministry', 'province', 'city', 'county'] as const;
export type MonitoringLevel = (typeof MONITORING_LEVELS)[number];

export const TASK_STATUSES = ['issued', 'closed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const SHEET_STATUSES = ['sampled', 'passed', 'failed'] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];
export const RISK_STATUSES = ['open', 'recall_opened', 'closed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

/** An unregistered producer named on a sampling sheet (临时主体). */
export interface TempSubject {
  name: string;
  contact?: string | null;
  phone?: string | null;
  address?: string | null;
}

export interface MonitoringItem {
  item: string;
  unit: string;
  limit: number | null;
  standard: string;
}

export interface MonitoringTaskTable {
  id: Generated<string>;
  code: string;
  title: string;
  kind: MonitoringKind;
  level: MonitoringLevel;
  org_id: string;
  division_code: string;
  products: ColumnType<string[], string[] | undefined, string[]>;
  items: Json<MonitoringItem[]>;
  start_date: DateStr;
  end_date: DateStr;
  draw_id: string | null;
  status: Generated<TaskStatus>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface MonitoringAssignmentTable {
  id: Generated<string>;
  task_id: string;
  testing_org_id: string;
  division_code: string;
  quantity: number;
  deadline: DateStr;
}

export interface SamplingSheetTable {
  id: Generated<string>;
  assignment_id: string;
  task_id: string;
  testing_org_id: string;
  sample_code: string;
  product_name: string;
  trace_code: string | null;
  batch_id: string | null;
  temp_code: string | null;
  subject_id: string | null;
  temp_subject: Json<TempSubject> | null;
  place: string;
  division_code: string;
  sampled_at: Timestamp;
  longitude: number | null;
  latitude: number | null;
  quantity: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  sampler_id: string;
  sampler_name: string;
  status: Generated<SheetStatus>;
  tested_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface TestResultTable {
  id: Generated<string>;
  sheet_id: string;
  item: string;
  /** numeric: pg returns strings */
  value: ColumnType<string | null, number | string | null, number | string | null>;
  value_text: string | null;
  unit: string;
  limit_value: ColumnType<string | null, number | string | null, number | string | null>;
  standard: string;
  passed: boolean;
  entered_by: string;
  entered_at: Generated<Timestamp>;
}

export interface RiskCaseTable {
  id: Generated<string>;
  sheet_id: string;
  subject_id: string | null;
  subject_name: string;
  trace_code: string | null;
  batch_id: string | null;
  product_name: string;
  county_code: string;
  division_code: string;
  failed_items: Json<FailedItem[]>;
  trace: Json<TraceOutcome>;
  proposed_recall: Json<ProposedRecall>;
  recall_id: string | null;
  status: Generated<RiskStatus>;
  credit_record_id: string | null;
  created_at: Generated<Timestamp>;
  recall_opened_at: Timestamp | null;
  recall_opened_by: string | null;
}

/** Tables owned by the monitoring module (the only module that writes them). */
export interface MonitoringTables {
  monitoring_task: MonitoringTaskTable;
  monitoring_assignment: MonitoringAssignmentTable;
  sampling_sheet: SamplingSheetTable;
  test_result: TestResultTable;
  risk_case: RiskCaseTable;
}
