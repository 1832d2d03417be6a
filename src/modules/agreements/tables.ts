import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

/**
 * The clauses seed 001 art. 10 requires in every agreement: 信息采集 (collecting the trace information), 信息传递
 * (passing it on), 扫码交易 (trading by scanning) and 信息真实性承诺 (the promise that the information is true).
 */
export const REQUIRED_CLAUSES = ['info_collection', 'info_transfer', 'scan_trading', 'truthfulness'] as const;
export type ClauseKey = (typeof REQUIRED_CLAUSES)[number];
export const CLAUSE_LABELS: Record<ClauseKey, { zh: string; en: string }> = {
  info_collection: { zh: '信息采集', en: 'Information collection' },
  info_transfer: { zh: '信息传递', en: 'Information transfer' },
  scan_trading: { zh: '扫码交易', en: 'Trading by scanning' },
  truthfulness: { zh: '信息真实性承诺', en: 'Promise of truthful information' },
};
export interface StoredClause {
  key: ClauseKey;
  text: string;
}

export interface AgreementTemplateTable {
  id: Generated<string>;
  county_code: string;
  version: number;
  title: string;
  body: string;
  clauses: ColumnType<StoredClause[], string | undefined, string>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface AgreementSignatureTable {
  id: Generated<string>;
  subject_id: string;
  template_id: string;
  county_code: string;
  version: number;
  signed_at: Generated<Timestamp>;
  signed_by: string | null;
  signer_name: string | null;
  ip: string | null;
  accepted_clauses: ColumnType<string[], string[] | undefined, string[]>;
  county_signed_at: Timestamp | null;
  county_signed_by: string | null;
  county_signer_name: string | null;
  county_org_name: string | null;
}

export interface AgreementReminderTable {
  id: Generated<string>;
  subject_id: string;
  county_code: string;
  version: number | null;
  reminded_at: Generated<Timestamp>;
  reminded_by: string | null;
}

/** Tables owned by the agreements module (the only module that writes them). */
export interface AgreementsTables {
  agreement_template: AgreementTemplateTable;
  agreement_signature: AgreementSignatureTable;
  agreement_reminder: AgreementReminderTable;
}
