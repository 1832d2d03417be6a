import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';

export const INCIDENT_KIND_VALUES = ['failed_sample', 'complaint', 'counterfeit', 'other'] as const;
export type IncidentKind = (typeof INCIDENT_KIND_VALUES)[number];
export const INCIDENT_KINDS: Record<IncidentKind, { zh: string; en: string }> = {
  failed_sample: { zh: '抽检不合格', en: 'Failed sample' },
  complaint: { zh: '投诉举报', en: 'Complaint' },
  counterfeit: { zh: '疑似假冒', en: 'Suspected counterfeit' },
  other: { zh: '其他', en: 'Other' },
};

export const INCIDENT_STATUS_VALUES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUS_VALUES)[number];

export const TASK_KIND_VALUES = ['sampling', 'sealing', 'recall_notice', 'investigation', 'other'] as const;
export type IncidentTaskKind = (typeof TASK_KIND_VALUES)[number];
export const TASK_KINDS: Record<IncidentTaskKind, { zh: string; en: string }> = {
  sampling: { zh: '抽样检测', en: 'Sampling' },
  sealing: { zh: '查封扣押', en: 'Sealing' },
  recall_notice: { zh: '召回通知', en: 'Recall notice' },
  investigation: { zh: '调查核实', en: 'Investigation' },
  other: { zh: '其他', en: 'Other' },
};

export const TASK_STATUS_VALUES = ['dispatched', 'accepted', 'done'] as const;
export type IncidentTaskStatus = (typeof TASK_STATUS_VALUES)[number];

/** A batch reached by the forward trace at opening, with its holder and where it is. */
export interface AffectedBatch {
  batchId: string;
  depth: number;
  batchNo: string;
  code: string | null;
  productName: string;
  subjectId: string;
  subjectName: string;
  divisionCode: string;
  divisionName: string;
  quantity: string;
  stock: string;
  unit: string;
  longitude: number | null;
  latitude: number | null;
}

export interface IncidentTable {
  id: Generated<string>;
  number: string;
  title: string;
  kind: IncidentKind;
  severity: Generated<number>;
  source_type: string | null;
  source_id: string | null;
  batch_id: string | null;
  trace_code: string | null;
  product_name: string | null;
  division_code: string;
  description: string;
  affected: Json<AffectedBatch[]>;
  status: Generated<IncidentStatus>;
  summary: string | null;
  opened_by: string | null;
  opened_at: Generated<Timestamp>;
  closed_by: string | null;
  closed_at: Timestamp | null;
}

export interface IncidentTaskTable {
  id: Generated<string>;
  incident_id: string;
  kind: IncidentTaskKind;
  org_id: string;
  division_code: string;
  target: string | null;
  instructions: string;
  deadline: ColumnType<string, string, string>;
  status: Generated<IncidentTaskStatus>;
  result: string | null;
  dispatched_by: string | null;
  dispatched_at: Generated<Timestamp>;
  done_by: string | null;
  done_at: Timestamp | null;
}

/** Tables owned by the incidents module (the only module that writes them). */
export interface IncidentsTables {
  incident: IncidentTable;
  incident_task: IncidentTaskTable;
}
