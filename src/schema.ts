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
export type OrgKind = 'supervision' | 'testing' | 'enforcement' | 'service' | 'operator';
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
}
