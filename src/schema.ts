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

// ── directory (监管名录) ─────────────────────────────────────────────────────────
export interface DirectoryEntryTable {
  id: Generated<string>;
  division_code: string;
  name: string;
  org_form: SubjectOrgForm | 'broker';
  industries: ColumnType<string[], string[] | undefined, string[]>;
  cert_no: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  products: string | null;
  scale: string | null;
  note: string | null;
  subject_id: string | null;
  linked_at: Timestamp | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

// ── agreements (追溯协议) ──────────────────────────────────────────────────────
export interface AgreementTemplateTable {
  id: Generated<string>;
  county_code: string;
  version: number;
  title: string;
  body: string;
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
}

// ── service agencies (第三方服务机构) ───────────────────────────────────────────
export interface ServiceAgencyTable {
  org_id: string;
  credit_code: string;
  legal_person: string;
  services: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  submitted_at: Generated<Timestamp>;
  decided_at: Timestamp | null;
  decided_by: string | null;
  reasons: string | null;
}
export interface AgencyAuthorisationTable {
  id: Generated<string>;
  subject_id: string;
  agency_org_id: string;
  scopes: string[];
  granted_by: string | null;
  granted_at: Generated<Timestamp>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

// ── trace codes (catalog, batches, events, codes, certificates, inputs) ──────
type Numeric = ColumnType<string, string | number, string | number>;
export type CodeStatus = 'I' | 'A' | 'V';
export interface ProductCertification {
  type: 'green' | 'organic' | 'gi';
  number: string;
  validFrom?: string | null;
  validTo?: string | null;
}
export interface ProductTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  name: string;
  industry: Industry;
  classification: string | null;
  key_product: string | null;
  unit: Generated<string>;
  certifications: Json<ProductCertification[]>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
}
export interface BaseTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  name: string;
  address: string | null;
  area: Numeric | null;
  area_unit: Generated<string>;
  longitude: number | null;
  latitude: number | null;
  method: 'open_field' | 'facility' | null;
  photos: Json<string[]>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
}
export interface CustomerTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  name: string;
  kind: 'buyer' | 'market' | 'processor' | 'retailer' | 'individual' | 'other';
  contact_name: string | null;
  phone: string | null;
  address: string | null;
  customer_subject_id: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
}
export type BatchStatus = 'unsold' | 'partly_sold' | 'sold_out' | 'merged';
export interface BatchTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  kind: Generated<'production' | 'circulation'>;
  batch_no: string;
  product_id: string;
  base_id: string | null;
  quantity: Numeric;
  unit: string;
  produced_at: Timestamp;
  self_check: Generated<'pass' | 'fail' | 'untested'>;
  self_check_note: string | null;
  code_serial: number | null;
  stock: Numeric;
  status: Generated<BatchStatus>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
}
export type EventType = 'object' | 'aggregation' | 'transaction' | 'transformation' | 'association';
export type Stage = 'production' | 'purchase' | 'storage' | 'transport' | 'processing';
export interface TraceEventTable {
  id: Generated<number>;
  event_id: Generated<string>;
  event_type: EventType;
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  biz_step: string;
  stage: Stage;
  disposition: string | null;
  event_time: Timestamp;
  event_tz: Generated<string>;
  record_time: Generated<Timestamp>;
  subject_id: string | null;
  division_code: string;
  read_point: string | null;
  batch_id: string | null;
  qty_delta: Numeric;
  unit: string | null;
  source_subject_id: string | null;
  dest_subject_id: string | null;
  biz_tx: Json<{ type: string; id: string }[]>;
  corrects: string | null;
  payload: Json;
  content_hash: string | null;
  actor_id: string | null;
}
export interface TraceEdgeTable {
  from_batch: string;
  to_batch: string;
  event_id: number;
  quantity: Numeric | null;
  unit: string | null;
}
export interface TraceCodeTable {
  kind: number;
  serial: number;
  status: Generated<CodeStatus>;
  subject_id: string;
  batch_id: string | null;
  reservation_id: string | null;
  issued_at: Generated<Timestamp>;
  activated_at: Timestamp | null;
}
export interface CodeCounterTable {
  kind: number;
  next: number;
}
export interface CodeReservationTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  kind: number;
  first_serial: number;
  count: number;
  printer: string | null;
  status: Generated<'generating' | 'ready'>;
  job_id: string | null;
  activated: Generated<number>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
}
export interface CertificateTable {
  id: Generated<string>;
  number: string;
  style: 'producer' | 'buyer';
  subject_id: string;
  division_code: string;
  batch_id: string | null;
  code_kind: number | null;
  code_serial: number | null;
  product_name: string;
  quantity: Numeric;
  unit: string;
  origin: string;
  subject_name: string;
  contact_name: string | null;
  phone: string;
  promises: string[];
  basis: string[];
  issued_at: Generated<Timestamp>;
  retain_until: Timestamp;
  created_by: string | null;
}
export interface CertificateSourceTable {
  certificate_id: string;
  source_number: string;
  source_id: string | null;
}
export interface InputUseTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  base_id: string;
  batch_id: string | null;
  kind: 'pesticide' | 'fertiliser' | 'vet_drug' | 'feed' | 'operation';
  name: string;
  registration_no: string | null;
  dose: Numeric | null;
  dose_unit: string | null;
  used_on: ColumnType<string, string, string>;
  safety_days: number | null;
  operation: string | null;
  photos: Json<string[]>;
  note: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
}

