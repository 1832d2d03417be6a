/**
 * Kysely table types: one interface per table, grouped by the module that owns the table.
 * Keep in step with src/migrations/. `Generated` marks columns with a database default.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = Date;
type Json<T = Record<string, unknown>> = ColumnType<T, string | T, string | T>;

// ── kernel ───────────────────────────────────────────────────────────────────
export interface PlatformSettingTable {
  key: string;
  value: Json<unknown>;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Timestamp>;
  actor_id: string | null;
  actor_name: string | null;
  org_id: string | null;
  on_behalf_of: string | null;
  verb: string;
  target_type: string;
  target_id: string | null;
  division_code: Generated<string>;
  ip: string | null;
  summary: Json;
}

export interface JobTable {
  id: Generated<string>;
  kind: string;
  payload: Json;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  progress: Generated<number>;
  total: number | null;
  result: Json<unknown> | null;
  error: string | null;
  attempts: Generated<number>;
  run_at: Generated<Timestamp>;
  created_by: string | null;
  division_code: Generated<string>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

// ── regions ──────────────────────────────────────────────────────────────────
export interface DivisionTable {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}
export interface DivisionLoadTable {
  level: number;
  rows: number;
  loaded_at: Generated<Timestamp>;
}

// ── accounts (organisations, accounts, sessions, tokens) ─────────────────────
export type OrgKind = 'supervision' | 'testing' | 'enforcement' | 'service' | 'operator' | 'producer';
export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  kind: OrgKind;
  division_code: string;
  status: Generated<'active' | 'disabled'>;
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  updated_at: Generated<Timestamp>;
}
export interface AccountTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  phone: string | null;
  org_id: string;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  password_hash: string;
  must_change_password: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  password_changed_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  updated_at: Generated<Timestamp>;
  /** 用户码 of a producer account (subjects module); null for agency accounts. */
  user_code: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface SessionTable {
  token_hash: string;
  account_id: string;
  created_at: Generated<Timestamp>;
  expires_at: Timestamp;
  last_seen_at: Generated<Timestamp>;
  ip: string | null;
  user_agent: string | null;
}
export interface ApiTokenTable {
  id: Generated<string>;
  account_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  verbs: string[];
  created_at: Generated<Timestamp>;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

// ── kernel/files ─────────────────────────────────────────────────────────────
export interface StoredFileTable {
  id: Generated<string>;
  storage_key: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  owner_type: string | null;
  owner_id: string | null;
  created_by: string | null;
  created_ip: string | null;
  created_at: Generated<Timestamp>;
}

// ── subjects (生产经营主体) ────────────────────────────────────────────────────
export type SubjectOrgForm = 'enterprise' | 'cooperative' | 'family_farm' | 'individual';
export type SubjectType = 'production' | 'operation' | 'both';
export type Industry = 'planting' | 'livestock' | 'fishery';
export type CertType = 'credit_code' | 'id_card';
export type SubjectStatus =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'change_pending'
  | 'cancel_pending'
  | 'revoke_pending'
  | 'revoked'
  | 'cancelled';
export interface SubjectTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  org_form: SubjectOrgForm;
  subject_type: SubjectType;
  is_slaughterhouse: Generated<boolean>;
  industries: ColumnType<Industry[], Industry[], Industry[]>;
  cert_type: CertType;
  cert_no: string;
  dedup_key: string;
  legal_person_name: string;
  legal_person_id_no: string | null;
  legal_person_phone: string | null;
  contact_name: string;
  contact_phone: string;
  contact_email: string | null;
  address: string;
  division_code: string;
  longitude: number | null;
  latitude: number | null;
  certifications: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<SubjectStatus>;
  identity_code: string | null;
  approved_at: Timestamp | null;
  source: Generated<'self' | 'import' | 'agency'>;
  source_ref: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
}
export type ApplicationKind = 'register' | 'change' | 'cancel' | 'revoke';
export interface SubjectApplicationTable {
  id: Generated<string>;
  subject_id: string;
  kind: ApplicationKind;
  status: Generated<'pending' | 'approved' | 'rejected' | 'superseded'>;
  data: Json;
  reason: string | null;
  division_code: string;
  submitted_at: Generated<Timestamp>;
  submitted_by: string | null;
  /** 'YYYY-MM-DD' (date column; pg type parser returns strings for dates in this project). */
  due_date: ColumnType<string, string, string>;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decision_note: string | null;
  reasons: Json<{ field?: string; reason: string }[]>;
}
export interface SubjectFileTable {
  subject_id: string;
  file_id: string;
  kind: 'licence' | 'id_front' | 'id_back' | 'other';
  added_at: Generated<Timestamp>;
}

export interface DB {
  platform_setting: PlatformSettingTable;
  audit_log: AuditLogTable;
  job: JobTable;
  division: DivisionTable;
  division_load: DivisionLoadTable;
  organisation: OrganisationTable;
  account: AccountTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  stored_file: StoredFileTable;
  subject: SubjectTable;
  subject_application: SubjectApplicationTable;
  subject_file: SubjectFileTable;
}
