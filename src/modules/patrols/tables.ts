import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';

/** What is patrolled: a production base, a producer, an input (农资) dealer. */
export const PATROL_TARGETS = ['base', 'subject', 'input_dealer'] as const;
export type PatrolTarget = (typeof PATROL_TARGETS)[number];
/** A patrol's result: pass, fail, or rectify by a deadline. */
export const PATROL_RESULTS = ['pass', 'fail', 'rectify'] as const;
export type PatrolResult = (typeof PATROL_RESULTS)[number];
export const PATROL_STATUSES = ['in_progress', 'passed', 'failed', 'rectifying', 'closed'] as const;
export type PatrolStatus = (typeof PATROL_STATUSES)[number];
/** A plan covers a year, a quarter or a month. */
export const PLAN_PERIODS = ['year', 'quarter', 'month'] as const;
export type PlanPeriod = (typeof PLAN_PERIODS)[number];

export interface PatrolTemplateTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string;
  target: PatrolTarget;
  items: Json<{ code: string; zh: string; en: string; critical?: boolean }[]>;
  active: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

export interface PatrolPlanTable {
  id: Generated<string>;
  org_id: string;
  division_code: string;
  year: number;
  period: PlanPeriod;
  period_no: number;
  target: number;
  title: string;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface PatrolTable {
  id: Generated<string>;
  org_id: string;
  division_code: string;
  subject_id: string;
  target: PatrolTarget;
  template_id: string;
  plan_id: string | null;
  task_id: string | null;
  inspector_id: string;
  inspector_name: string;
  status: Generated<PatrolStatus>;
  result: PatrolResult | null;
  checklist: Json<{ code: string; ok: boolean; note?: string | null }[]>;
  findings: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  /** Short MP4 videos (seed 000 art. 3: 视频), type checked by content at upload. */
  video_ids: ColumnType<string[], string[] | undefined, string[]>;
  signature_file_id: string | null;
  signer_name: string | null;
  longitude: number | null;
  latitude: number | null;
  accuracy_m: number | null;
  rectify_deadline: ColumnType<string | null, string | null | undefined, string | null>;
  started_at: Generated<Timestamp>;
  submitted_at: Timestamp | null;
  follow_up_note: string | null;
  follow_up_photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  closed_at: Timestamp | null;
  closed_by: string | null;
}

/** Tables owned by the patrols module (the only module that writes them). */
export interface PatrolsTables {
  patrol_template: PatrolTemplateTable;
  patrol_plan: PatrolPlanTable;
  patrol: PatrolTable;
}
