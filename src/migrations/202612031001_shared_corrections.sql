-- Corrections requested from above (更正请求, issue 14 item 5): the lower platform stays the system of record, so an
-- upper platform's request to correct a shared-in record travels down as a message, never as an overwrite.
-- One row per request on every platform it passes: where it was made (from_upper = false), on a relaying province
-- and at the record's origin platform (from_upper = true). The id is the same on every platform.
CREATE TABLE share_correction (
  id uuid PRIMARY KEY,
  origin_platform text NOT NULL,
  resource text NOT NULL,
  record_id text NOT NULL,
  -- The version the requester saw: a newer version arriving (or written, at the origin) means "corrected".
  version integer NOT NULL,
  division_code text NOT NULL,
  fields jsonb NOT NULL,
  reason text NOT NULL,
  requested_by_platform text NOT NULL,
  requested_by_name text NOT NULL,
  from_upper boolean NOT NULL,
  -- The lower platform to send it down to (the record's sender); null at the origin platform.
  deliver_to text,
  delivered_at timestamptz,
  -- Received from upper: acknowledged to the upper platform (on our next push).
  acked_at timestamptz,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'corrected', 'answered')),
  answer text,
  answered_at timestamptz,
  corrected_at timestamptz,
  -- Received from upper: the status change still to be reported up (with our next push).
  report_pending boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX share_correction_record ON share_correction (record_id);
CREATE INDEX share_correction_deliver ON share_correction (deliver_to) WHERE delivered_at IS NULL;
CREATE INDEX share_correction_division ON share_correction (division_code text_pattern_ops);
