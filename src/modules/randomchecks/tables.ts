import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';

/** What a drawn task is: a patrol (巡查) or a sampling test (抽样检测). */
export const RANDOM_TASK_KINDS = ['patrol', 'sampling'] as const;
export type RandomTaskKind = (typeof RANDOM_TASK_KINDS)[number];
export const RANDOM_TASK_STATUSES = ['open', 'done'] as const;
export type RandomTaskStatus = (typeof RANDOM_TASK_STATUSES)[number];
/** How a draw weights the producers of its pool: all alike, or by risk (风险分级: shrunk failure rate). */
export const DRAW_WEIGHTINGS = ['uniform', 'risk'] as const;
export type DrawWeighting = (typeof DRAW_WEIGHTINGS)[number];
/** The basis of a risk-weighted draw: the weights (aligned with the subject pool) and where each came from. */
export interface DrawRisk {
  season: string;
  historyFrom: string;
  historyTo: string;
  /** Prior strength of the shrinkage, in pseudo-samples. */
  k: number;
  weights: number[];
  basis: { product: string | null; region: string; samples: number; failed: number }[];
}

export interface RandomDrawTable {
  id: Generated<string>;
  org_id: string;
  division_code: string;
  title: string;
  task_kind: RandomTaskKind;
  seed: string;
  algorithm: string;
  subject_filter: Json;
  subject_pool: string[];
  inspector_pool: string[];
  subject_count: number;
  inspectors_per_subject: number;
  result: Json<{ subjectId: string; inspectorIds: string[] }[]>;
  weighting: Generated<DrawWeighting>;
  risk: Json<DrawRisk> | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface RandomCheckTaskTable {
  id: Generated<string>;
  draw_id: string;
  kind: RandomTaskKind;
  subject_id: string;
  division_code: string;
  inspector_ids: string[];
  status: Generated<RandomTaskStatus>;
  done_ref: string | null;
  created_at: Generated<Timestamp>;
}

/** Tables owned by the randomchecks module (the only module that writes them). */
export interface RandomchecksTables {
  random_draw: RandomDrawTable;
  random_check_task: RandomCheckTaskTable;
}
