-- The account matrix: brands x platforms x accounts, with health and the encrypted token vault.
-- brand_id and org_id refer to the gateway's brands and organizations; this module checks them
-- through contracts/iam, not with foreign keys into another module's tables.
CREATE TABLE accounts (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id              uuid NOT NULL,
  brand_id            uuid NOT NULL,
  platform            text NOT NULL,
  platform_account_id text NOT NULL,
  handle              text NOT NULL DEFAULT '',
  display_name        text NOT NULL DEFAULT '',
  avatar_url          text NOT NULL DEFAULT '',
  bio                 text NOT NULL DEFAULT '',
  contact             text NOT NULL DEFAULT '',
  verified            boolean NOT NULL DEFAULT false,
  followers           bigint,
  -- audience, content_positioning, goals, kpi_targets
  positioning         jsonb NOT NULL DEFAULT '{}'::jsonb,
  groups              jsonb NOT NULL DEFAULT '[]'::jsonb,
  tags                jsonb NOT NULL DEFAULT '[]'::jsonb,
  store_id            text,
  sandbox             boolean NOT NULL DEFAULT false,
  status              text NOT NULL DEFAULT 'connected'
                      CHECK (status IN ('connected', 'disconnected', 'assisted')),
  token_expires_at    timestamptz,
  last_refresh_at     timestamptz,
  granted_scopes      jsonb NOT NULL DEFAULT '[]'::jsonb,
  required_scopes     jsonb NOT NULL DEFAULT '[]'::jsonb,
  rate_state          jsonb NOT NULL DEFAULT '{}'::jsonb,
  restricted          boolean NOT NULL DEFAULT false,
  banned              boolean NOT NULL DEFAULT false,
  last_error          text,
  last_error_class    text,
  last_error_at       timestamptz,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, platform, platform_account_id)
);
CREATE INDEX accounts_brand ON accounts (org_id, brand_id, platform);
CREATE INDEX accounts_expiry ON accounts (token_expires_at) WHERE status = 'connected';

-- One sealed TokenSet per account: AES-256-GCM under the master key ring (the key version is in
-- the sealed header; account id and platform are the associated data).
CREATE TABLE account_tokens (
  account_id  uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  key_version integer NOT NULL,
  sealed      text NOT NULL,        -- base64 of the sealed bytes
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_health_events (
  id         bigserial PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT now(),
  kind       text NOT NULL,   -- connected, refreshed, refresh_failed, check_failed, disconnected, ...
  reason     text NOT NULL DEFAULT ''
);
CREATE INDEX account_health_events_account ON account_health_events (account_id, id DESC);

-- OAuth flows in progress: single use, short-lived; the PKCE verifier is sealed.
CREATE TABLE oauth_states (
  state_hash      text PRIMARY KEY,
  org_id          uuid NOT NULL,
  brand_id        uuid NOT NULL,
  user_id         uuid NOT NULL,
  user_label      text NOT NULL,
  platform        text NOT NULL,
  sealed_verifier text NOT NULL,  -- base64
  redirect_uri    text NOT NULL,
  expires_at      timestamptz NOT NULL
);

CREATE FUNCTION accounts_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
