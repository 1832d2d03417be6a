import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

/** Kinds of organisation (the enumeration is declared here, once; labels in `schemas.ts`). */
export const ORG_KINDS = ['supervision', 'testing', 'enforcement', 'service', 'operator', 'producer'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
/** Lifecycle status of an organisation or an account (see `states.ts`). */
export const ACTIVE_STATUSES = ['active', 'disabled'] as const;
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  kind: OrgKind;
  division_code: string;
  status: Generated<ActiveStatus>;
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
  status: Generated<ActiveStatus>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  password_changed_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  updated_at: Generated<Timestamp>;
  /** 用户码 of a producer account (subjects module); null for agency accounts. */
  user_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** The upper platform's subject id (OIDC `sub`) this account is linked to for single sign-on (docs/sso.md). */
  upper_subject: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Failed logins per (lower-cased username, client address), known usernames or not (issue 12). */
export interface LoginThrottleTable {
  username_key: string;
  client: string;
  failures: Generated<number>;
  blocked_until: Timestamp | null;
  last_failure_at: Generated<Timestamp>;
}

/** Tables owned by the accounts module (the only module that writes them). */
export interface AccountsTables {
  organisation: OrganisationTable;
  account: AccountTable;
  login_throttle: LoginThrottleTable;
}
