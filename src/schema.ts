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

// ── originmap (重点农产品产地溯源数字地图) ─────────────────────────────────────
export interface OriginProductTable {
  code: string;
  name: string;
  name_en: string;
  industry: 'planting' | 'livestock' | 'fishery';
  unit: 'mu' | 'head' | 'bird';
  threshold: string;
  facility_threshold: string | null;
  cycle_days: number;
  max_plausible: string;
  sort: number;
}
export interface OriginThresholdTable {
  division_code: string;
  product_code: string;
  threshold: number | string;
  facility_threshold: number | string | null;
  cycle_days: number | null;
  updated_by: string | null;
  updated_at: Generated<Timestamp>;
}
export type OriginStatus = 'draft' | 'submitted' | 'approved' | 'returned';
export interface OriginRecordTable {
  id: Generated<string>;
  record_key: string;
  division_code: string;
  county_code: string;
  subject_name: string;
  subject_type: 'enterprise' | 'cooperative' | 'family_farm' | 'farmer' | 'broker';
  credit_code: string | null;
  subject_id: string | null;
  product_code: string;
  alias: string | null;
  certification: Generated<string>;
  base_address: string;
  longitude: number | null;
  latitude: number | null;
  geo_check: 'inside' | 'near' | 'far' | null;
  geo_source: Generated<'import' | 'map' | 'gps' | 'form'>;
  gps_accuracy_m: number | null;
  contact_name: string;
  contact_phone: string;
  scale: ColumnType<string, number | string, number | string>;
  /** 'YYYY-MM-DD' (date columns are parsed as text). */
  market_start: string | null;
  market_end: string | null;
  production_method: 'open_field' | 'facility';
  trace_methods: Generated<string[]>;
  credit_rating: Generated<string>;
  grid_worker_name: string | null;
  grid_worker_phone: string | null;
  collector_name: string | null;
  collector_phone: string | null;
  status: Generated<OriginStatus>;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  approved_at: Timestamp | null;
  collected_at: Generated<Timestamp>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}
export interface OriginCellTable {
  level: number;
  cx: number;
  cy: number;
  product_code: string;
  county_code: string;
  n: number;
  sum_lng: number;
  sum_lat: number;
  sum_scale: number;
}
export interface OriginImportTable {
  id: Generated<string>;
  file_name: string;
  content: Buffer;
  job_id: string | null;
  division_code: string;
  created_by: string;
  created_at: Generated<Timestamp>;
  status: Generated<'queued' | 'done' | 'failed'>;
  total_rows: number | null;
  created_rows: number | null;
  updated_rows: number | null;
  unchanged_rows: number | null;
  error_rows: number | null;
  errors: Json<unknown> | null;
  error_file: Buffer | null;
}
export interface OriginFlagTable {
  id: Generated<string>;
  record_id: string;
  kind: 'stale' | 'incomplete' | 'far' | 'scale' | 'duplicate';
  detail: string;
  division_code: string;
  status: Generated<'open' | 'resolved'>;
  created_at: Generated<Timestamp>;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: string | null;
}
export interface OriginNotificationTable {
  id: Generated<string>;
  account_id: string | null;
  division_code: string | null;
  title: string;
  body: string;
  flag_count: Generated<number>;
  created_at: Generated<Timestamp>;
  read_at: Timestamp | null;
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
  origin_product: OriginProductTable;
  origin_threshold: OriginThresholdTable;
  origin_record: OriginRecordTable;
  origin_cell: OriginCellTable;
  origin_import: OriginImportTable;
  origin_flag: OriginFlagTable;
  origin_notification: OriginNotificationTable;
}
