-- Issue 19 item 6: the four tables that grow with national use are partitioned (declarative partitioning), each by
-- what its reads and its keys need (docs/deployment.md "Partitioned tables"):
--   audit_log    RANGE (at), one partition per China month (Asia/Shanghai), + DEFAULT; primary key (id, at)
--   query_log    RANGE (at), one partition per China month, + DEFAULT; primary key (id, at)
--   trace_event  RANGE (id), blocks of 25,000,000 ids (ids follow record time), + DEFAULT; primary key (id), so
--                trace_edge.event_id and sale.ship_event_id keep their foreign keys and lineage joins by id prune
--                to one partition; event_id and content_hash can no longer be UNIQUE on the partitioned table
--                (a unique key must contain the partition key): event_id is generated only by its default
--                (gen_random_uuid(), no code path supplies one), and content_hash's idempotency moves to
--                trace_event_idempotency (one row per hashed event, checked in the event's transaction)
--   trace_code   HASH (serial), 16 partitions; primary key (kind, serial) unchanged: codes are read by (kind, serial)
--                and by batch, never by time, and hash partitions need no maintenance
-- Existing rows are moved (create the partitioned table, copy, drop the old one, rename), and indexes, checks,
-- foreign keys, identity sequences and triggers (the resolver's NOTIFY triggers of 202612090501, the public
-- projection's invalidation of 202611221600) are recreated. partition_maintain() creates the partitions ahead —
-- months up to 3 ahead, id blocks one block ahead — and is run here and daily by the job `jobs.partitionsAhead`;
-- the DEFAULT partitions catch what arrives before its partition exists, so an insert never fails.

-- One range partition [lo, hi) of parent named child. Rows that fell into the DEFAULT partition in that range are
-- moved into it (allowed only for tables no foreign key references: audit_log, query_log); for the others such a
-- range is left to the DEFAULT partition (returns false).
CREATE FUNCTION partition_add(parent regclass, child text, col text, lo text, hi text, movable boolean)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE def regclass; stray boolean := false;
BEGIN
  IF to_regclass(child) IS NOT NULL THEN RETURN true; END IF;
  SELECT c.oid::regclass INTO def FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
  IF def IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= %L AND %I < %L)', def, col, lo, col, hi) INTO stray;
  END IF;
  IF NOT stray THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', child, parent, lo, hi);
    RETURN true;
  END IF;
  IF NOT movable THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
  EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    def, col, lo, col, hi, child);
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, child, lo, hi);
  RETURN true;
END $$;

