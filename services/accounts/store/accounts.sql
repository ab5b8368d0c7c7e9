-- Named queries of the accounts store (services/accounts/store/account_store.cpp). Every query
-- that returns an account selects the same columns, in the order account_from() reads them.

-- name: acc_get
SELECT id, org_id, brand_id, platform, platform_account_id, handle, display_name, avatar_url, bio, contact,
       verified, followers, positioning::text, groups::text, tags::text, store_id, sandbox, status,
       accounts_ts(token_expires_at), accounts_ts(last_refresh_at), granted_scopes::text, required_scopes::text,
       rate_state::text, restricted, banned, last_error, last_error_class, accounts_ts(last_error_at), version,
       accounts_ts(created_at), accounts_ts(updated_at), extract(epoch FROM token_expires_at)::bigint, refreshable
FROM accounts WHERE id = $1 AND org_id = $2;

-- name: acc_get_any
SELECT id, org_id, brand_id, platform, platform_account_id, handle, display_name, avatar_url, bio, contact,
       verified, followers, positioning::text, groups::text, tags::text, store_id, sandbox, status,
       accounts_ts(token_expires_at), accounts_ts(last_refresh_at), granted_scopes::text, required_scopes::text,
       rate_state::text, restricted, banned, last_error, last_error_class, accounts_ts(last_error_at), version,
       accounts_ts(created_at), accounts_ts(updated_at), extract(epoch FROM token_expires_at)::bigint, refreshable
FROM accounts WHERE id = $1;

-- name: acc_by_platform_account
-- Every organization's connection of one platform account (webhooks name the receiving account so).
SELECT id, org_id, brand_id, platform, platform_account_id, handle, display_name, avatar_url, bio, contact,
       verified, followers, positioning::text, groups::text, tags::text, store_id, sandbox, status,
       accounts_ts(token_expires_at), accounts_ts(last_refresh_at), granted_scopes::text, required_scopes::text,
       rate_state::text, restricted, banned, last_error, last_error_class, accounts_ts(last_error_at), version,
       accounts_ts(created_at), accounts_ts(updated_at), extract(epoch FROM token_expires_at)::bigint, refreshable
FROM accounts WHERE platform = $1 AND platform_account_id = $2 AND status <> 'disconnected';

-- name: acc_connected
-- Every connected account (the inbox poller walks them).
SELECT id, org_id, brand_id, platform, platform_account_id, handle, display_name, avatar_url, bio, contact,
       verified, followers, positioning::text, groups::text, tags::text, store_id, sandbox, status,
       accounts_ts(token_expires_at), accounts_ts(last_refresh_at), granted_scopes::text, required_scopes::text,
       rate_state::text, restricted, banned, last_error, last_error_class, accounts_ts(last_error_at), version,
       accounts_ts(created_at), accounts_ts(updated_at), extract(epoch FROM token_expires_at)::bigint, refreshable
FROM accounts WHERE status = 'connected' ORDER BY id LIMIT 100000;

-- name: acc_list
SELECT id, org_id, brand_id, platform, platform_account_id, handle, display_name, avatar_url, bio, contact,
       verified, followers, positioning::text, groups::text, tags::text, store_id, sandbox, status,
       accounts_ts(token_expires_at), accounts_ts(last_refresh_at), granted_scopes::text, required_scopes::text,
       rate_state::text, restricted, banned, last_error, last_error_class, accounts_ts(last_error_at), version,
       accounts_ts(created_at), accounts_ts(updated_at), extract(epoch FROM token_expires_at)::bigint, refreshable
FROM accounts
WHERE org_id = $1
  AND ($2::uuid IS NULL OR brand_id = $2)
  AND ($3::text IS NULL OR platform = $3)
  AND ($4::text IS NULL OR status = $4)
  AND ($5::text IS NULL OR tags ? $5)
  AND ($6::text IS NULL OR groups ? $6)
ORDER BY brand_id, platform, lower(handle), id
LIMIT 5000;

-- name: acc_upsert_connected
INSERT INTO accounts (org_id, brand_id, platform, platform_account_id, handle, display_name, avatar_url, bio,
                      verified, followers, sandbox, status, token_expires_at, last_refresh_at, granted_scopes,
                      required_scopes, refreshable)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, to_timestamp($13), now(), $14::jsonb, $15::jsonb, $16)
