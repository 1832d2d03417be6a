-- Issue 19 item 6: public projections built ahead of the first scan. A batch becomes due (public_trace_due) when
-- codes of it are issued or change and it has no projection yet, when a certificate is issued for it, and whenever
-- its projection is deleted (every invalidation — event, edge, recall, risk case, owner, product, base — is such a
-- delete). The primary process builds due batches' projections in the background (src/modules/public/prebuild.ts),
-- so a consumer's first scan reads one stored document instead of building it (batch, events, lineage, recalls).
-- `gen` orders the queue and tells the builder whether the batch changed again while it was being built: each
-- enqueue takes a new number, and a build is stored only if the number it claimed is still there.
CREATE SEQUENCE public_trace_due_gen;
CREATE TABLE public_trace_due (
  batch_id uuid PRIMARY KEY,
  gen      bigint NOT NULL DEFAULT nextval('public_trace_due_gen')
);
CREATE INDEX public_trace_due_gen_idx ON public_trace_due (gen);

CREATE FUNCTION public_trace_enqueue(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO public_trace_due (batch_id) SELECT DISTINCT unnest(ids)
  ON CONFLICT (batch_id) DO UPDATE SET gen = nextval('public_trace_due_gen');
$$;

CREATE OR REPLACE FUNCTION public_trace_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids text;
BEGIN
  SELECT string_agg(DISTINCT batch_id::text, ',') INTO ids FROM gone;
  IF ids IS NOT NULL THEN
    PERFORM pg_notify('suyuan_public', CASE WHEN length(ids) > 7000 THEN 'b*' ELSE 'b' || ids END);
    PERFORM public_trace_enqueue(ARRAY(SELECT DISTINCT batch_id FROM gone));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION trace_code_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  SELECT string_agg(kind || ':' || lo || ':' || hi, ',') INTO r
    FROM (SELECT kind, min(serial) AS lo, max(serial) AS hi FROM changed GROUP BY kind) x;
  IF r IS NOT NULL THEN PERFORM pg_notify('suyuan_public', 'c' || r); END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM public_trace_enqueue(ARRAY(
      SELECT DISTINCT c.batch_id FROM changed c
      WHERE c.batch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public_trace p WHERE p.batch_id = c.batch_id)));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION public_trace_invalidate_certificate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.batch_id IS NOT NULL THEN
    DELETE FROM public_trace WHERE batch_id = NEW.batch_id;
    PERFORM public_trace_enqueue(ARRAY[NEW.batch_id]);
  END IF;
  RETURN NULL;
END $$;

-- What is scannable now: every batch with an issued code or a certificate and no projection.
INSERT INTO public_trace_due (batch_id)
  SELECT DISTINCT c.batch_id FROM trace_code c
  WHERE c.batch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public_trace p WHERE p.batch_id = c.batch_id)
  UNION
  SELECT DISTINCT f.batch_id FROM certificate f
  WHERE f.batch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public_trace p WHERE p.batch_id = f.batch_id);
