import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

export const COMPLAINT_STATUSES = ['submitted', 'handling', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_CATEGORIES = ['quality', 'counterfeit', 'label', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
/** What a complaint is about: a product (by its code), a producer, an information collector, a service agency. */
export const COMPLAINT_ABOUT = ['product', 'producer', 'collector', 'agency'] as const;
export type ComplaintAbout = (typeof COMPLAINT_ABOUT)[number];

export interface ComplaintTable {
  id: Generated<string>;
  number: string;
  code: string | null;
  about: ColumnType<ComplaintAbout, ComplaintAbout | undefined, ComplaintAbout>;
  about_name: ColumnType<string | null, string | null | undefined, string | null>;
  place: ColumnType<string | null, string | null | undefined, string | null>;
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

/** Tables owned by the complaints module (the only module that writes them). */
export interface ComplaintsTables {
  complaint: ComplaintTable;
}
