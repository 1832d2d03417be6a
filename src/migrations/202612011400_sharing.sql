-- Upward sharing (信息归集, issue 14): platform connections, the outbox of shared records, received records.

-- A connection between this platform and another one. On a lower platform one row (direction 'upper') is its link
-- to the upper platform; on an upper platform one row per lower platform that applied (direction 'lower').
CREATE TABLE platform_connection (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  direction text NOT NULL CHECK (direction IN ('upper', 'lower')),
  platform_id text NOT NULL,
  tier text NOT NULL,
  region text NOT NULL,
  public_key text NOT NULL,
  entry_url text NOT NULL,
  contact_name text NOT NULL,
  contact_phone text NOT NULL,
  status text NOT NULL DEFAULT 'applied',
  -- The other side's status as last reported to us (a lower platform learns approval from its upper one).
  peer_status text,
  reason text,
  -- Upper side: the next sequence number expected from this lower platform. Lower side: next to send.
  next_seq bigint NOT NULL DEFAULT 1,
  last_success_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  error_count integer NOT NULL DEFAULT 0,
  -- As reported by the sender with every batch: its backlog (rows) and the age of its oldest unsent row (ms).
  backlog integer NOT NULL DEFAULT 0,
  lag_ms integer NOT NULL DEFAULT 0,
  received_count bigint NOT NULL DEFAULT 0,
  parked_count bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (direction, platform_id)
);

-- The gap-free sequence of this platform's outbox: one row, incremented in the write's transaction.
CREATE TABLE share_sequence (
  id integer PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL
);
INSERT INTO share_sequence (id, last_seq) VALUES (1, 0);

-- Every write of a shared resource, appended in the same transaction as the write, in sequence order.
CREATE TABLE share_outbox (
  seq bigint PRIMARY KEY,
  origin_platform text NOT NULL,
  resource text NOT NULL,
  record_id text NOT NULL,
  version integer NOT NULL,
  division_code text NOT NULL,
  catalog_version text NOT NULL,
  content_hash text NOT NULL,
  payload jsonb NOT NULL,
  origin_created_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The latest version per record (versions count per origin platform, resource and id).
CREATE INDEX share_outbox_record ON share_outbox (origin_platform, resource, record_id, version DESC);

-- Records received from lower platforms, one row per (origin platform, resource, id, version).
CREATE TABLE shared_record (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  origin_platform text NOT NULL,
  sender_platform text NOT NULL,
  sender_seq bigint NOT NULL,
  resource text NOT NULL,
  record_id text NOT NULL,
  version integer NOT NULL,
  division_code text NOT NULL,
  catalog_version text NOT NULL,
  content_hash text NOT NULL,
  payload jsonb NOT NULL,
  origin_created_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (origin_platform, resource, record_id, version)
);
CREATE INDEX shared_record_division ON shared_record (resource, division_code text_pattern_ops);
CREATE UNIQUE INDEX shared_record_sender_seq ON shared_record (sender_platform, sender_seq);

-- Records that arrived but could not be applied: kept with a readable reason; the stream goes on.
CREATE TABLE shared_parked (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sender_platform text NOT NULL,
  sender_seq bigint NOT NULL,
  origin_platform text NOT NULL,
  resource text NOT NULL,
  record_id text NOT NULL,
  version integer NOT NULL,
  reason_code text NOT NULL,
  reason_zh text NOT NULL,
  reason_en text NOT NULL,
  payload jsonb NOT NULL,
  parked_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sender_platform, sender_seq)
);
