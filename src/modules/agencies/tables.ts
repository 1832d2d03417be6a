import type { Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';
import type { AgencyScope, ReviewStatus } from './schemas.js';

export interface ServiceAgencyTable {
  org_id: string;
  credit_code: string;
  legal_person: string;
  services: string;
  status: Generated<ReviewStatus>;
  submitted_at: Generated<Timestamp>;
  decided_at: Timestamp | null;
  decided_by: string | null;
  reasons: string | null;
}

export interface AgencyAuthorisationTable {
  id: Generated<string>;
  subject_id: string;
  agency_org_id: string;
  scopes: AgencyScope[];
  granted_by: string | null;
  granted_at: Generated<Timestamp>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

/** Tables owned by the agencies module (the only module that writes them). */
export interface AgenciesTables {
  service_agency: ServiceAgencyTable;
  agency_authorisation: AgencyAuthorisationTable;
}
