-- Trace codes (issue 4): producer master data, batches, the append-only trace event store, trace codes,
-- third-party reservations, commitment compliance certificates, production-process records.
-- Ownership: every row belongs to a producer subject (生产经营主体, `subject_id`) and carries the division code used
-- for jurisdiction filters (`division_code`, prefix test).

-- 产品 Products of a producer.
CREATE TABLE product (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id     uuid NOT NULL REFERENCES subject (id),
  division_code  text NOT NULL,
  name           text NOT NULL,
  industry       text NOT NULL CHECK (industry IN ('planting', 'livestock', 'fishery')),
  classification text,                       -- product classification code (农产品分类代码), free text
  key_product    text,                       -- one of the 12 key products of seed 004, or NULL
  unit           text NOT NULL DEFAULT 'kg',
  certifications jsonb NOT NULL DEFAULT '[]', -- [{type: green|organic|gi, number, validFrom, validTo}]
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     uuid,
  UNIQUE (subject_id, name)
);
CREATE INDEX product_division_idx ON product (division_code text_pattern_ops);

-- 生产基地 Production bases.
CREATE TABLE base (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL REFERENCES subject (id),
  division_code text NOT NULL REFERENCES division (code),
  name          text NOT NULL,
  address       text,
  area          numeric(14, 2),
  area_unit     text NOT NULL DEFAULT 'mu',
  longitude     double precision,
  latitude      double precision,
  method        text CHECK (method IN ('open_field', 'facility')),
  photos        jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid,
  UNIQUE (subject_id, name)
);
CREATE INDEX base_division_idx ON base (division_code text_pattern_ops);

-- 客户 Customers (buyers a producer sells to; a registered one links its subject).
CREATE TABLE customer (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id         uuid NOT NULL REFERENCES subject (id),
  division_code      text NOT NULL,
  name               text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('buyer', 'market', 'processor', 'retailer', 'individual', 'other')),
  contact_name       text,
  phone              text,
  address            text,
  customer_subject_id uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  created_by         uuid,
  UNIQUE (subject_id, name)
);

