-- Origin-map rules of seed 004 三、五、六 (issue 17 item 6).
-- Re-collection per planting (每茬) and monthly for livestock and aquatic: the current planting's dates and number,
-- and one row per earlier planting/collection (origin_record_season).
ALTER TABLE origin_record
  ADD COLUMN season_no integer NOT NULL DEFAULT 1,
  ADD COLUMN planted_on date,
  ADD COLUMN harvest_on date,
  -- The last unchanged re-import that confirmed the record (its collected_at is refreshed too).
  ADD COLUMN confirmed_at timestamptz,
  -- Imported without coordinates: to be completed on site (现场补充点位); cleared by the visit.
  ADD COLUMN site_pending boolean NOT NULL DEFAULT false,
  ADD COLUMN visited_at timestamptz,
  -- Review and correction deadlines (working days, kernel/calendar.ts).
  ADD COLUMN submitted_at timestamptz,
  ADD COLUMN review_due date,
  ADD COLUMN correction_due date,
  ADD COLUMN corrected_late boolean NOT NULL DEFAULT false,
  -- Several certification types per record (产品认证类型); `certification` stays the first of them.
  ADD COLUMN certifications text[] NOT NULL DEFAULT '{}';

UPDATE origin_record SET certifications = ARRAY[certification] WHERE certification <> 'none';
UPDATE origin_record SET submitted_at = updated_at WHERE status = 'submitted';
UPDATE origin_record SET site_pending = true WHERE longitude IS NULL AND geo_source = 'import';

CREATE INDEX origin_record_site_pending ON origin_record (division_code) WHERE site_pending;
CREATE INDEX origin_record_group ON origin_record (county_code, product_code, (COALESCE(credit_code, subject_name)));

CREATE TABLE origin_record_season (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  record_id uuid NOT NULL REFERENCES origin_record(id) ON DELETE CASCADE,
  season_no integer NOT NULL,
  planted_on date,
  harvest_on date,
  scale numeric NOT NULL,
  market_start date,
  market_end date,
  collected_at timestamptz NOT NULL,
  closed_by uuid,
  closed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (record_id, season_no)
);
