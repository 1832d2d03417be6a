-- Issue 17 items 3, 8, 12 (helper i17-rows).

-- 追溯协议 (seed 001 art. 10): the clauses the article names (信息采集、信息传递、扫码交易、信息真实性承诺) are structured,
-- [{key, text}]; a template without all of them cannot be accepted.
ALTER TABLE agreement_template ADD COLUMN clauses jsonb NOT NULL DEFAULT '[]';
-- The producer's acceptance of each clause, and the county as the other signing party (who and when).
ALTER TABLE agreement_signature ADD COLUMN accepted_clauses text[] NOT NULL DEFAULT '{}';
ALTER TABLE agreement_signature ADD COLUMN county_signed_at timestamptz;
ALTER TABLE agreement_signature ADD COLUMN county_signed_by uuid;
ALTER TABLE agreement_signature ADD COLUMN county_signer_name text;
ALTER TABLE agreement_signature ADD COLUMN county_org_name text;
CREATE INDEX agreement_signature_pending_idx ON agreement_signature (county_code) WHERE county_signed_at IS NULL;

-- Reminders sent to producers that have not accepted their county's current version.
CREATE TABLE agreement_reminder (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id  uuid NOT NULL REFERENCES subject (id),
  county_code text NOT NULL,
  version     integer,
  reminded_at timestamptz NOT NULL DEFAULT now(),
  reminded_by uuid
);
CREATE INDEX agreement_reminder_subject_idx ON agreement_reminder (subject_id, reminded_at DESC);

-- Short videos (seed 000 art. 3) of a patrol.
ALTER TABLE patrol ADD COLUMN video_ids uuid[] NOT NULL DEFAULT '{}';

-- The same voucher passed again at the same market gate needs a note from the gate staff.
ALTER TABLE voucher_check ADD COLUMN note text;
