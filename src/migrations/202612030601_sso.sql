-- Single sign-on across tiers (issue 15 item 4, docs/sso.md).
-- The subject id (OIDC `sub`: the account id there) of the upper platform's account this local account is linked to.
ALTER TABLE account ADD COLUMN upper_subject text;
CREATE UNIQUE INDEX account_upper_subject ON account (upper_subject) WHERE upper_subject IS NOT NULL;

-- The OpenID provider's state (oidc-provider adapter): sessions, interactions, authorization codes, grants, tokens.
CREATE TABLE oidc_payload (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_payload_grant ON oidc_payload (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payload_uid ON oidc_payload (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payload_expires ON oidc_payload (expires_at);

-- A relying-party sign-in under way at a lower platform (state → PKCE verifier, nonce, account to link).
CREATE TABLE sso_login (
  state text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  link_account_id uuid REFERENCES account(id) ON DELETE CASCADE,
  return_to text NOT NULL DEFAULT '/',
  expires_at timestamptz NOT NULL
);
