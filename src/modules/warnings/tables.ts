import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';

/** Evaluators a warning rule can name (the rule's `kind`); the parameters are the rule's data. */
export const WARNING_KIND_VALUES = [
  'failure_rate_rise',
  'counterfeit_scans',
  'chain_anomaly',
  'overdue_review',
  'overdue_rectification',
  'collection_drop',
] as const;
export type WarningKind = (typeof WARNING_KIND_VALUES)[number];

export const WARNING_STATUS_VALUES = ['open', 'acknowledged', 'handled'] as const;
export type WarningStatus = (typeof WARNING_STATUS_VALUES)[number];

/** The level a rule's warnings go to. */
export const WARNING_LEVEL_VALUES = ['province', 'city', 'county', 'township'] as const;
export type WarningLevel = (typeof WARNING_LEVEL_VALUES)[number];

export interface WarningRuleTable {
  id: Generated<string>;
  code: string;
  kind: WarningKind;
  name_zh: string;
  name_en: string;
  level: Generated<WarningLevel>;
  params: Json<Record<string, number>>;
  enabled: Generated<boolean>;
  updated_at: Generated<Timestamp>;
  updated_by: string | null;
}

export interface WarningTable {
  id: Generated<string>;
  rule_id: string;
  key: string;
  division_code: string;
  title_zh: string;
  title_en: string;
  details: Json<Record<string, unknown>>;
  link: string | null;
  status: Generated<WarningStatus>;
  detected_at: Generated<Timestamp>;
  last_seen_at: Generated<Timestamp>;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  handled_at: Timestamp | null;
  handled_by: string | null;
  outcome: string | null;
}

export interface WarningEventTable {
  id: Generated<number>;
  warning_id: string;
  action: string;
  note: string | null;
  actor_id: string | null;
  actor_name: string | null;
  org_name: string | null;
  at: ColumnType<Timestamp, Timestamp | undefined, never>;
}

/** Tables owned by the warnings module (the only module that writes them). */
export interface WarningsTables {
  warning_rule: WarningRuleTable;
  warning: WarningTable;
  warning_event: WarningEventTable;
}
