-- Issue 12 item 6: query-log retention. Rows older than QUERY_LOG_RETENTION_DAYS (default 180) are folded into
-- daily counts per code (China day, code, owner, division, result, channel, viewer) and deleted; client addresses
-- older than QUERY_LOG_ADDRESS_DAYS (default 30) are cut to their network (client_net: IPv4 /24, IPv6 /48).
-- Per-code totals (query_count) and the counterfeit signal (7 days of query_log) are untouched by both.
CREATE TABLE query_log_daily (
  day           date NOT NULL,
  code_kind     smallint,
  code_serial   bigint,
  subject_id    uuid,
  division_code text,
  result        text NOT NULL,
  channel       text NOT NULL,
  viewer        text NOT NULL,
  n             bigint NOT NULL,
  CONSTRAINT query_log_daily_key UNIQUE NULLS NOT DISTINCT
    (day, code_kind, code_serial, subject_id, division_code, result, channel, viewer)
);
CREATE INDEX query_log_daily_division_idx ON query_log_daily (division_code text_pattern_ops, day);
CREATE INDEX query_log_daily_subject_idx ON query_log_daily (subject_id, day);
CREATE INDEX query_log_at_idx ON query_log (at);
