-- Named queries of routing rules and the rota (services/inbox/routing.cpp).

-- name: inbox_routing_get
SELECT config::text, version, updated_by_label, inbox_ts(updated_at) FROM inbox_routing WHERE brand_id = $1;

-- name: inbox_routing_put
-- $4 the version read (NULL: any). No row: it did not match.
INSERT INTO inbox_routing AS r (brand_id, org_id, config, updated_by_label) VALUES ($1, $2, $3::jsonb, $5)
ON CONFLICT (brand_id) DO UPDATE
SET config = EXCLUDED.config, updated_by_label = EXCLUDED.updated_by_label, updated_at = now(), version = r.version + 1
WHERE $4::int IS NULL OR r.version = $4::int
RETURNING config::text, version, updated_by_label, inbox_ts(updated_at);

-- name: inbox_rota_list
SELECT user_id::text, available, hours::text, inbox_ts(last_assigned_at),
       coalesce((extract(epoch FROM last_assigned_at) * 1000)::bigint, 0)
FROM inbox_rota WHERE brand_id = $1 ORDER BY user_id;

-- name: inbox_rota_lock
-- The rota while new threads are handed out: two deliveries take turns one after the other.
SELECT user_id::text, available, hours::text, inbox_ts(last_assigned_at),
       coalesce((extract(epoch FROM last_assigned_at) * 1000)::bigint, 0)
FROM inbox_rota WHERE brand_id = $1 ORDER BY user_id FOR UPDATE;

-- name: inbox_rota_put
INSERT INTO inbox_rota AS r (brand_id, user_id, org_id, available, hours) VALUES ($1, $2, $3, $4, $5::jsonb)
ON CONFLICT (brand_id, user_id) DO UPDATE SET available = EXCLUDED.available, hours = EXCLUDED.hours, updated_at = now();

-- name: inbox_rota_delete
DELETE FROM inbox_rota WHERE brand_id = $1 AND user_id = $2 AND org_id = $3 RETURNING user_id;

-- name: inbox_rota_assigned
UPDATE inbox_rota SET last_assigned_at = to_timestamp($3::double precision / 1000) WHERE brand_id = $1 AND user_id = $2;

-- name: inbox_thread_route
-- A new thread given to a member by routing (unless someone assigned it meanwhile).
UPDATE inbox_threads SET assignee_id = $2 WHERE id = $1 AND assignee_id IS NULL;
