-- Issue 17 item 1: delegated collection (代录, seed 000 第三、十五条; seed 004 五(三)).
-- Each record a service agency enters for a producer names the entering organisation (its name as it was then), so
-- lists and details can show "entered by X for Y" without reading the audit log (which producers cannot read).
ALTER TABLE product ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;
ALTER TABLE base ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;
ALTER TABLE customer ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;
ALTER TABLE batch ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;
ALTER TABLE certificate ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;
ALTER TABLE input_use ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;
ALTER TABLE sale ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;
ALTER TABLE origin_record ADD COLUMN entered_by_org uuid, ADD COLUMN entered_by_name text;

-- Third-party collectors of origin-map records (seed 004 五(三)): the county authorises an agency, with a recorded
-- confidentiality agreement (保密协议), to collect in its county.
CREATE TABLE origin_collector_grant (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_org_id      uuid NOT NULL REFERENCES organisation (id),
  county_code        text NOT NULL,
  confidentiality_no text NOT NULL,
  confidentiality_signed_on date NOT NULL,
  confidentiality_file text,
  granted_by         uuid NOT NULL,
  granted_at         timestamptz NOT NULL DEFAULT now(),
  revoked_at         timestamptz,
  revoked_by         uuid
);
CREATE UNIQUE INDEX origin_collector_grant_live_idx ON origin_collector_grant (agency_org_id, county_code)
  WHERE revoked_at IS NULL;
