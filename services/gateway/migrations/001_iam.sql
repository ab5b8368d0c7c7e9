-- IAM: organizations, brands, users, brand memberships (role + optional account scope),
-- sessions, API tokens, and the append-only, hash-chained audit log.

CREATE TABLE organizations (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE brands (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid        NOT NULL REFERENCES organizations(id),
  name        text        NOT NULL,
  slug        text        NOT NULL,
  timezone    text        NOT NULL DEFAULT 'UTC',
  version     integer     NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, slug)
);

CREATE TABLE users (
  id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id         uuid        NOT NULL REFERENCES organizations(id),
  email          text        NOT NULL,
  display_name   text        NOT NULL,
  password_hash  text        NOT NULL,
  is_admin       boolean     NOT NULL DEFAULT false,
  disabled       boolean     NOT NULL DEFAULT false,
  version        integer     NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE brand_members (
  brand_id     uuid        NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  user_id      uuid        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role         text        NOT NULL,
  -- NULL: every account of the brand; otherwise only these account ids.
  account_ids  text[],
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (brand_id, user_id)
);
CREATE INDEX brand_members_user ON brand_members (user_id);

CREATE TABLE sessions (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash  text        NOT NULL UNIQUE,
  user_id     uuid        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  remote_addr text
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          text        NOT NULL,
  display_prefix text       NOT NULL,   -- "hrld_" + first characters, safe to show
  token_hash    text        NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
  seq          bigint      PRIMARY KEY,
  at_us        bigint      NOT NULL,           -- UTC microseconds since the epoch
  org_id       uuid,
  actor_id     uuid,
  actor_label  text        NOT NULL,
  action       text        NOT NULL,
  target_type  text        NOT NULL,
  target_id    text        NOT NULL,
  brand_id     uuid,
  details      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  prev_hash    text        NOT NULL,
  hash         text        NOT NULL
);
CREATE INDEX audit_log_brand ON audit_log (brand_id, seq);

-- Append-only: ordinary sessions cannot change or remove history.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- RFC 3339 UTC text for API responses.
CREATE FUNCTION herald_ts(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
