-- Named queries of the IAM store (services/gateway/store/pg_iam_store.cpp).

-- name: iam_count_users
SELECT count(*) FROM users;

-- name: iam_insert_org
INSERT INTO organizations (name) VALUES ($1) RETURNING id;

-- name: iam_insert_user
INSERT INTO users (org_id, email, display_name, password_hash, is_admin)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, org_id, email, display_name, is_admin, disabled, version, herald_ts(created_at);

-- name: iam_user_by_email
SELECT id, org_id, email, display_name, password_hash, is_admin, disabled
FROM users WHERE lower(email) = lower($1);

-- name: iam_user_by_id
SELECT id, org_id, email, display_name, is_admin, disabled, version, herald_ts(created_at)
FROM users WHERE id = $1 AND org_id = $2;

-- name: iam_user_password_hash
SELECT password_hash FROM users WHERE id = $1;

-- name: iam_set_password
UPDATE users SET password_hash = $2, version = version + 1, updated_at = now() WHERE id = $1;

-- name: iam_list_users
SELECT id, org_id, email, display_name, is_admin, disabled, version, herald_ts(created_at)
FROM users WHERE org_id = $1 ORDER BY lower(email) LIMIT 1000;

-- name: iam_update_user
UPDATE users
SET display_name = coalesce($3, display_name),
    disabled = coalesce($4, disabled),
    is_admin = coalesce($5, is_admin),
    version = version + 1,
    updated_at = now()
WHERE id = $1 AND org_id = $2
RETURNING id, org_id, email, display_name, is_admin, disabled, version, herald_ts(created_at);

-- name: iam_revoke_user_sessions
UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL;

-- name: iam_insert_session
INSERT INTO sessions (token_hash, user_id, expires_at, remote_addr)
VALUES ($1, $2, to_timestamp($3::double precision / 1000000), $4)
RETURNING id;

-- name: iam_revoke_session
UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL;

-- name: iam_principal_by_session
SELECT u.id, u.org_id, u.email, u.display_name, u.is_admin, s.id,
       (extract(epoch FROM s.expires_at) * 1000000)::bigint
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1 AND s.revoked_at IS NULL
  AND s.expires_at > to_timestamp($2::double precision / 1000000) AND NOT u.disabled;

-- name: iam_principal_by_api_token
SELECT u.id, u.org_id, u.email, u.display_name, u.is_admin, t.id,
       coalesce((extract(epoch FROM t.expires_at) * 1000000)::bigint, 0)
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL
  AND (t.expires_at IS NULL OR t.expires_at > to_timestamp($2::double precision / 1000000))
  AND NOT u.disabled;

-- name: iam_touch_api_token
UPDATE api_tokens SET last_used_at = now() WHERE id = $1;

-- name: iam_memberships_of
SELECT m.brand_id, b.name, m.role, m.account_ids
FROM brand_members m JOIN brands b ON b.id = m.brand_id
WHERE m.user_id = $1 ORDER BY b.name;

-- name: iam_insert_brand
INSERT INTO brands (org_id, name, slug, timezone) VALUES ($1, $2, $3, $4)
RETURNING id, org_id, name, slug, timezone, version, herald_ts(created_at);

-- name: iam_brand_by_id
SELECT id, org_id, name, slug, timezone, version, herald_ts(created_at)
FROM brands WHERE id = $1 AND org_id = $2;

-- name: iam_list_brands
SELECT id, org_id, name, slug, timezone, version, herald_ts(created_at)
FROM brands WHERE org_id = $1 ORDER BY name LIMIT 1000;

-- name: iam_update_brand
UPDATE brands
SET name = coalesce($3, name), timezone = coalesce($4, timezone),
    version = version + 1, updated_at = now()
WHERE id = $1 AND org_id = $2 AND ($5::int IS NULL OR version = $5)
RETURNING id, org_id, name, slug, timezone, version, herald_ts(created_at);

-- name: iam_list_members
SELECT m.user_id, u.email, u.display_name, m.role, m.account_ids, herald_ts(m.created_at)
FROM brand_members m JOIN users u ON u.id = m.user_id
WHERE m.brand_id = $1 ORDER BY lower(u.email);

-- name: iam_upsert_member
INSERT INTO brand_members (brand_id, user_id, role, account_ids) VALUES ($1, $2, $3, $4)
ON CONFLICT (brand_id, user_id) DO UPDATE SET role = excluded.role, account_ids = excluded.account_ids;

-- name: iam_delete_member
DELETE FROM brand_members WHERE brand_id = $1 AND user_id = $2;

-- name: iam_insert_api_token
INSERT INTO api_tokens (user_id, name, display_prefix, token_hash, expires_at)
VALUES ($1, $2, $3, $4, CASE WHEN $5::bigint IS NULL THEN NULL
                             ELSE to_timestamp($5::double precision / 1000000) END)
RETURNING id, herald_ts(created_at), herald_ts(expires_at);

-- name: iam_list_api_tokens
SELECT id, name, display_prefix, herald_ts(created_at), herald_ts(expires_at), herald_ts(revoked_at), herald_ts(last_used_at)
FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1000;

-- name: iam_api_token_owner
SELECT t.user_id, u.org_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1;

-- name: iam_revoke_api_token
UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL;

-- name: iam_audit_lock
SELECT pg_advisory_xact_lock(4702111234474983745);

-- name: iam_audit_head
SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;

-- name: iam_audit_insert
INSERT INTO audit_log (seq, at_us, org_id, actor_id, actor_label, action, target_type, target_id,
                       brand_id, details, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12);

-- name: iam_audit_page
SELECT seq, at_us, coalesce(org_id::text, ''), coalesce(actor_id::text, ''), actor_label, action,
       target_type, target_id, coalesce(brand_id::text, ''), details::text, prev_hash, hash
FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2;

-- name: iam_audit_page_for_org
SELECT seq, at_us, coalesce(org_id::text, ''), coalesce(actor_id::text, ''), actor_label, action,
       target_type, target_id, coalesce(brand_id::text, ''), details::text, prev_hash, hash
FROM audit_log WHERE seq < $2 AND (org_id = $1 OR org_id IS NULL) ORDER BY seq DESC LIMIT $3;