// ── public trace (issue 6: src/modules/public, notifications, complaints) ───
export interface PublicTraceTable {
  batch_id: string;
  doc: Json;
  etag: string;
  built_at: Generated<Timestamp>;
}
export interface QueryLogTable {
  id: Generated<number>;
  at: Timestamp;
  code: string;
  code_kind: number | null;
  code_serial: number | null;
  result: string;
  channel: string;
  viewer: string;
  actor_id: string | null;
  subject_id: string | null;
  division_code: string | null;
  client_ip: string | null;
  client_net: string | null;
  user_agent: string | null;
  latitude: number | null;
  longitude: number | null;
}
export interface QueryCountTable {
  code_kind: number;
  code_serial: number;
  subject_id: string | null;
  n: number;
  first_at: Timestamp;
  last_at: Timestamp;
}
export type ComplaintStatus = 'submitted' | 'handling' | 'closed';
export interface ComplaintTable {
  id: Generated<string>;
  number: string;
  code: string;
  batch_id: string | null;
  subject_id: string | null;
  division_code: string;
  org_id: string | null;
  category: string;
  text: string;
  contact_name: string | null;
  contact_phone: string | null;
  photo_file_id: string | null;
  status: Generated<ComplaintStatus>;
  outcome: string | null;
  handled_by: string | null;
  handled_at: Timestamp | null;
  client_ip: string | null;
  created_at: Generated<Timestamp>;
}

