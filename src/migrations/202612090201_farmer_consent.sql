-- Issue 16 item 5: a co-supervisor (协管员) or township official acts for a farmer (代农户办理) only with the farmer's
-- consent on record: who consented, for whom it lets act, for what, how it was given, until when; revocable.
CREATE TABLE farmer_consent (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id        uuid NOT NULL REFERENCES subject (id),
  actor_id          uuid NOT NULL REFERENCES account (id),
  actor_org_id      uuid NOT NULL REFERENCES organisation (id),
  scopes            text[] NOT NULL,
  method            text NOT NULL CHECK (method IN ('signed_on_screen', 'verbal_witnessed', 'paper_form')),
  witness_name      text,
  signature_file_id uuid,
  note              text,
  valid_until       timestamptz NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  revoked_at        timestamptz,
  revoked_by        uuid,
  revoke_reason     text
);
CREATE INDEX farmer_consent_actor_idx ON farmer_consent (actor_id, subject_id) WHERE revoked_at IS NULL;
CREATE INDEX farmer_consent_subject_idx ON farmer_consent (subject_id);
