-- "一张图" leaner rollups (issue 19 item 4): the band rollup origin_cell_band keys every cell by product, province,
-- scale band AND market months, so a filter on one of them reads the rows of all combinations of the other (86,000
-- rows at level 4 over 1M points). Two companions, kept by the same statement triggers in the same statement:
--   origin_cell_scale (…, scale_band)              → a scale filter without a market period;
--   origin_cell_month (…, start_month, end_month)  → a market period without a scale filter.
-- The map reads the leanest table its filter needs (repo.clustersFromBands); combined filters read origin_cell_band.
CREATE TABLE origin_cell_scale (
  level         smallint NOT NULL,
  cx            integer NOT NULL,
  cy            integer NOT NULL,
  product_code  text NOT NULL,
  province_code text NOT NULL,
  scale_band    smallint NOT NULL,
  n             integer NOT NULL,
  sum_lng       double precision NOT NULL,
  sum_lat       double precision NOT NULL,
  sum_scale     double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, product_code, province_code, scale_band) INCLUDE (n, sum_lng, sum_lat, sum_scale)
);
CREATE TABLE origin_cell_month (
  level         smallint NOT NULL,
  cx            integer NOT NULL,
  cy            integer NOT NULL,
  product_code  text NOT NULL,
  province_code text NOT NULL,
  start_month   integer NOT NULL,
  end_month     integer NOT NULL,
  n             integer NOT NULL,
  sum_lng       double precision NOT NULL,
  sum_lat       double precision NOT NULL,
  sum_scale     double precision NOT NULL,
  PRIMARY KEY (level, cx, cy, product_code, province_code, start_month, end_month) INCLUDE (n, sum_lng, sum_lat, sum_scale)
);
CREATE INDEX origin_cell_scale_empty ON origin_cell_scale (level) WHERE n = 0;
CREATE INDEX origin_cell_month_empty ON origin_cell_month (level) WHERE n = 0;

-- The delta of one statement, now into the three tables (the band rollup's statement is unchanged).
CREATE OR REPLACE FUNCTION origin_band_add(rows origin_band_row[]) RETURNS void LANGUAGE sql AS $$
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
  INSERT INTO origin_cell_scale AS c
    (level, cx, cy, product_code, province_code, scale_band, n, sum_lng, sum_lat, sum_scale)
  SELECT l.level, floor(d.lng / (45.0 / (2 ^ l.level)))::int, floor(d.lat / (45.0 / (2 ^ l.level)))::int,
         d.product_code, d.province_code, origin_scale_band(d.scale),
         sum(d.sign), sum(d.sign * d.lng), sum(d.sign * d.lat), sum(d.sign * d.scale)::float8
  FROM unnest(rows) d CROSS JOIN generate_series(3, 10) AS l(level)
  WHERE d.sign IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (level, cx, cy, product_code, province_code, scale_band) DO UPDATE
    SET n = c.n + EXCLUDED.n, sum_lng = c.sum_lng + EXCLUDED.sum_lng, sum_lat = c.sum_lat + EXCLUDED.sum_lat,
        sum_scale = c.sum_scale + EXCLUDED.sum_scale;
  DELETE FROM origin_cell_scale WHERE n = 0;
  INSERT INTO origin_cell_month AS c
    (level, cx, cy, product_code, province_code, start_month, end_month, n, sum_lng, sum_lat, sum_scale)
  SELECT l.level, floor(d.lng / (45.0 / (2 ^ l.level)))::int, floor(d.lat / (45.0 / (2 ^ l.level)))::int,
         d.product_code, d.province_code, d.sm, d.em,
         sum(d.sign), sum(d.sign * d.lng), sum(d.sign * d.lat), sum(d.sign * d.scale)::float8
  FROM unnest(rows) d CROSS JOIN generate_series(3, 10) AS l(level)
  WHERE d.sign IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (level, cx, cy, product_code, province_code, start_month, end_month) DO UPDATE
    SET n = c.n + EXCLUDED.n, sum_lng = c.sum_lng + EXCLUDED.sum_lng, sum_lat = c.sum_lat + EXCLUDED.sum_lat,
        sum_scale = c.sum_scale + EXCLUDED.sum_scale;
  DELETE FROM origin_cell_month WHERE n = 0;
$$;

-- From the band rollup as it stands (the same records, grouped coarser).
INSERT INTO origin_cell_scale (level, cx, cy, product_code, province_code, scale_band, n, sum_lng, sum_lat, sum_scale)
SELECT level, cx, cy, product_code, province_code, scale_band, sum(n), sum(sum_lng), sum(sum_lat), sum(sum_scale)
FROM origin_cell_band GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO origin_cell_month
  (level, cx, cy, product_code, province_code, start_month, end_month, n, sum_lng, sum_lat, sum_scale)
SELECT level, cx, cy, product_code, province_code, start_month, end_month, sum(n), sum(sum_lng), sum(sum_lat), sum(sum_scale)
FROM origin_cell_band GROUP BY 1, 2, 3, 4, 5, 6, 7;
