-- Counterfeit signal kept incrementally (issue 19): instead of re-counting distinct client networks over 7 days of
-- query_log after every flush, the flush maintains one row per (code, client network) with the time of the latest
-- scan from that network. A network counts for the 7-day window while its latest scan is inside it, so the count
-- of a code's rows with last_at in the window equals count(DISTINCT client_net) over its last 7 days of query_log.
-- Rows past the window are deleted by the daily retention job (src/modules/public/retention.ts). Only codes that can
-- still be flagged are kept (not yet flagged, at least SCAN_ALERT_NETWORKS scans; see querylog.ts `write`).
CREATE TABLE query_net (
  code_kind   smallint NOT NULL,
  code_serial bigint NOT NULL,
  client_net  text NOT NULL,
  last_at     timestamptz NOT NULL,
  PRIMARY KEY (code_kind, code_serial, client_net)
);
CREATE INDEX query_net_last_idx ON query_net (last_at);

-- Each code's verdicts, remembered so a code is re-evaluated only when something could change them:
-- places_flagged_at / scans_flagged_at: the signal was raised (never evaluated again);
-- scans_allowed / scans_checked_at: the last "not over-scanned" verdict and its allowance (re-checked when the count
-- passes the allowance, or after an hour, since units sold and codes bound to the batch change).
ALTER TABLE query_count
  ADD COLUMN places_flagged_at timestamptz,
  ADD COLUMN scans_flagged_at  timestamptz,
  ADD COLUMN scans_allowed     double precision,
  ADD COLUMN scans_checked_at  timestamptz;

-- Browser-reported locations of a code, newest first (the distance check reads at most 200 of them).
CREATE INDEX query_log_geo_idx ON query_log (code_kind, code_serial, at DESC) WHERE latitude IS NOT NULL;

-- The networks of the last 7 days already logged. Signals already raised are not copied into the flags: such a
-- code is evaluated once more when a network next enters its window, and notifyOnce finds the notification sent.
INSERT INTO query_net (code_kind, code_serial, client_net, last_at)
SELECT code_kind, code_serial, client_net, max(at) FROM query_log
WHERE at > now() - interval '7 days' AND code_kind IS NOT NULL AND code_serial IS NOT NULL
  AND subject_id IS NOT NULL AND client_net IS NOT NULL
GROUP BY 1, 2, 3;
