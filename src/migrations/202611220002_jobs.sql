-- Background jobs (imports, exports, scheduled patrols, upward sharing). Claimed with FOR UPDATE SKIP LOCKED so
-- several workers (or several app instances on PostgreSQL) never run the same job twice.
CREATE TABLE job (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        text NOT NULL,
  payload     jsonb NOT NULL DEFAULT '{}',
  status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  progress    integer NOT NULL DEFAULT 0,
  total       integer,
  result      jsonb,
  error       text,
  attempts    integer NOT NULL DEFAULT 0,
  run_at      timestamptz NOT NULL DEFAULT now(),
  created_by  uuid,
  division_code text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_queue_idx ON job (run_at) WHERE status = 'queued';
CREATE INDEX job_kind_idx ON job (kind, created_at DESC);
