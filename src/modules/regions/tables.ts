import type { Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

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

/** Tables owned by the regions module (the only module that writes them). */
export interface RegionsTables {
  division: DivisionTable;
  division_load: DivisionLoadTable;
}
