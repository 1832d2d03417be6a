import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';
import type { CatalogContent } from './schemas.js';

export type CatalogStatus = 'draft' | 'published' | 'retired';
export type CatalogTier = 'national' | 'local';

/** 目录版本: draft → published → retired; published and retired rows never change (database trigger). */
export interface InfoCatalogVersionTable {
  id: Generated<string>;
  version: string;
  tier: CatalogTier;
  division_code: Generated<string>;
  base_version: string | null;
  status: CatalogStatus;
  title: string;
  note: string | null;
  content: Json<CatalogContent>;
  origin: Generated<'authored' | 'imported' | 'seed'>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  published_at: Timestamp | null;
  retired_at: Timestamp | null;
}

/** One row per collected record: catalogue version, work and upload time (3-day rule), completeness. */
export interface InfoCollectedTable {
  id: Generated<string>;
  resource: string;
  record_id: string;
  catalog_version: string;
  operation_id: string;
  org_id: string | null;
  collector_id: string | null;
  division_code: string;
  work_at: Timestamp | null;
  uploaded_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  late_days: number;
  late: Generated<boolean>;
  fields_total: number;
  fields_filled: number;
}

/** Tables owned by the infocatalog module. */
export interface InfocatalogTables {
  info_catalog_version: InfoCatalogVersionTable;
  info_collected: InfoCollectedTable;
}