ON CONFLICT (org_id, platform, platform_account_id) DO UPDATE SET
  brand_id = EXCLUDED.brand_id, handle = EXCLUDED.handle, display_name = EXCLUDED.display_name,
  avatar_url = EXCLUDED.avatar_url, bio = EXCLUDED.bio, verified = EXCLUDED.verified,
  followers = EXCLUDED.followers, sandbox = EXCLUDED.sandbox, status = EXCLUDED.status,
  token_expires_at = EXCLUDED.token_expires_at, last_refresh_at = now(),
  granted_scopes = EXCLUDED.granted_scopes, required_scopes = EXCLUDED.required_scopes,
  refreshable = EXCLUDED.refreshable,
  last_error = NULL, last_error_class = NULL, last_error_at = NULL, banned = false,
  version = accounts.version + 1, updated_at = now()
RETURNING id, (xmax = 0) AS inserted;

-- name: acc_put_token
INSERT INTO account_tokens (account_id, key_version, sealed) VALUES ($1, $2, $3)
ON CONFLICT (account_id) DO UPDATE SET key_version = EXCLUDED.key_version, sealed = EXCLUDED.sealed,
                                       updated_at = now();

-- name: acc_get_token
SELECT sealed FROM account_tokens WHERE account_id = $1;

-- name: acc_delete_token
DELETE FROM account_tokens WHERE account_id = $1;

-- name: acc_update_profile
UPDATE accounts SET
  contact = coalesce($3, contact), bio = coalesce($4, bio), positioning = coalesce($5::jsonb, positioning),
  groups = coalesce($6::jsonb, groups), tags = coalesce($7::jsonb, tags),
  store_id = CASE WHEN $8 THEN $9 ELSE store_id END,
  version = version + 1, updated_at = now()
WHERE id = $1 AND org_id = $2 AND ($10::int IS NULL OR version = $10)
RETURNING id;

-- name: acc_mark_refreshed
UPDATE accounts SET token_expires_at = to_timestamp($2), last_refresh_at = now(), granted_scopes = $3::jsonb,
  last_error = NULL, last_error_class = NULL, last_error_at = NULL, updated_at = now()
WHERE id = $1;

-- name: acc_mark_error
UPDATE accounts SET last_error = $2, last_error_class = $3, last_error_at = now(), updated_at = now()
WHERE id = $1;

-- name: acc_mark_profile
UPDATE accounts SET handle = $2, display_name = $3, avatar_url = $4, bio = $5, verified = $6, followers = $7,
  last_error = NULL, last_error_class = NULL, last_error_at = NULL, updated_at = now()
WHERE id = $1;

-- name: acc_disconnect
UPDATE accounts SET status = 'disconnected', token_expires_at = NULL, version = version + 1, updated_at = now()
WHERE id = $1 AND org_id = $2 AND status <> 'disconnected'
RETURNING id;

-- name: acc_insert_event
INSERT INTO account_health_events (account_id, kind, reason) VALUES ($1, $2, $3);

-- name: acc_events
SELECT id, kind, reason, accounts_ts(at) FROM account_health_events
WHERE account_id = $1 ORDER BY id DESC LIMIT $2;

-- name: acc_due_refresh
-- Connected accounts whose token expires within the lead time; an account whose last attempt
-- failed is retried at most every 10 minutes.
SELECT a.id, a.org_id FROM accounts a JOIN account_tokens t ON t.account_id = a.id
WHERE a.status = 'connected' AND a.refreshable AND a.token_expires_at IS NOT NULL
  AND a.token_expires_at < to_timestamp($1)
  AND (a.last_error_at IS NULL OR a.last_error_at < now() - interval '10 minutes')
ORDER BY a.token_expires_at LIMIT 100;

-- name: acc_tokens_page
SELECT t.account_id, a.platform, t.sealed, t.key_version FROM account_tokens t JOIN accounts a ON a.id = t.account_id
WHERE t.account_id > $1 ORDER BY t.account_id LIMIT 500;

-- name: acc_token_versions
SELECT key_version, count(*) FROM account_tokens GROUP BY key_version ORDER BY key_version;

-- name: oauth_insert_state
INSERT INTO oauth_states (state_hash, org_id, brand_id, user_id, user_label, platform, sealed_verifier,
                          redirect_uri, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + interval '10 minutes');

-- name: oauth_take_state
DELETE FROM oauth_states WHERE state_hash = $1 AND expires_at > now()
RETURNING org_id, brand_id, user_id, user_label, platform, sealed_verifier, redirect_uri;

-- name: oauth_purge_states
DELETE FROM oauth_states WHERE expires_at <= now();
