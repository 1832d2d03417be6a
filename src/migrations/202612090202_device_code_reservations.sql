-- Issue 16 item 2: codes reserved ahead and kept on a phone, so labels print without signal. A device reservation
-- is bound to one batch, owned by the account that made it (created_by), and expires; each code printed offline is
-- reported later (activation, idempotent); unused codes can be released (voided).
ALTER TABLE code_reservation
  ADD COLUMN purpose text NOT NULL DEFAULT 'printer' CHECK (purpose IN ('printer', 'device')),
  ADD COLUMN batch_id uuid,
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN released_at timestamptz;
