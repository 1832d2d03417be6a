import type { Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

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

/** Tables owned by the notifications module (the only module that writes them). */
export interface NotificationsTables {
  notification: NotificationTable;
}
