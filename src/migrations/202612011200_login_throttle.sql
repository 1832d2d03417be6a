-- Issue 12: login throttling by (account name, client address) with back-off, replacing the per-account lock that let
-- anyone lock an account out and revealed which usernames exist. Unknown usernames are throttled alike.
CREATE TABLE login_throttle (
  username_key    text NOT NULL,
  client          text NOT NULL,
  failures        integer NOT NULL DEFAULT 0,
  blocked_until   timestamptz,
  last_failure_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (username_key, client)
);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_at);
