-- Issue 17 item 5 (seed 001 arts. 15, 17): on-site enforcement inspections (执法检查) started by scanning an identity
-- code; orders to correct within a deadline (责令限期改正) with follow-up on penalty cases; the public page of a
-- batch under an open risk case says so (the projection is invalidated when a risk case opens or changes).

CREATE TABLE enforcement_inspection (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id          uuid NOT NULL REFERENCES organisation (id),
  division_code   text NOT NULL,
  subject_id      uuid NOT NULL REFERENCES subject (id),
  inspector_id    uuid NOT NULL,
  inspector_name  text NOT NULL,
  place           text,
  findings        text NOT NULL,
  -- compliant 未发现问题 · violation 发现违法线索
  result          text NOT NULL CHECK (result IN ('compliant', 'violation')),
  attachment_ids  uuid[] NOT NULL DEFAULT '{}',
  longitude       double precision,
  latitude        double precision,
  case_id         uuid REFERENCES enforcement_case (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enforcement_inspection_division_idx ON enforcement_inspection (division_code text_pattern_ops, created_at DESC);
CREATE INDEX enforcement_inspection_subject_idx ON enforcement_inspection (subject_id, created_at DESC);

ALTER TABLE enforcement_case
  ADD COLUMN correction_order      text,
  ADD COLUMN correction_deadline   date,
  -- ordered 已责令改正 · corrected 已改正 · not_corrected 逾期未改正
  ADD COLUMN correction_status     text CHECK (correction_status IN ('ordered', 'corrected', 'not_corrected')),
  ADD COLUMN correction_note       text,
  ADD COLUMN correction_ordered_at timestamptz,
  ADD COLUMN correction_checked_at timestamptz;

CREATE INDEX risk_case_batch_idx ON risk_case (batch_id) WHERE batch_id IS NOT NULL;
CREATE FUNCTION public_trace_invalidate_risk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.batch_id IS NOT NULL THEN PERFORM public_trace_invalidate_downstream(NEW.batch_id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_risk AFTER INSERT OR UPDATE ON risk_case FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_risk();

-- The public projections are rebuilt with the risk field.
DELETE FROM public_trace;
