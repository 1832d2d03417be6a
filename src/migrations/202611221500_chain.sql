-- The chain (issue 5): sales and receipts (扫码交易), vouchers (追溯凭证 / 入市追溯凭证) and market gate checks, recalls
-- and their notices, anomaly flags, and a minimal general in-platform notification table. Lineage itself lives in
-- issue 4's trace_event / trace_edge (written only by appendEvent).

-- 站内通知 In-platform notifications, addressed to an organisation (every account of it sees them) or one account.
CREATE TABLE notification (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_org_id     uuid REFERENCES organisation (id),
  recipient_account_id uuid REFERENCES account (id),
  kind                 text NOT NULL,          -- e.g. sale.incoming, recall.notice, anomaly.flagged
  title_zh             text NOT NULL,
  title_en             text NOT NULL,
  body                 text,
  link                 text,                   -- a web route, e.g. /chain/recalls/<id>
  division_code        text NOT NULL DEFAULT '',
  created_at           timestamptz NOT NULL DEFAULT now(),
  read_at              timestamptz,
  CHECK (recipient_org_id IS NOT NULL OR recipient_account_id IS NOT NULL)
);
CREATE INDEX notification_org_idx ON notification (recipient_org_id, created_at DESC);
CREATE INDEX notification_account_idx ON notification (recipient_account_id, created_at DESC);

-- 销售 Sales: a quantity of a seller's batch handed to a registered buyer (pending until the buyer confirms or
-- refuses), to an unregistered buyer (a traceability voucher 追溯凭证), or into a market (入市追溯凭证).
CREATE TABLE sale (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seller_subject_id uuid NOT NULL REFERENCES subject (id),
  division_code     text NOT NULL,            -- the seller batch's division (jurisdiction)
  batch_id          uuid NOT NULL REFERENCES batch (id),
  quantity          numeric(16, 3) NOT NULL CHECK (quantity > 0),
  unit              text NOT NULL,
  buyer_kind        text NOT NULL CHECK (buyer_kind IN ('registered', 'unregistered', 'market')),
  buyer_subject_id  uuid REFERENCES subject (id),
  customer_id       uuid REFERENCES customer (id),
  buyer_name        text NOT NULL,
  buyer_phone       text,
  buyer_division    text,
  status            text NOT NULL CHECK (status IN ('pending', 'accepted', 'refused', 'vouchered')),
  voucher_kind      text CHECK (voucher_kind IN ('trace', 'market')),
  voucher_serial    bigint,                   -- trace_code kind 3
  price             numeric(14, 2),
  sold_at           timestamptz NOT NULL,
  ship_event_id     bigint NOT NULL REFERENCES trace_event (id),
  receipt_batch_id  uuid REFERENCES batch (id),
  received_quantity numeric(16, 3),
  decided_at        timestamptz,
  decided_by        uuid,
  refuse_reason     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid
);
CREATE INDEX sale_seller_idx ON sale (seller_subject_id, created_at DESC);
CREATE INDEX sale_buyer_idx ON sale (buyer_subject_id, status, created_at DESC);
CREATE INDEX sale_batch_idx ON sale (batch_id);
CREATE INDEX sale_division_idx ON sale (division_code text_pattern_ops, created_at DESC);
CREATE UNIQUE INDEX sale_voucher_idx ON sale (voucher_serial) WHERE voucher_serial IS NOT NULL;

-- 入市查验 Market gate checks: every check recorded, passed or not, with its reasons.
CREATE TABLE voucher_check (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  input           text NOT NULL,              -- what was scanned or typed
  code_kind       smallint,
  code_serial     bigint,
  sale_id         uuid REFERENCES sale (id),
  batch_id        uuid REFERENCES batch (id),
  market_subject_id uuid REFERENCES subject (id),
  checker_org_id  uuid NOT NULL REFERENCES organisation (id),
  division_code   text NOT NULL,              -- the checker's division
  verified        boolean NOT NULL,
  reasons         jsonb NOT NULL DEFAULT '[]', -- [{code, ok, message, messageEn}]
  checked_at      timestamptz NOT NULL DEFAULT now(),
  checked_by      uuid NOT NULL
);
CREATE INDEX voucher_check_code_idx ON voucher_check (code_kind, code_serial, checked_at);
CREATE INDEX voucher_check_division_idx ON voucher_check (division_code text_pattern_ops, checked_at DESC);

