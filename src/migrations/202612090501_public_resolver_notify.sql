-- Issue 19 item 1: the in-process public resolver (src/modules/public/resolver.ts) is kept current by notifications
-- on the channel `suyuan_public`, sent at commit by statement-level triggers (one notification per statement, not
-- per row, so a million-code reservation sends one):
--   'b' || comma-separated batch ids  a projection (public_trace row) was deleted: every invalidation of a batch's
--                                     public document (the triggers of 202611221600_public.sql) is such a delete;
--                                     'b*' when the ids would not fit in a notification (drop every document)
--   'c' || kind:lo:hi[,…]              trace codes in serial range lo..hi of a kind were inserted, updated or deleted
--   's' || subject id                 a subject moved to another division (the query log's owner division)

CREATE FUNCTION public_trace_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids text;
BEGIN
  SELECT string_agg(DISTINCT batch_id::text, ',') INTO ids FROM gone;
  IF ids IS NOT NULL THEN
    PERFORM pg_notify('suyuan_public', CASE WHEN length(ids) > 7000 THEN 'b*' ELSE 'b' || ids END);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER public_trace_notify AFTER DELETE ON public_trace
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION public_trace_notify();

CREATE FUNCTION trace_code_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  SELECT string_agg(kind || ':' || lo || ':' || hi, ',') INTO r
    FROM (SELECT kind, min(serial) AS lo, max(serial) AS hi FROM changed GROUP BY kind) x;
  IF r IS NOT NULL THEN PERFORM pg_notify('suyuan_public', 'c' || r); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER trace_code_notify_insert AFTER INSERT ON trace_code
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION trace_code_notify();
CREATE TRIGGER trace_code_notify_update AFTER UPDATE ON trace_code
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION trace_code_notify();
CREATE TRIGGER trace_code_notify_delete AFTER DELETE ON trace_code
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION trace_code_notify();

CREATE FUNCTION subject_division_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('suyuan_public', 's' || NEW.id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER subject_division_notify AFTER UPDATE OF division_code ON subject FOR EACH ROW
  WHEN (OLD.division_code IS DISTINCT FROM NEW.division_code) EXECUTE FUNCTION subject_division_notify();
