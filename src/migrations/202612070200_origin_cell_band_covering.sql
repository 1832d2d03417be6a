-- "一张图" band rollup read index-only (issue 19 item 4): the viewport query reads its rows by the primary key
-- (level, cx, cy, …) and needs only n and the sums; with them in the key's INCLUDE a vacuumed table answers without
-- visiting the heap (one heap page per row before, the rows being written in no spatial order). The updates of n
-- and the sums were never HOT (n is in the predicate of origin_cell_band_empty), so the triggers write as before.
ALTER TABLE origin_cell_band DROP CONSTRAINT origin_cell_band_pkey;
ALTER TABLE origin_cell_band ADD CONSTRAINT origin_cell_band_pkey
  PRIMARY KEY (level, cx, cy, product_code, province_code, scale_band, start_month, end_month)
  INCLUDE (n, sum_lng, sum_lat, sum_scale);
