import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

/** A jsonb list of reason codes (defaults to []). */
type Reasons = ColumnType<string[], string | string[] | undefined, string | string[]>;

export type ReviewState = 'pending' | 'approved' | 'returned';
export type ReviewAction = 'submit' | 'approve' | 'return' | 'resubmit';

/** One review item per collected record of a reviewed resource (审核, seed 000 art. 12). */
export interface ReviewItemTable {
  id: Generated<string>;
  resource: string;
  resource_zh: string;
  resource_en: string;
  record_id: string;
  label: string;
  org_id: string | null;
  collector_id: string | null;
  division_code: string;
  state: Generated<ReviewState>;
  reasons: Reasons;
  comment: string | null;
  returns: Generated<number>;
  submitted_at: Generated<Timestamp>;
  due_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface ReviewEventTable {
  id: Generated<string>;
  item_id: string;
  action: ReviewAction;
  actor_id: string | null;
  reasons: Reasons;
  comment: string | null;
  at: Generated<Timestamp>;
}

/** Tables owned by the review module. */
export interface ReviewTables {
  review_item: ReviewItemTable;
  review_event: ReviewEventTable;
}