// ── the chain (issue 5: src/modules/{trade,lineage,recall,notifications}) ─────
export interface NotificationTable {
  id: Generated<string>;
  recipient_org_id: string | null;
  recipient_account_id: string | null;
  kind: string;
  title_zh: string;
  title_en: string;
  body: string | null;
  link: string | null;
  division_code: Generated<string>;
  created_at: Generated<Timestamp>;
  read_at: Timestamp | null;
}
export type SaleBuyerKind = 'registered' | 'unregistered' | 'market';
export type SaleStatus = 'pending' | 'accepted' | 'refused' | 'vouchered';
export interface SaleTable {
  id: Generated<string>;
  seller_subject_id: string;
  division_code: string;
  batch_id: string;
  quantity: Numeric;
  unit: string;
  buyer_kind: SaleBuyerKind;
  buyer_subject_id: string | null;
  customer_id: string | null;
  buyer_name: string;
  buyer_phone: string | null;
  buyer_division: string | null;
  status: SaleStatus;
  voucher_kind: 'trace' | 'market' | null;
  voucher_serial: number | null;
  price: Numeric | null;
  sold_at: Timestamp;
  ship_event_id: number;
  receipt_batch_id: string | null;
  received_quantity: Numeric | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  refuse_reason: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
}
export interface VoucherCheckTable {
  id: Generated<string>;
  input: string;
  code_kind: number | null;
  code_serial: number | null;
  sale_id: string | null;
  batch_id: string | null;
  market_subject_id: string | null;
  checker_org_id: string;
  division_code: string;
  verified: boolean;
  reasons: ColumnType<unknown, string, string>;
  checked_at: Generated<Timestamp>;
  checked_by: string;
}
export interface RecallTable {
  id: Generated<string>;
  number: string;
  batch_id: string;
  subject_id: string;
  division_code: string;
  opener_kind: 'regulator' | 'producer';
  opener_org_id: string;
  level: number;
  reason: string;
  status: Generated<'open' | 'closed'>;
  opened_at: Generated<Timestamp>;
  opened_by: string;
  closed_at: Timestamp | null;
  closed_by: string | null;
  close_note: string | null;
}
export interface RecallBatchTable {
  recall_id: string;
  batch_id: string;
  depth: number;
}
export interface RecallNoticeTable {
  id: Generated<string>;
  recall_id: string;
  holder_subject_id: string | null;
  holder_name: string;
  contact_name: string | null;
  phone: string | null;
  division_code: string | null;
  batch_id: string | null;
  sale_id: string | null;
  quantity: Numeric | null;
  unit: string | null;
  status: Generated<'notified' | 'acknowledged' | 'external'>;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  recovered_quantity: Numeric | null;
  note: string | null;
}
export interface BatchRecallStatusView {
  batch_id: string;
  recall_id: string;
  number: string;
  level: number;
  reason: string;
  opened_at: Timestamp;
}
export type AnomalyKind = 'output_exceeds_input' | 'sales_exceed_harvest' | 'code_reused' | 'receipt_mismatch';
export interface AnomalyTable {
  id: Generated<string>;
  kind: AnomalyKind;
  key: string;
  subject_id: string | null;
  division_code: string;
  batch_id: string | null;
  sale_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<'open' | 'resolved'>;
  detected_at: Generated<Timestamp>;
}

// ── supervision, monitoring, enforcement, credit (docs/supervision.md) ──
type DateStr = ColumnType<string, string, string>;
export type PatrolTarget = 'base' | 'subject' | 'input_dealer';
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
  period: 'year' | 'quarter' | 'month';
  period_no: number;
  target: number;
  title: string;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}
export type PatrolStatus = 'in_progress' | 'passed' | 'failed' | 'rectifying' | 'closed';
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
  result: 'pass' | 'fail' | 'rectify' | null;
  checklist: Json<{ code: string; ok: boolean; note?: string | null }[]>;
  findings: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
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
export interface RandomDrawTable {
  id: Generated<string>;
  org_id: string;
  division_code: string;
  title: string;
  task_kind: 'patrol' | 'sampling';
  seed: string;
  algorithm: string;
  subject_filter: Json;
  subject_pool: string[];
  inspector_pool: string[];
  subject_count: number;
  inspectors_per_subject: number;
  result: Json<{ subjectId: string; inspectorIds: string[] }[]>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}
