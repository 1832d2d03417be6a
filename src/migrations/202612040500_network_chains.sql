-- Chains across platforms (issue 15 item 3): messages routed between platforms through the tree of connections,
-- sales to buyers registered on another platform, and recalls opened above that reach the holders below.

-- A message for another platform (a sale for the buyer's platform, its receipt for the seller's, a recall notice for
-- a holder's): it travels up in the sender's pushes and down in the answers to the addressee's pushes (the signed
-- sharing channel, like correction requests), one hop at a time; every platform it passes keeps it once by id.
CREATE TABLE network_message (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL,                 -- e.g. trade.sale, trade.receipt, recall.network
  from_platform text NOT NULL,                 -- the platform that wrote it (province-44)
  to_platform   text NOT NULL,                 -- the platform it is for (province-51)
  payload       jsonb NOT NULL,
  next_hop      text,                          -- 'up', a lower platform's id, or null (for this platform)
  from_upper    boolean NOT NULL DEFAULT false, -- received in an upper platform's answer (acknowledged on our next push)
  sent_at       timestamptz,                   -- the next hop took it (its acknowledgement arrived)
  acked_at      timestamptz,                   -- from_upper: our acknowledgement was taken
  handled_at    timestamptz,                   -- to_platform = this platform: handed to its module
  error         text,                          -- the module refused it (kept, not retried)
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_message_hop_idx ON network_message (next_hop, created_at) WHERE sent_at IS NULL;
CREATE INDEX network_message_ack_idx ON network_message (created_at) WHERE from_upper AND acked_at IS NULL;

-- A sale to a buyer registered on another platform: the buyer's subject id (global) and platform.
ALTER TABLE sale ADD COLUMN buyer_platform text;
ALTER TABLE sale ADD COLUMN buyer_remote_id uuid;

-- A sale made on another platform to a subject registered here, waiting for its confirmation here.
CREATE TABLE incoming_sale (
  id                uuid PRIMARY KEY,          -- the sale's id on the seller's platform
  seller_platform   text NOT NULL,
  seller_subject_id uuid NOT NULL,             -- global subject id (registered on the seller's platform)
  seller_name       text NOT NULL,
  seller_division   text NOT NULL,
  source_batch_id   uuid NOT NULL,             -- the seller's batch (on the seller's platform)
  source_code       text,                      -- its trace code, issued by the seller's platform
  product_name      text NOT NULL,
  industry          text NOT NULL,
  quantity          numeric(16, 3) NOT NULL CHECK (quantity > 0),
  unit              text NOT NULL,
  produced_at       timestamptz NOT NULL,
  self_check        text NOT NULL,
  sold_at           timestamptz NOT NULL,
  buyer_subject_id  uuid NOT NULL REFERENCES subject (id),
  division_code     text NOT NULL,             -- the buyer's division (jurisdiction)
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused')),
  receipt_batch_id  uuid REFERENCES batch (id),
  received_quantity numeric(16, 3),
  decided_at        timestamptz,
  decided_by        uuid,
  refuse_reason     text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incoming_sale_buyer_idx ON incoming_sale (buyer_subject_id, status, created_at DESC);
CREATE INDEX incoming_sale_code_idx ON incoming_sale (source_code);

-- A recall opened on an upper platform for batches held here: no local opener organisation or account.
ALTER TABLE recall DROP CONSTRAINT recall_opener_kind_check;
ALTER TABLE recall ADD CONSTRAINT recall_opener_kind_check CHECK (opener_kind IN ('regulator', 'producer', 'upper'));
ALTER TABLE recall ALTER COLUMN opener_org_id DROP NOT NULL;
ALTER TABLE recall ALTER COLUMN opened_by DROP NOT NULL;
ALTER TABLE recall ADD COLUMN opened_by_platform text;  -- the upper platform that opened it (null: opened here)

-- A recall opened at national over the network lineage: the holders' platforms are sent their batches.
CREATE TABLE network_recall (
  id            uuid PRIMARY KEY,
  number        text NOT NULL UNIQUE,
  root_class    text NOT NULL,                 -- the recalled lot (its trace-code URL, as in the shared EPCIS events)
  division_code text NOT NULL,                 -- the recalled lot's division
  level         smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  reason        text NOT NULL,
  platforms     jsonb NOT NULL,                -- [{platform, classes}] the notices sent (lots by trace-code URL)
  opener_org_id uuid NOT NULL REFERENCES organisation (id),
  opened_by     uuid NOT NULL,
  opened_at     timestamptz NOT NULL DEFAULT now()
);
