-- Foundation: administrative divisions, organisations, accounts, sessions, API tokens, audit.

-- 行政区划 Administrative divisions. Codes nest as prefixes: province 2, city 4, county 6, township 9, village 12
-- digits. The national root is the empty code '' so that "inside my jurisdiction" is always `code LIKE scope || '%'`.
CREATE TABLE division (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  level       smallint NOT NULL CHECK (level BETWEEN 0 AND 5),
  parent_code text REFERENCES division (code)
);
CREATE INDEX division_parent_idx ON division (parent_code, code);
CREATE INDEX division_name_idx ON division (name text_pattern_ops);
INSERT INTO division (code, name, level, parent_code) VALUES ('', '全国', 0, NULL);

-- Which levels of the division tree are loaded (villages load in the background after first start).
CREATE TABLE division_load (
  level     smallint PRIMARY KEY,
  rows      integer NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);

-- 机构 Organisations: supervision 监管, testing 检测, enforcement 执法, third-party service 第三方服务机构, operator.
CREATE TABLE organisation (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('supervision', 'testing', 'enforcement', 'service', 'operator')),
  division_code text NOT NULL REFERENCES division (code),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  contact_name  text,
  contact_phone text,
  address       text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (division_code, name)
);
CREATE INDEX organisation_division_idx ON organisation (division_code text_pattern_ops);

-- 账号 Accounts. Roles are codes from the role table in src/kernel/auth/roles.ts.
CREATE TABLE account (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username             text NOT NULL,
  display_name         text NOT NULL,
  phone                text,
  org_id               uuid NOT NULL REFERENCES organisation (id),
  roles                text[] NOT NULL DEFAULT '{}',
  password_hash        text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  last_login_at        timestamptz,
  password_changed_at  timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           uuid,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_username_idx ON account (lower(username));
CREATE INDEX account_org_idx ON account (org_id);

-- Browser sessions: only the SM3 hash of the token is stored.
CREATE TABLE session (
  token_hash   text PRIMARY KEY,
  account_id   uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip           text,
  user_agent   text
);
CREATE INDEX session_account_idx ON session (account_id);

-- API tokens for machine clients (packing lines, provincial platforms): act as their account, limited to `verbs`.
CREATE TABLE api_token (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id   uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  token_prefix text NOT NULL,
  verbs        text[] NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_token_account_idx ON api_token (account_id);

-- 审计 Audit: one row per write, appended in the same transaction as the write.
CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_id      uuid,
  actor_name    text,
  org_id        uuid,
  on_behalf_of  text,
  verb          text NOT NULL,
  target_type   text NOT NULL,
  target_id     text,
  division_code text NOT NULL DEFAULT '',
  ip            text,
  summary       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_division_idx ON audit_log (division_code text_pattern_ops, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);

CREATE TABLE platform_setting (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);
