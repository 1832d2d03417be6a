import type { Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

/** Where a bad record comes from: a patrol, a sampling test, a penalty decision, information collection (issue 13). */
export const CREDIT_SOURCES = ['patrol', 'test', 'penalty', 'collection'] as const;
export type CreditSource = (typeof CREDIT_SOURCES)[number];
export const CREDIT_SEVERITIES = ['minor', 'serious'] as const;
export type CreditSeverity = (typeof CREDIT_SEVERITIES)[number];
/** Whose record: a producer (subject), a service agency, or an agency's individual collector (issue 13 item 7). */
export const CREDIT_PARTIES = ['subject', 'agency', 'collector'] as const;
export type CreditParty = (typeof CREDIT_PARTIES)[number];

export interface CreditRuleTable {
  code: string;
  source: CreditSource;
  severity: CreditSeverity;
  points: number;
  name_zh: string;
  name_en: string;
}

export interface CreditGradeTable {
  grade: string;
  max_points: number;
  name_zh: string;
  name_en: string;
}

export interface CreditRecordTable {
  id: Generated<string>;
  /** The producer (party 'subject'). */
  subject_id: string | null;
  party_kind: Generated<CreditParty>;
  /** The service agency (party 'agency'), or the one a collector collected for (party 'collector'). */
  agency_org_id: string | null;
  /** The individual collector's account (party 'collector'). */
  collector_id: string | null;
  division_code: string;
  source: CreditSource;
  source_id: string;
  rule_code: string;
  points: number;
  title_zh: string;
  title_en: string;
  occurred_at: Timestamp;
  created_at: Generated<Timestamp>;
  withdrawn_at: Timestamp | null;
}

/** Tables owned by the credit module (the only module that writes them). */
export interface CreditTables {
  credit_rule: CreditRuleTable;
  credit_grade: CreditGradeTable;
  credit_record: CreditRecordTable;
}
