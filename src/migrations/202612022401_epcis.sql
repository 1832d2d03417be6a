-- EPCIS 2.0 capture and query (issue 14 item 4, src/modules/epcis, docs/sharing.md "EPCIS"): events captured from
-- third-party platforms and producers' systems, stored as received and keyed by their content hash. The platform's
-- own trace events stay in trace_event and are mapped to EPCIS when queried.
CREATE TABLE epcis_event (
  id            bigserial PRIMARY KEY,
  -- sha-256 (hex) of the canonical JSON of the event without eventID, recordTime and @context (see mapping.ts)
  event_hash    text NOT NULL,
  event_type    text NOT NULL,
  event_time    timestamptz NOT NULL,
  record_time   timestamptz NOT NULL DEFAULT now(),
  -- CBV business step as a bare word when it is a CBV one (any of its URI forms), else the URI as sent
  biz_step      text,
  -- instance identifiers: epcList, childEPCs, inputEPCList, outputEPCList
  epcs          text[] NOT NULL DEFAULT '{}',
  parent_id     text,
  -- class identifiers of the quantity lists
  epc_classes   text[] NOT NULL DEFAULT '{}',
  event         jsonb NOT NULL,
  -- the capture document's @context, so the event's prefixed names keep their meaning on the way out
  context       jsonb,
  -- the producer (生产经营主体) the events belong to: the capturing producer, or the one a service agency acts for
  subject_id    uuid NOT NULL REFERENCES subject (id),
  division_code text NOT NULL,
  capture_id    uuid NOT NULL,
  captured_by   uuid REFERENCES account (id),
  UNIQUE (subject_id, event_hash)
);
CREATE INDEX epcis_event_time_idx ON epcis_event (event_time, id);
CREATE INDEX epcis_event_division_idx ON epcis_event (division_code text_pattern_ops);
CREATE INDEX epcis_event_epcs_idx ON epcis_event USING gin (epcs);
CREATE INDEX epcis_event_classes_idx ON epcis_event USING gin (epc_classes);
