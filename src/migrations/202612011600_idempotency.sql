-- Idempotency-Key (issue 16): the first answer to a write sent with an `Idempotency-Key` header, replayed to any
-- retry with the same key and the same request (offline queues resend until they hear back). See
-- src/kernel/idempotency.ts. `state`: pending (claimed, the write not yet committed) → committed (set inside the
-- write's own transaction, so a commit is never lost) → done (the answer stored).
CREATE TABLE idempotency_key (
  principal    text NOT NULL,
  key          text NOT NULL,
  fingerprint  text NOT NULL,
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'committed', 'done')),
  status_code  integer,
  content_type text,
  body         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
