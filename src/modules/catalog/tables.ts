import type { Generated } from 'kysely';
import type { Json, Numeric, Timestamp } from '../../kernel/db/types.js';
import type { Industry } from '../subjects/tables.js';
import type { OriginProductionMethod } from '../originmap/tables.js';

export const PRODUCT_CERT_TYPES = ['green', 'organic', 'gi'] as const;
export const CUSTOMER_KINDS = ['buyer', 'market', 'processor', 'retailer', 'individual', 'other'] as const;

export type CodeStatus = 'I' | 'A' | 'V';

export interface ProductCertification {
  type: (typeof PRODUCT_CERT_TYPES)[number];
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
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
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
  method: OriginProductionMethod | null;
  photos: Json<string[]>;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
}

export interface CustomerTable {
  id: Generated<string>;
  subject_id: string;
  division_code: string;
  name: string;
  kind: (typeof CUSTOMER_KINDS)[number];
  contact_name: string | null;
  phone: string | null;
  address: string | null;
  customer_subject_id: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
}

/** Tables owned by the catalog module (the only module that writes them). */
export interface CatalogTables {
  product: ProductTable;
  base: BaseTable;
  customer: CustomerTable;
}
