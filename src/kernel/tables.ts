import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './db/types.js';

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
  actor_display: ColumnType<string | null, string | null | undefined, string | null>;
  org_name: ColumnType<string | null, string | null | undefined, string | null>;
  target_name: ColumnType<string | null, string | null | undefined, string | null>;
  before: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  after: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
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
  dedupe_key: string | null;
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

/** The first answer to a write sent with an Idempotency-Key (kernel/idempotency.ts). */
export interface IdempotencyKeyTable {
  principal: string;
  key: string;
  fingerprint: string;
  state: Generated<'pending' | 'committed' | 'done'>;
  status_code: number | null;
  content_type: string | null;
  body: string | null;
  created_at: Generated<Timestamp>;
}

/** Tables owned by the kernel module (the only module that writes them). */
export interface KernelTables {
  platform_setting: PlatformSettingTable;
  audit_log: AuditLogTable;
  job: JobTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  stored_file: StoredFileTable;
  idempotency_key: IdempotencyKeyTable;
}
