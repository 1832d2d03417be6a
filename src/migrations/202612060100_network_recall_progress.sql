-- Recall progress back to national (issue 15 item 3): a recall opened on a holder's platform for a recall opened
-- above remembers that recall, and each platform reports its progress up as a message; the upper platform keeps the
-- latest report per local recall, which its recall detail shows per platform and per holder.
ALTER TABLE recall ADD COLUMN network_recall_id uuid;

CREATE TABLE network_recall_progress (
  network_recall_id uuid NOT NULL REFERENCES network_recall (id),
  platform          text NOT NULL,                 -- the holder's platform (province-51)
  recall_id         uuid NOT NULL,                 -- the recall opened there
  number            text NOT NULL,
  status            text NOT NULL,                 -- open | closed (there)
  holders           integer NOT NULL,
  acknowledged      integer NOT NULL,
  external          integer NOT NULL,
  recovered         numeric(16, 3) NOT NULL DEFAULT 0,
  notices           jsonb NOT NULL,                -- per holder: name, division, code, quantity, status, acknowledged at
  reported_at       timestamptz NOT NULL,          -- when the platform wrote the report (a later one replaces it)
  received_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (network_recall_id, recall_id)
);
