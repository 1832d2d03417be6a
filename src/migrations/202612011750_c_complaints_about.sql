-- Issue 17 item 7 (seed 000 art. 26): a complaint may come without a trace code, and may be about a collector or a
-- service agency as well as a product or producer; the complainant follows it by its number.
ALTER TABLE complaint ALTER COLUMN code DROP NOT NULL;
ALTER TABLE complaint
  ADD COLUMN about      text NOT NULL DEFAULT 'product' CHECK (about IN ('product', 'producer', 'collector', 'agency')),
  ADD COLUMN about_name text,
  ADD COLUMN place      text;
