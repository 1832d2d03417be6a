-- Producers (生产经营主体, "subjects"): registration, review, identity codes; producer organisations and accounts;
-- stored files. See docs/subjects.md.

-- A producer is an organisation of kind 'producer' at its division, with its own accounts (roles producer_admin,
-- producer_staff, producer_applicant), so login, sessions and API tokens work exactly as for agencies.
ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
  CHECK (kind IN ('supervision', 'testing', 'enforcement', 'service', 'operator', 'producer'));
-- Producer names repeat across a county (many farmers share a name): the (division, name) uniqueness holds for agencies only.
ALTER TABLE organisation DROP CONSTRAINT organisation_division_code_name_key;
CREATE UNIQUE INDEX organisation_agency_name_idx ON organisation (division_code, name) WHERE kind <> 'producer';

-- 用户码 User code of a producer's account (main account and sub-accounts 子账号): identity code + '-' + 2 digits.
ALTER TABLE account ADD COLUMN user_code text;
CREATE UNIQUE INDEX account_user_code_idx ON account (user_code) WHERE user_code IS NOT NULL;

-- Stored files (licence images, ID photos, PDFs). Content lives in the storage layer (local directory or S3); this
-- row is the metadata. `owner_type`/`owner_id` are set when a file is attached; unattached files may be swept.
CREATE TABLE stored_file (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  storage_key text NOT NULL UNIQUE,
  name        text NOT NULL,
  mime        text NOT NULL,
  size        integer NOT NULL CHECK (size >= 0),
  sha256      text NOT NULL,
  owner_type  text,
  owner_id    uuid,
  created_by  uuid,
  created_ip  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stored_file_owner_idx ON stored_file (owner_type, owner_id);

-- 生产经营主体 The subject: current (approved, or as submitted while first pending) registration data.
CREATE TABLE subject (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id              uuid NOT NULL UNIQUE REFERENCES organisation (id),
  name                text NOT NULL,
  -- 组织形式: enterprise 企业/个体工商户 · cooperative 合作社 · family_farm 家庭农场 · individual 农户/个人
  org_form            text NOT NULL CHECK (org_form IN ('enterprise', 'cooperative', 'family_farm', 'individual')),
  -- 主体类型: production 生产 · operation 经营 · both 生产经营
  subject_type        text NOT NULL CHECK (subject_type IN ('production', 'operation', 'both')),
  is_slaughterhouse   boolean NOT NULL DEFAULT false,
  -- 行业: planting 种植业 · livestock 畜牧业 · fishery 渔业 (one or more)
  industries          text[] NOT NULL CHECK (cardinality(industries) >= 1),
  -- 证件类型: credit_code 统一社会信用代码 · id_card 居民身份证
  cert_type           text NOT NULL CHECK (cert_type IN ('credit_code', 'id_card')),
  cert_no             text NOT NULL,
  -- Duplicate key: 'C' || credit code for enterprises and cooperatives, 'I' || ID number for family farms and
  -- individuals (seed/DOMAIN: 企业、合作社按信用代码，农户、家庭农场按身份证号).
  dedup_key           text NOT NULL,
  legal_person_name   text NOT NULL,
  legal_person_id_no  text,
  legal_person_phone  text,
  contact_name        text NOT NULL,
  contact_phone       text NOT NULL,
  contact_email       text,
  address             text NOT NULL,
  division_code       text NOT NULL REFERENCES division (code),
  longitude           double precision CHECK (longitude BETWEEN 73 AND 136),
  latitude            double precision CHECK (latitude BETWEEN 3 AND 54),
  -- 认证: green 绿色食品 · organic 有机 · gi 地理标志 · gap 良好农业规范 (for search)
  certifications      text[] NOT NULL DEFAULT '{}',
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN
                        ('pending', 'approved', 'rejected', 'change_pending', 'cancel_pending', 'revoke_pending', 'revoked', 'cancelled')),
  -- 主体身份码, issued on first approval and kept for life.
  identity_code       text UNIQUE,
  approved_at         timestamptz,
  -- How the subject came in: self-registration, historic import, or a service agency on its behalf.
  source              text NOT NULL DEFAULT 'self' CHECK (source IN ('self', 'import', 'agency')),
  source_ref          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  created_by          uuid,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  -- Optimistic concurrency: incremented on every change.
  version             integer NOT NULL DEFAULT 1
);
-- Never a second live subject for the same credit code / ID number (cancelled or revoked ones free the key).
CREATE UNIQUE INDEX subject_dedup_idx ON subject (dedup_key) WHERE status NOT IN ('revoked', 'cancelled');
CREATE INDEX subject_division_idx ON subject (division_code text_pattern_ops, status);
CREATE INDEX subject_name_idx ON subject (name text_pattern_ops);
CREATE INDEX subject_status_idx ON subject (status, division_code text_pattern_ops);

-- 申请 Every request about a subject (registration, change, cancellation, revocation) with its review: the full
-- history. `data` holds the proposed fields (registration/change), `reason` the applicant's or regulator's reason.
CREATE TABLE subject_application (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL REFERENCES subject (id),
  kind          text NOT NULL CHECK (kind IN ('register', 'change', 'cancel', 'revoke')),
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
  data          jsonb NOT NULL DEFAULT '{}',
  reason        text,
  division_code text NOT NULL,
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  submitted_by  uuid,
  -- Review deadline: 5 Chinese working days after submission (src/kernel/calendar.ts).
  due_date      date NOT NULL,
  decided_at    timestamptz,
  decided_by    uuid,
  decided_by_name text,
  decision_note text,
  -- Rejection reasons: [{field?, reason}]
  reasons       jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX subject_application_subject_idx ON subject_application (subject_id, submitted_at DESC);
CREATE INDEX subject_application_queue_idx ON subject_application (division_code text_pattern_ops, due_date) WHERE status = 'pending';

-- Proof files of a subject (营业执照 licence, 身份证 ID front/back, other).
CREATE TABLE subject_file (
  subject_id uuid NOT NULL REFERENCES subject (id),
  file_id    uuid NOT NULL REFERENCES stored_file (id),
  kind       text NOT NULL CHECK (kind IN ('licence', 'id_front', 'id_back', 'other')),
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, file_id)
);
