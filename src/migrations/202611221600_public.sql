-- Public trace (issue 6): the public projection per batch (invalidated by triggers), the query log and per-code
-- counts, complaints. Notifications and recalls are issue 5's (202611221500_chain.sql). See docs/public.md.

-- 公开追溯投影 Precomputed public (origin-only) view of a batch, read by GET /t/{code} with one index lookup.
-- Rows are deleted (invalidated) by the triggers below whenever a source row changes, and rebuilt lazily by the
-- next read; `etag` changes with the content.
CREATE TABLE public_trace (
  batch_id  uuid PRIMARY KEY REFERENCES batch (id),
  doc       jsonb NOT NULL,
  etag      text NOT NULL,
  built_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION public_trace_invalidate_batch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM public_trace WHERE batch_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_batch AFTER UPDATE ON batch FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_batch();

-- Events (inspections, recalls, corrections) and new lineage edges change a batch and everything downstream of it
-- (a circulation batch shows its origin, so a recall upstream must reach it).
CREATE FUNCTION public_trace_invalidate_downstream(root uuid) RETURNS void LANGUAGE sql AS $$
  WITH RECURSIVE walk(batch_id) AS (
    SELECT root
    UNION
    SELECT e.to_batch FROM trace_edge e JOIN walk w ON e.from_batch = w.batch_id
  )
  DELETE FROM public_trace p USING walk w WHERE p.batch_id = w.batch_id;
$$;
CREATE FUNCTION public_trace_invalidate_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.batch_id IS NOT NULL THEN PERFORM public_trace_invalidate_downstream(NEW.batch_id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_event AFTER INSERT ON trace_event FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_event();
CREATE FUNCTION public_trace_invalidate_edge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM public_trace_invalidate_downstream(NEW.to_batch);
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_edge AFTER INSERT ON trace_edge FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_edge();
CREATE FUNCTION public_trace_invalidate_certificate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.batch_id IS NOT NULL THEN DELETE FROM public_trace WHERE batch_id = NEW.batch_id; END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_certificate AFTER INSERT OR UPDATE ON certificate FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_certificate();
-- Master data: products, bases and the producer itself appear on the page.
CREATE FUNCTION public_trace_invalidate_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'subject' THEN
    DELETE FROM public_trace p USING batch b WHERE p.batch_id = b.id AND b.subject_id = NEW.id;
  ELSIF TG_TABLE_NAME = 'product' THEN
    DELETE FROM public_trace p USING batch b WHERE p.batch_id = b.id AND b.product_id = NEW.id;
  ELSE
    DELETE FROM public_trace p USING batch b WHERE p.batch_id = b.id AND b.base_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_subject AFTER UPDATE ON subject FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_owner();
CREATE TRIGGER public_trace_product AFTER UPDATE ON product FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_owner();
CREATE TRIGGER public_trace_base AFTER UPDATE ON base FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_owner();
-- Recalls (issue 5): a batch newly covered, or a recall closed, changes the warning on the page.
CREATE FUNCTION public_trace_invalidate_recall_batch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM public_trace WHERE batch_id = NEW.batch_id;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_recall_batch AFTER INSERT ON recall_batch FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_recall_batch();
CREATE FUNCTION public_trace_invalidate_recall() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM public_trace p USING recall_batch rb WHERE rb.recall_id = NEW.id AND p.batch_id = rb.batch_id;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_recall AFTER UPDATE ON recall FOR EACH ROW EXECUTE FUNCTION public_trace_invalidate_recall();

-- 查询记录 Query log (seed 003: 国家追溯平台自动保留查询记录). Written in batches by the in-process buffer
-- (src/modules/public/querylog.ts). `subject_id` / `division_code` are the owner of the code queried (for producers'
-- scan counts and regulators' jurisdiction); NULL when the code is unknown.
CREATE TABLE query_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL,
  code          text NOT NULL,
  code_kind     smallint,
  code_serial   bigint,
  result        text NOT NULL,            -- active · inactive · void · recalled · unknown · malformed · foreign · subject · certificate
  channel       text NOT NULL,            -- html · json · view (authenticated trace view)
  viewer        text NOT NULL,            -- consumer · producer · regulator
  actor_id      uuid,                     -- NULL = anonymous
  subject_id    uuid,
  division_code text,
  client_ip     text,
  client_net    text,                     -- /24 (IPv4) or /48 (IPv6) network of client_ip
  user_agent    text,
  latitude      double precision,
  longitude     double precision
);
CREATE INDEX query_log_code_idx ON query_log (code_kind, code_serial, at);
CREATE INDEX query_log_division_idx ON query_log (division_code text_pattern_ops, at DESC);
CREATE INDEX query_log_subject_idx ON query_log (subject_id, at DESC);

-- Queries per code (maintained by the same flush, one upsert per distinct code in a flush).
CREATE TABLE query_count (
  code_kind   smallint NOT NULL,
  code_serial bigint NOT NULL,
  subject_id  uuid,
  n           bigint NOT NULL,
  first_at    timestamptz NOT NULL,
  last_at     timestamptz NOT NULL,
  PRIMARY KEY (code_kind, code_serial)
);
CREATE INDEX query_count_subject_idx ON query_count (subject_id, n DESC);

-- 投诉举报 Complaints from the public page, routed to the supervision organisation of the producer's county.
CREATE TABLE complaint (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number        text NOT NULL UNIQUE,
  code          text NOT NULL,
  batch_id      uuid REFERENCES batch (id),
  subject_id    uuid REFERENCES subject (id),
  division_code text NOT NULL,            -- the producer's division (or the platform region when unknown)
  org_id        uuid REFERENCES organisation (id),  -- the supervision organisation it was routed to
  category      text NOT NULL CHECK (category IN ('quality', 'counterfeit', 'label', 'other')),
  text          text NOT NULL,
  contact_name  text,
  contact_phone text,
  photo_file_id uuid REFERENCES stored_file (id),
  status        text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'handling', 'closed')),
  outcome       text,
  handled_by    uuid,
  handled_at    timestamptz,
  client_ip     text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaint_division_idx ON complaint (division_code text_pattern_ops, created_at DESC);
CREATE INDEX complaint_org_idx ON complaint (org_id, status);