export interface RandomCheckTaskTable {
  id: Generated<string>;
  draw_id: string;
  kind: 'patrol' | 'sampling';
  subject_id: string;
  division_code: string;
  inspector_ids: string[];
  status: Generated<'open' | 'done'>;
  done_ref: string | null;
  created_at: Generated<Timestamp>;
}
export type MonitoringKind = 'routine' | 'special' | 'supervisory' | 'retest' | 'emergency';
export type MonitoringLevel = 'ministry' | 'province' | 'city' | 'county';
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
  status: Generated<'issued' | 'closed'>;
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
  temp_subject: Json<{ name: string; contact?: string | null; phone?: string | null; address?: string | null }> | null;
  place: string;
  division_code: string;
  sampled_at: Timestamp;
  longitude: number | null;
  latitude: number | null;
  quantity: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  sampler_id: string;
  sampler_name: string;
  status: Generated<'sampled' | 'passed' | 'failed'>;
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
  failed_items: Json<unknown[]>;
  trace: Json;
  proposed_recall: Json;
  recall_id: string | null;
  status: Generated<'open' | 'recall_opened' | 'closed'>;
  credit_record_id: string | null;
  created_at: Generated<Timestamp>;
  recall_opened_at: Timestamp | null;
  recall_opened_by: string | null;
}
export type ViolationType = 'false_info' | 'chain_broken' | 'identity_misuse' | 'batch_mixing' | 'other';
export type CaseStatus = 'registered' | 'investigating' | 'decided' | 'closed' | 'dismissed';
export interface EnforcementCaseTable {
  id: Generated<string>;
  case_no: string;
  org_id: string;
  division_code: string;
  subject_id: string | null;
  party_name: string;
  product_name: string | null;
  trace_code: string | null;
  batch_id: string | null;
  facts: string;
  violation_type: ViolationType;
  source_type: 'patrol' | 'risk_case' | 'inspection' | 'complaint' | 'other' | null;
  source_id: string | null;
  decision: string | null;
  fine_yuan: ColumnType<string | null, number | string | null, number | string | null>;
  attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<CaseStatus>;
  credit_record_id: string | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  decided_at: Timestamp | null;
  closed_at: Timestamp | null;
}
export type CreditSource = 'patrol' | 'test' | 'penalty';
export interface CreditRuleTable {
  code: string;
  source: CreditSource;
  severity: 'minor' | 'serious';
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
  subject_id: string;
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
  stored_file: StoredFileTable;
  subject: SubjectTable;
  subject_application: SubjectApplicationTable;
  subject_file: SubjectFileTable;
  directory_entry: DirectoryEntryTable;
  agreement_template: AgreementTemplateTable;
  agreement_signature: AgreementSignatureTable;
  service_agency: ServiceAgencyTable;
  agency_authorisation: AgencyAuthorisationTable;
  product: ProductTable;
  base: BaseTable;
  customer: CustomerTable;
  batch: BatchTable;
  trace_event: TraceEventTable;
  trace_edge: TraceEdgeTable;
  trace_code: TraceCodeTable;
  code_counter: CodeCounterTable;
  code_reservation: CodeReservationTable;
  certificate: CertificateTable;
  certificate_source: CertificateSourceTable;
  input_use: InputUseTable;
  public_trace: PublicTraceTable;
  query_log: QueryLogTable;
  query_count: QueryCountTable;
  notification: NotificationTable;
  complaint: ComplaintTable;
  sale: SaleTable;
  voucher_check: VoucherCheckTable;
  recall: RecallTable;
  recall_batch: RecallBatchTable;
  recall_notice: RecallNoticeTable;
  batch_recall_status: BatchRecallStatusView;
  anomaly: AnomalyTable;
  patrol_template: PatrolTemplateTable;
  patrol_plan: PatrolPlanTable;
  patrol: PatrolTable;
  random_draw: RandomDrawTable;
  random_check_task: RandomCheckTaskTable;
  monitoring_task: MonitoringTaskTable;
  monitoring_assignment: MonitoringAssignmentTable;
  sampling_sheet: SamplingSheetTable;
  test_result: TestResultTable;
  risk_case: RiskCaseTable;
  enforcement_case: EnforcementCaseTable;
  credit_rule: CreditRuleTable;
  credit_grade: CreditGradeTable;
  credit_record: CreditRecordTable;
}
