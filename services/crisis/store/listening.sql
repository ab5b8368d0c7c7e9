-- Named queries of listening's rules (services/crisis/listening/rules.cpp).

-- name: listening_rules_of_org
SELECT id, coalesce(brand_id::text, ''), list, keyword, fuzzy, weight, region
FROM listening_rules WHERE org_id = $1 ORDER BY id;

-- name: listening_rule_insert
-- Returns the id; nothing when the same rule exists already.
INSERT INTO listening_rules (org_id, brand_id, list, keyword, fuzzy, weight, region, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: listening_rule_get
SELECT id, coalesce(brand_id::text, ''), list, keyword, fuzzy, weight, region
FROM listening_rules WHERE id = $1 AND org_id = $2;

-- name: listening_rule_delete
DELETE FROM listening_rules WHERE id = $1 AND org_id = $2;

-- name: listening_version_bump
INSERT INTO listening_rule_versions (org_id, version) VALUES ($1, 1)
ON CONFLICT (org_id) DO UPDATE SET version = listening_rule_versions.version + 1
RETURNING version;

-- name: listening_version
SELECT coalesce((SELECT version FROM listening_rule_versions WHERE org_id = $1), 0);