-- 召回 Recalls of a batch and everything downstream of it.
CREATE TABLE recall (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number        text NOT NULL UNIQUE,
  batch_id      uuid NOT NULL REFERENCES batch (id),
  subject_id    uuid NOT NULL REFERENCES subject (id),   -- the batch's owner
  division_code text NOT NULL,                           -- the batch's division
  opener_kind   text NOT NULL CHECK (opener_kind IN ('regulator', 'producer')),
  opener_org_id uuid NOT NULL REFERENCES organisation (id),
  level         smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  reason        text NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_at     timestamptz NOT NULL DEFAULT now(),
  opened_by     uuid NOT NULL,
  closed_at     timestamptz,
  closed_by     uuid,
  close_note    text
);
CREATE INDEX recall_division_idx ON recall (division_code text_pattern_ops, opened_at DESC);

-- Every batch a recall covers (the recalled batch and all its descendants): the public page reads this (through
-- the view below) to warn consumers.
CREATE TABLE recall_batch (
  recall_id uuid NOT NULL REFERENCES recall (id),
  batch_id  uuid NOT NULL REFERENCES batch (id),
  depth     integer NOT NULL,
  PRIMARY KEY (recall_id, batch_id)
);
CREATE INDEX recall_batch_batch_idx ON recall_batch (batch_id);

-- 召回通知 One notice per downstream holder: a registered subject holding a covered batch, or an outside party
-- (unregistered buyer, market, pending buyer) reached through a sale, listed with its contact.
CREATE TABLE recall_notice (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recall_id       uuid NOT NULL REFERENCES recall (id),
  holder_subject_id uuid REFERENCES subject (id),
  holder_name     text NOT NULL,
  contact_name    text,
  phone           text,
  division_code   text,
  batch_id        uuid REFERENCES batch (id),
  sale_id         uuid REFERENCES sale (id),
  quantity        numeric(16, 3),              -- held (stock) or sold to the outside party
  unit            text,
  status          text NOT NULL DEFAULT 'notified' CHECK (status IN ('notified', 'acknowledged', 'external')),
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  recovered_quantity numeric(16, 3),
  note            text
);
CREATE INDEX recall_notice_recall_idx ON recall_notice (recall_id);
CREATE INDEX recall_notice_holder_idx ON recall_notice (holder_subject_id, recall_id);

-- What issue 6's public page reads: open recalls covering a batch.
CREATE VIEW batch_recall_status AS
  SELECT rb.batch_id, r.id AS recall_id, r.number, r.level, r.reason, r.opened_at
  FROM recall_batch rb JOIN recall r ON r.id = rb.recall_id
  WHERE r.status = 'open';

-- 异常 Anomalies found by the chain checks, flagged to the producer and the county.
CREATE TABLE anomaly (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind          text NOT NULL CHECK (kind IN ('output_exceeds_input', 'sales_exceed_harvest', 'code_reused', 'receipt_mismatch')),
  key           text NOT NULL UNIQUE,         -- idempotency: the same finding is flagged once
  subject_id    uuid REFERENCES subject (id),
  division_code text NOT NULL,
  batch_id      uuid REFERENCES batch (id),
  sale_id       uuid REFERENCES sale (id),
  details       jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  detected_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anomaly_division_idx ON anomaly (division_code text_pattern_ops, detected_at DESC);
CREATE INDEX anomaly_subject_idx ON anomaly (subject_id, detected_at DESC);
