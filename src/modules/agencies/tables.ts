import type { Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';
import type { AgencyScope, ConsentMethod, ConsentScope, ReviewStatus } from './schemas.js';

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

/** A farmer's consent that one official (co-supervisor or township staff) acts for it (代农户办理), revocable. */
export interface FarmerConsentTable {
  id: Generated<string>;
  subject_id: string;
  actor_id: string;
  actor_org_id: string;
  scopes: ConsentScope[];
  method: ConsentMethod;
  witness_name: string | null;
  signature_file_id: string | null;
  note: string | null;
  valid_until: Timestamp;
  recorded_at: Generated<Timestamp>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/** Tables owned by the agencies module (the only module that writes them). */
export interface AgenciesTables {
  service_agency: ServiceAgencyTable;
  agency_authorisation: AgencyAuthorisationTable;
  farmer_consent: FarmerConsentTable;
}
