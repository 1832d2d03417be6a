-- "一张图" filtered rollup (issue 19 item 4): the on-map records per grid cell (levels 3..10), product, province,
-- scale band (规模档) and market months (上市月 / 下市月), so that viewport queries filtered by scale, product and
-- market period read this table instead of the records. Kept exact on every write by statement triggers on
-- origin_record (deltas of the changed rows; `origin_band_apply`), rebuilt wholly by `rebuildAllCells`.
-- Scale bands: band b holds origin_scale_band_edges()[b] <= scale < [b+1] (1-2-3-5 series; the seed's reference
-- thresholds 0.3, 0.5, 5, 10, 30, 50, 500, 1000 are edges). Months are year * 12 + month - 1; a missing start month
-- is stored as 2147483647 and a missing end month as -1, so any market filter excludes them as the records' filter does.
CREATE FUNCTION origin_scale_band_edges() RETURNS numeric[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY[0, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000,
               10000, 20000, 30000, 50000, 100000, 200000, 300000, 500000, 1000000]::numeric[] $$;
CREATE FUNCTION origin_scale_band(s numeric) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT width_bucket(s, origin_scale_band_edges())::smallint $$;
CREATE FUNCTION origin_month(d date, missing integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE((extract(year FROM d) * 12 + extract(month FROM d) - 1)::integer, missing) $$;

CREATE TABLE origin_cell_band (
  level         smallint NOT NULL,
  cx            integer NOT NULL,
  cy            integer NOT NULL,
  product_code  text NOT NULL,
  province_code text NOT NULL,
  scale_band    smallint NOT NULL,
  start_month   integer NOT NULL,
  end_month     integer NOT NULL,
  n             integer NOT NULL,
  sum_lng       double precision NOT NULL,
  sum_lat       double precision NOT NULL,
  sum_scale     double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, product_code, province_code, scale_band, start_month, end_month)
);
-- Rows whose records all left (n = 0) are deleted after each delta.
CREATE INDEX origin_cell_band_empty ON origin_cell_band (level) WHERE n = 0;

-- The rollup key and values of one record (NULL when it is not on the map), and the delta of one statement: the
-- records in `rows` enter (sign 1) or leave (sign -1) the rollup.
CREATE TYPE origin_band_row AS (
  sign integer, lng double precision, lat double precision, product_code text, province_code text, scale numeric,
  sm integer, em integer);
CREATE FUNCTION origin_band_row_of(r origin_record, sign integer) RETURNS origin_band_row LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN r.approved_at IS NOT NULL AND r.longitude IS NOT NULL AND r.latitude IS NOT NULL
    THEN ROW(sign, r.longitude, r.latitude, r.product_code, left(r.county_code, 2), r.scale,
             origin_month(r.market_start, 2147483647), origin_month(r.market_end, -1))::origin_band_row END $$;
CREATE FUNCTION origin_band_add(rows origin_band_row[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO origin_cell_band AS c
    (level, cx, cy, product_code, province_code, scale_band, start_month, end_month, n, sum_lng, sum_lat, sum_scale)
  SELECT l.level, floor(d.lng / (45.0 / (2 ^ l.level)))::int, floor(d.lat / (45.0 / (2 ^ l.level)))::int,
         d.product_code, d.province_code, origin_scale_band(d.scale), d.sm, d.em,
         sum(d.sign), sum(d.sign * d.lng), sum(d.sign * d.lat), sum(d.sign * d.scale)::float8
  FROM unnest(rows) d CROSS JOIN generate_series(3, 10) AS l(level)
  WHERE d.sign IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8 -- one lock order for concurrent writers
  ON CONFLICT (level, cx, cy, product_code, province_code, scale_band, start_month, end_month) DO UPDATE
    SET n = c.n + EXCLUDED.n, sum_lng = c.sum_lng + EXCLUDED.sum_lng, sum_lat = c.sum_lat + EXCLUDED.sum_lat,
        sum_scale = c.sum_scale + EXCLUDED.sum_scale;
  DELETE FROM origin_cell_band WHERE n = 0;
$$;
-- Statement triggers on origin_record (transition tables): an UPDATE's rows whose key and values did not change
-- cancel out before anything is written.
CREATE FUNCTION origin_band_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM origin_band_add(ARRAY(SELECT origin_band_row_of(n, 1) FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM origin_band_add(ARRAY(SELECT origin_band_row_of(o, -1) FROM old_rows o));
  ELSE
    PERFORM origin_band_add(ARRAY(
      SELECT x.b FROM (SELECT n.id, origin_band_row_of(n, 1) AS b FROM new_rows n
                            EXCEPT ALL SELECT o.id, origin_band_row_of(o, 1) FROM old_rows o) x
      WHERE (x.b).sign IS NOT NULL
      UNION ALL
      SELECT ROW(-1, (y.b).lng, (y.b).lat, (y.b).product_code, (y.b).province_code, (y.b).scale, (y.b).sm, (y.b).em)::origin_band_row
      FROM (SELECT o.id, origin_band_row_of(o, 1) AS b FROM old_rows o
            EXCEPT ALL SELECT n.id, origin_band_row_of(n, 1) FROM new_rows n) y
      WHERE (y.b).sign IS NOT NULL));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER origin_band_insert AFTER INSERT ON origin_record
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION origin_band_apply();
CREATE TRIGGER origin_band_update AFTER UPDATE ON origin_record
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION origin_band_apply();
CREATE TRIGGER origin_band_delete AFTER DELETE ON origin_record
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION origin_band_apply();

-- Range reads (index-only) of the records in a band or month that a filter cuts (a scale or date not on an edge):
-- each index covers every column the map's filter and clusters read.
CREATE INDEX origin_record_map_scale ON origin_record (scale)
  INCLUDE (longitude, latitude, product_code, division_code, market_start, market_end) WHERE approved_at IS NOT NULL;
CREATE INDEX origin_record_map_start ON origin_record (market_start)
  INCLUDE (longitude, latitude, product_code, division_code, scale, market_end) WHERE approved_at IS NOT NULL;
CREATE INDEX origin_record_map_end ON origin_record (market_end)
  INCLUDE (longitude, latitude, product_code, division_code, scale, market_start) WHERE approved_at IS NOT NULL;

INSERT INTO origin_cell_band
  (level, cx, cy, product_code, province_code, scale_band, start_month, end_month, n, sum_lng, sum_lat, sum_scale)
SELECT l.level, floor(longitude / (45.0 / (2 ^ l.level)))::int, floor(latitude / (45.0 / (2 ^ l.level)))::int,
       product_code, left(county_code, 2), origin_scale_band(scale), origin_month(market_start, 2147483647),
       origin_month(market_end, -1), count(*), sum(longitude), sum(latitude), sum(scale)::float8
FROM origin_record CROSS JOIN generate_series(3, 10) AS l(level)
WHERE approved_at IS NOT NULL AND longitude IS NOT NULL AND latitude IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