-- 批次 Batches. `stock` and `status` are a projection of trace_event, written only by the event appender
-- (src/modules/batches/events.ts) in the same transaction as the event, and recomputable from the events.
CREATE TABLE batch (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id     uuid NOT NULL REFERENCES subject (id),
  division_code  text NOT NULL,
  kind           text NOT NULL DEFAULT 'production' CHECK (kind IN ('production', 'circulation')),
  batch_no       text NOT NULL,
  product_id     uuid NOT NULL REFERENCES product (id),
  base_id        uuid REFERENCES base (id),
  quantity       numeric(16, 3) NOT NULL CHECK (quantity >= 0),  -- projection: sum of commissioning + corrections
  unit           text NOT NULL,
  produced_at    timestamptz NOT NULL,
  self_check     text NOT NULL DEFAULT 'untested' CHECK (self_check IN ('pass', 'fail', 'untested')),
  self_check_note text,
  code_serial    bigint,                -- the batch's own code (trace_code kind 1 or 2)
  stock          numeric(16, 3) NOT NULL CHECK (stock >= 0),
  status         text NOT NULL DEFAULT 'unsold' CHECK (status IN ('unsold', 'partly_sold', 'sold_out', 'merged')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     uuid,
  UNIQUE (subject_id, batch_no)
);
CREATE INDEX batch_division_idx ON batch (division_code text_pattern_ops, created_at DESC);
CREATE INDEX batch_subject_idx ON batch (subject_id, created_at DESC);

-- 追溯事件 The append-only event store, in the spirit of GS1 EPCIS 2.0 (see docs/events.md). Never updated or
-- deleted; a correction is a new event whose `corrects` names the event it declares erroneous.
CREATE TABLE trace_event (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id       uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,   -- globally unique (shared upward)
  event_type     text NOT NULL CHECK (event_type IN ('object', 'aggregation', 'transaction', 'transformation', 'association')),
  action         text CHECK (action IN ('ADD', 'OBSERVE', 'DELETE')),
  biz_step       text NOT NULL,        -- CBV business step: commissioning, harvesting, shipping, receiving, ...
  stage          text NOT NULL CHECK (stage IN ('production', 'purchase', 'storage', 'transport', 'processing')),
  disposition    text,                 -- CBV disposition: active, in_progress, in_transit, sold, recalled, ...
  event_time     timestamptz NOT NULL,
  event_tz       text NOT NULL DEFAULT '+08:00',
  record_time    timestamptz NOT NULL DEFAULT now(),
  subject_id     uuid,                 -- the subject that recorded the event
  division_code  text NOT NULL,        -- where (business location's division), for jurisdiction
  read_point     text,                 -- where, finer: a base id, GPS "lat,lng", a market gate
  batch_id       uuid REFERENCES batch (id),        -- what: the batch observed / changed
  qty_delta      numeric(16, 3) NOT NULL DEFAULT 0, -- signed change to the batch's stock
  unit           text,
  source_subject_id uuid,              -- source party (seller)
  dest_subject_id   uuid,              -- destination party (buyer)
  biz_tx         jsonb NOT NULL DEFAULT '[]',  -- business transactions: [{type: sale|certificate|voucher, id}]
  corrects       uuid,                 -- event_id of the event this one declares erroneous
  payload        jsonb NOT NULL DEFAULT '{}', -- ILMD / extensions (NY/T 4712 stage fields)
  content_hash   text UNIQUE,          -- idempotency of re-sent events
  actor_id       uuid
);
CREATE INDEX trace_event_batch_idx ON trace_event (batch_id, id);
CREATE INDEX trace_event_division_idx ON trace_event (division_code text_pattern_ops, event_time DESC);
CREATE INDEX trace_event_corrects_idx ON trace_event (corrects) WHERE corrects IS NOT NULL;

-- Lineage edges: input batch → output batch, written by the event that made the link (sale → receipt, split,
-- merge, repack). Both directions are indexed so a recursive CTE walks forward or backward by index only.
CREATE TABLE trace_edge (
  from_batch uuid NOT NULL REFERENCES batch (id),
  to_batch   uuid NOT NULL REFERENCES batch (id),
  event_id   bigint NOT NULL REFERENCES trace_event (id),
  quantity   numeric(16, 3),
  unit       text,
  PRIMARY KEY (from_batch, to_batch, event_id)
);
CREATE INDEX trace_edge_to_idx ON trace_edge (to_batch, from_batch);

-- 追溯码 Trace codes issued by this platform. The printed text is a pure function of (kind, serial) and the
-- platform (src/kernel/codes.ts), so it is not stored. status: inactive (reserved for a third-party printer, not
-- yet activated), active, void.
CREATE TABLE trace_code (
  kind           smallint NOT NULL CHECK (kind BETWEEN 1 AND 5),
  serial         bigint NOT NULL,
  status         char(1) NOT NULL DEFAULT 'A' CHECK (status IN ('I', 'A', 'V')),
  subject_id     uuid NOT NULL,   -- no FK: 1,000,000-row reservations insert faster; owner checked by the service
  batch_id       uuid,
  reservation_id uuid,
  issued_at      timestamptz NOT NULL DEFAULT now(),
  activated_at   timestamptz,
  PRIMARY KEY (kind, serial)
);
CREATE INDEX trace_code_batch_idx ON trace_code (batch_id) WHERE batch_id IS NOT NULL;

-- Serial counters per code kind (and one for certificate numbers, kind 0). A block is allocated by one UPDATE.
CREATE TABLE code_counter (
  kind smallint PRIMARY KEY,
  next bigint NOT NULL
);
INSERT INTO code_counter (kind, next) VALUES (0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1);

-- 第三方印刷预留 Reservations of inactive codes for a third-party printer.
CREATE TABLE code_reservation (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL REFERENCES subject (id),
  division_code text NOT NULL,
  kind          smallint NOT NULL,
  first_serial  bigint NOT NULL,
  count         integer NOT NULL CHECK (count > 0),
  printer       text,
  status        text NOT NULL DEFAULT 'generating' CHECK (status IN ('generating', 'ready')),
  job_id        uuid,
  activated     integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid
);
CREATE INDEX code_reservation_subject_idx ON code_reservation (subject_id, created_at DESC);

-- 承诺达标合格证 Commitment compliance certificates (MARA order 2025 No. 4). Kept at least two years.
CREATE TABLE certificate (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number        text NOT NULL UNIQUE,
  style         text NOT NULL CHECK (style IN ('producer', 'buyer')),
  subject_id    uuid NOT NULL REFERENCES subject (id),
  division_code text NOT NULL,
  batch_id      uuid REFERENCES batch (id),
  code_kind     smallint,
  code_serial   bigint,
  product_name  text NOT NULL,
  quantity      numeric(16, 3) NOT NULL CHECK (quantity > 0),
  unit          text NOT NULL,
  origin        text NOT NULL,
  subject_name  text NOT NULL,
  contact_name  text,
  phone         text NOT NULL,
  promises      text[] NOT NULL,
  basis         text[] NOT NULL,
  issued_at     timestamptz NOT NULL DEFAULT now(),
  retain_until  timestamptz NOT NULL,
  created_by    uuid
);
CREATE INDEX certificate_subject_idx ON certificate (subject_id, issued_at DESC);
CREATE INDEX certificate_batch_idx ON certificate (batch_id);
CREATE INDEX certificate_division_idx ON certificate (division_code text_pattern_ops, issued_at DESC);

-- A buyer-style certificate's collected certificates (收取的合格证).
CREATE TABLE certificate_source (
  certificate_id uuid NOT NULL REFERENCES certificate (id),
  source_number  text NOT NULL,
  source_id      uuid REFERENCES certificate (id),
  PRIMARY KEY (certificate_id, source_number)
);

-- 生产过程记录 Production-process records: inputs used and farming operations.
CREATE TABLE input_use (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id      uuid NOT NULL REFERENCES subject (id),
  division_code   text NOT NULL,
  base_id         uuid NOT NULL REFERENCES base (id),
  batch_id        uuid REFERENCES batch (id),
  kind            text NOT NULL CHECK (kind IN ('pesticide', 'fertiliser', 'vet_drug', 'feed', 'operation')),
  name            text NOT NULL,
  registration_no text,
  dose            numeric(14, 3),
  dose_unit       text,
  used_on         date NOT NULL,
  safety_days     integer CHECK (safety_days >= 0),
  operation       text,
  photos          jsonb NOT NULL DEFAULT '[]',
  note            text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid
);
CREATE INDEX input_use_base_idx ON input_use (base_id, used_on DESC);
CREATE INDEX input_use_batch_idx ON input_use (batch_id);
