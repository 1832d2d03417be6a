import type { ColumnType, Generated } from 'kysely';
import type { Json, Numeric, Timestamp } from '../../kernel/db/types.js';

export const INPUT_KIND_VALUES = ['pesticide', 'fertiliser', 'vet_drug', 'feed', 'operation'] as const;
export type InputKind = (typeof INPUT_KIND_VALUES)[number];

export interface InputUseTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  base_id: string;
  batch_id: string | null;
  kind: InputKind;
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
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
}

/** Tables owned by the inputs module (the only module that writes them). */
export interface InputsTables {
  input_use: InputUseTable;
}
