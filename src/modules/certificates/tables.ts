import type { Generated } from 'kysely';
import type { Numeric, Timestamp } from '../../kernel/db/types.js';

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
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
}

export interface CertificateSourceTable {
  certificate_id: string;
  source_number: string;
  source_id: string | null;
}

/** Tables owned by the certificates module (the only module that writes them). */
export interface CertificatesTables {
  certificate: CertificateTable;
  certificate_source: CertificateSourceTable;
}
