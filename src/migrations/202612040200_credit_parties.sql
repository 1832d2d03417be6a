-- Issue 13 item 7 (seed 000 第十九条): the credit archive of collection covers, besides producers, the service agencies
-- (第三方社会化服务机构) that collect for producers or for a county's origin map, and their individual collectors.
-- A record belongs to one party: a producer (subject_id), an agency (agency_org_id) or a collector (collector_id, with
-- the agency it collected for). One trigger (a return, a late upload, an overdue notice) may make one record per party.
ALTER TABLE credit_record ALTER COLUMN subject_id DROP NOT NULL;
ALTER TABLE credit_record
  ADD COLUMN party_kind text NOT NULL DEFAULT 'subject' CHECK (party_kind IN ('subject', 'agency', 'collector')),
  ADD COLUMN agency_org_id uuid REFERENCES organisation (id),
  ADD COLUMN collector_id uuid REFERENCES account (id);
ALTER TABLE credit_record ADD CONSTRAINT credit_record_party_check CHECK (
  (party_kind = 'subject' AND subject_id IS NOT NULL)
  OR (party_kind = 'agency' AND agency_org_id IS NOT NULL AND collector_id IS NULL)
  OR (party_kind = 'collector' AND agency_org_id IS NOT NULL AND collector_id IS NOT NULL));
ALTER TABLE credit_record DROP CONSTRAINT credit_record_source_source_id_key;
-- One record per source and party (a notice may name several collectors of one agency).
CREATE UNIQUE INDEX credit_record_source_party_idx ON credit_record (source, source_id, party_kind, collector_id) NULLS NOT DISTINCT;
CREATE INDEX credit_record_agency_idx ON credit_record (agency_org_id, occurred_at DESC) WHERE agency_org_id IS NOT NULL;

-- How many times an origin record was returned by the county (repeated returns make credit records).
ALTER TABLE origin_record ADD COLUMN returns integer NOT NULL DEFAULT 0;
