-- Issue 12 item 13: on-demand jobs are de-duplicated. `dedupe_key` is a hash of kind, requester and parameters; while
-- a job with the same key is queued or running, asking again returns that job instead of queueing another.
ALTER TABLE job ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX job_dedupe_idx ON job (dedupe_key) WHERE status IN ('queued', 'running');
