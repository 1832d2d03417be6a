-- Supervision directory (监管名录), traceability agreements (追溯协议), third-party service agencies (第三方服务机构).

-- 监管名录 Producers found by township staff in their census; linked to the subject once it registers.
CREATE TABLE directory_entry (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  division_code text NOT NULL REFERENCES division (code),
  name          text NOT NULL,
  org_form      text NOT NULL CHECK (org_form IN ('enterprise', 'cooperative', 'family_farm', 'individual', 'broker')),
  industries    text[] NOT NULL DEFAULT '{}',
  cert_no       text,
  address       text,
  longitude     double precision CHECK (longitude BETWEEN 73 AND 136),
  latitude      double precision CHECK (latitude BETWEEN 3 AND 54),
  contact_name  text,
  contact_phone text,
  products      text,
  scale         text,
  note          text,
  subject_id    uuid REFERENCES subject (id),
  linked_at     timestamptz,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directory_entry_division_idx ON directory_entry (division_code text_pattern_ops);
CREATE INDEX directory_entry_unlinked_idx ON directory_entry (division_code text_pattern_ops) WHERE subject_id IS NULL;
CREATE INDEX directory_entry_cert_idx ON directory_entry (cert_no) WHERE cert_no IS NOT NULL;

-- 追溯协议 The county's agreement text, versioned; producers accept the current version.
CREATE TABLE agreement_template (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code text NOT NULL REFERENCES division (code),
  version     integer NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, version)
);
CREATE TABLE agreement_signature (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id  uuid NOT NULL REFERENCES subject (id),
  template_id uuid NOT NULL REFERENCES agreement_template (id),
  county_code text NOT NULL,
  version     integer NOT NULL,
  signed_at   timestamptz NOT NULL DEFAULT now(),
  signed_by   uuid,
  signer_name text,
  ip          text,
  UNIQUE (subject_id, template_id)
);
CREATE INDEX agreement_signature_county_idx ON agreement_signature (county_code, version);

-- 第三方服务机构 Registration of a service agency (an organisation of kind 'service'), reviewed by the province.
CREATE TABLE service_agency (
  org_id        uuid PRIMARY KEY REFERENCES organisation (id),
  credit_code   text NOT NULL,
  legal_person  text NOT NULL,
  services      text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  decided_at    timestamptz,
  decided_by    uuid,
  reasons       text
);
CREATE UNIQUE INDEX service_agency_credit_idx ON service_agency (credit_code) WHERE status <> 'rejected';

-- A producer authorises an agency to collect information on its behalf: scoped, revocable.
CREATE TABLE agency_authorisation (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL REFERENCES subject (id),
  agency_org_id uuid NOT NULL REFERENCES organisation (id),
  scopes        text[] NOT NULL CHECK (cardinality(scopes) >= 1),
  granted_by    uuid,
  granted_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  revoked_by    uuid
);
CREATE UNIQUE INDEX agency_authorisation_live_idx ON agency_authorisation (subject_id, agency_org_id) WHERE revoked_at IS NULL;
CREATE INDEX agency_authorisation_agency_idx ON agency_authorisation (agency_org_id) WHERE revoked_at IS NULL;