-- Monthly partitions (China months) of a table ranged on a timestamptz column, from the month of `since` to
-- `months_ahead` months after the current one. Named <table>_yYYYYmMM.
CREATE FUNCTION partition_months(parent text, col text, since timestamptz, months_ahead int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE m timestamp; last timestamp;
BEGIN
  m := date_trunc('month', coalesce(since, now()) AT TIME ZONE 'Asia/Shanghai');
  last := date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') + make_interval(months => months_ahead);
  WHILE m <= last LOOP
    PERFORM partition_add(parent::regclass, parent || to_char(m, '"_y"YYYY"m"MM'), col,
      to_char(m, 'YYYY-MM-DD HH24:MI:SS') || '+08', to_char(m + interval '1 month', 'YYYY-MM-DD HH24:MI:SS') || '+08', true);
    m := m + interval '1 month';
  END LOOP;
END $$;

-- trace_event's id blocks, from block 0 to one block past the identity sequence's position. Named trace_event_pNNNN.
CREATE FUNCTION partition_event_blocks() RETURNS void LANGUAGE plpgsql AS $$
DECLARE size constant bigint := 25000000; top bigint; b bigint := 0;
BEGIN
  SELECT last_value INTO top FROM trace_event_id_seq;
  WHILE b * size <= top + size LOOP
    PERFORM partition_add('trace_event'::regclass, 'trace_event_p' || lpad(b::text, 4, '0'), 'id',
      (b * size)::text, ((b + 1) * size)::text, false);
    b := b + 1;
  END LOOP;
END $$;

CREATE FUNCTION partition_maintain() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM partition_months('audit_log', 'at', now(), 3);
  PERFORM partition_months('query_log', 'at', now(), 3);
  PERFORM partition_event_blocks();
END $$;

-- ── audit_log ──────────────────────────────────────────────────────────────────────────────────────────────────
ALTER TABLE audit_log RENAME TO audit_log_old;
ALTER SEQUENCE audit_log_id_seq RENAME TO audit_log_old_id_seq;
ALTER TABLE audit_log_old DROP CONSTRAINT audit_log_pkey;
DROP INDEX audit_log_at_idx, audit_log_division_idx, audit_log_actor_idx;
CREATE TABLE audit_log (LIKE audit_log_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING STORAGE,
  PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;
SELECT partition_months('audit_log', 'at', (SELECT min(at) FROM audit_log_old), 3);
INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM audit_log_old;
SELECT setval('audit_log_id_seq', last_value, is_called) FROM audit_log_old_id_seq;
DROP TABLE audit_log_old;
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_division_idx ON audit_log (division_code text_pattern_ops, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);

-- ── query_log ──────────────────────────────────────────────────────────────────────────────────────────────────
ALTER TABLE query_log RENAME TO query_log_old;
ALTER SEQUENCE query_log_id_seq RENAME TO query_log_old_id_seq;
ALTER TABLE query_log_old DROP CONSTRAINT query_log_pkey;
DROP INDEX query_log_code_idx, query_log_division_idx, query_log_subject_idx, query_log_at_idx, query_log_geo_idx;
CREATE TABLE query_log (LIKE query_log_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING STORAGE,
  PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE query_log_default PARTITION OF query_log DEFAULT;
SELECT partition_months('query_log', 'at', (SELECT min(at) FROM query_log_old), 3);
INSERT INTO query_log OVERRIDING SYSTEM VALUE SELECT * FROM query_log_old;
SELECT setval('query_log_id_seq', last_value, is_called) FROM query_log_old_id_seq;
DROP TABLE query_log_old;
CREATE INDEX query_log_code_idx ON query_log (code_kind, code_serial, at);
CREATE INDEX query_log_division_idx ON query_log (division_code text_pattern_ops, at DESC);
CREATE INDEX query_log_subject_idx ON query_log (subject_id, at DESC);
CREATE INDEX query_log_at_idx ON query_log (at);
CREATE INDEX query_log_geo_idx ON query_log (code_kind, code_serial, at DESC) WHERE latitude IS NOT NULL;

-- ── trace_event ────────────────────────────────────────────────────────────────────────────────────────────────
ALTER TABLE trace_edge DROP CONSTRAINT trace_edge_event_id_fkey;
ALTER TABLE sale DROP CONSTRAINT sale_ship_event_id_fkey;
ALTER TABLE trace_event RENAME TO trace_event_old;
ALTER SEQUENCE trace_event_id_seq RENAME TO trace_event_old_id_seq;
ALTER TABLE trace_event_old DROP CONSTRAINT trace_event_pkey, DROP CONSTRAINT trace_event_event_id_key,
  DROP CONSTRAINT trace_event_content_hash_key, DROP CONSTRAINT trace_event_batch_id_fkey;
DROP INDEX trace_event_batch_idx, trace_event_division_idx, trace_event_corrects_idx;
DROP TRIGGER public_trace_event ON trace_event_old;
CREATE TABLE trace_event (LIKE trace_event_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING STORAGE,
  PRIMARY KEY (id)) PARTITION BY RANGE (id);
CREATE TABLE trace_event_default PARTITION OF trace_event DEFAULT;
SELECT setval('trace_event_id_seq', last_value, is_called) FROM trace_event_old_id_seq;
SELECT partition_event_blocks();
INSERT INTO trace_event OVERRIDING SYSTEM VALUE SELECT * FROM trace_event_old;
CREATE TABLE trace_event_idempotency (
  content_hash text PRIMARY KEY,
  event_id     bigint NOT NULL
);
INSERT INTO trace_event_idempotency (content_hash, event_id)
  SELECT content_hash, id FROM trace_event_old WHERE content_hash IS NOT NULL;
DROP TABLE trace_event_old;
ALTER TABLE trace_event ADD CONSTRAINT trace_event_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES batch (id);
CREATE INDEX trace_event_event_id_idx ON trace_event (event_id);
CREATE INDEX trace_event_content_hash_idx ON trace_event (content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX trace_event_batch_idx ON trace_event (batch_id, id);
CREATE INDEX trace_event_division_idx ON trace_event (division_code text_pattern_ops, event_time DESC);
CREATE INDEX trace_event_corrects_idx ON trace_event (corrects) WHERE corrects IS NOT NULL;
CREATE TRIGGER public_trace_event AFTER INSERT ON trace_event FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_event();
ALTER TABLE trace_edge ADD CONSTRAINT trace_edge_event_id_fkey FOREIGN KEY (event_id) REFERENCES trace_event (id);
ALTER TABLE sale ADD CONSTRAINT sale_ship_event_id_fkey FOREIGN KEY (ship_event_id) REFERENCES trace_event (id);

-- ── trace_code ─────────────────────────────────────────────────────────────────────────────────────────────────
ALTER TABLE trace_code RENAME TO trace_code_old;
ALTER TABLE trace_code_old DROP CONSTRAINT trace_code_pkey;
DROP INDEX trace_code_batch_idx;
DROP TRIGGER trace_code_notify_insert ON trace_code_old;
DROP TRIGGER trace_code_notify_update ON trace_code_old;
DROP TRIGGER trace_code_notify_delete ON trace_code_old;
CREATE TABLE trace_code (LIKE trace_code_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE,
  PRIMARY KEY (kind, serial)) PARTITION BY HASH (serial);
DO $$
BEGIN
  FOR r IN 0..15 LOOP
    EXECUTE format('CREATE TABLE trace_code_h%s PARTITION OF trace_code FOR VALUES WITH (MODULUS 16, REMAINDER %s)',
      lpad(r::text, 2, '0'), r);
  END LOOP;
END $$;
INSERT INTO trace_code SELECT * FROM trace_code_old;
DROP TABLE trace_code_old;
CREATE INDEX trace_code_batch_idx ON trace_code (batch_id) WHERE batch_id IS NOT NULL;
CREATE TRIGGER trace_code_notify_insert AFTER INSERT ON trace_code
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION trace_code_notify();
CREATE TRIGGER trace_code_notify_update AFTER UPDATE ON trace_code
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION trace_code_notify();
CREATE TRIGGER trace_code_notify_delete AFTER DELETE ON trace_code
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION trace_code_notify();

ANALYZE audit_log, query_log, trace_event, trace_code;
