-- Named queries of retention and personal-data export (services/inbox/privacy.cpp).

-- name: inbox_retention_get
SELECT keep_days, inbox_ts(last_purge_at), purged_total, updated_by_label, inbox_ts(updated_at)
FROM inbox_retention WHERE brand_id = $1;

-- name: inbox_retention_put
INSERT INTO inbox_retention AS r (brand_id, org_id, keep_days, updated_by_label) VALUES ($1, $2, $3, $4)
ON CONFLICT (brand_id) DO UPDATE SET keep_days = EXCLUDED.keep_days, updated_by_label = EXCLUDED.updated_by_label,
                                     updated_at = now();

-- name: inbox_retention_delete
DELETE FROM inbox_retention WHERE brand_id = $1 AND org_id = $2;

-- name: inbox_retention_all
SELECT brand_id::text, keep_days FROM inbox_retention ORDER BY brand_id;

-- name: inbox_retention_purge
-- One brand's inbound messages received more than $2 days ago, at most $3 of them (the purge
-- goes on next pass): their replies and moderation log go with them (ON DELETE CASCADE), and
-- threads left without a message too. Returns how many messages.
WITH old AS (
  SELECT i.id, i.thread_id FROM inbox_items i JOIN inbox_threads t ON t.id = i.thread_id
  WHERE t.brand_id = $1 AND i.received_at < now() - make_interval(days => $2::int)
  ORDER BY i.id LIMIT $3
), gone AS (
  DELETE FROM inbox_items i USING old WHERE i.id = old.id RETURNING i.thread_id
), emptied AS (
  DELETE FROM inbox_threads t
  WHERE t.id IN (SELECT DISTINCT thread_id FROM gone)
    AND NOT EXISTS (SELECT 1 FROM inbox_items i WHERE i.thread_id = t.id AND i.id NOT IN (SELECT id FROM old))
  RETURNING t.id
), counted AS (
  UPDATE inbox_retention SET last_purge_at = now(), purged_total = purged_total + (SELECT count(*) FROM gone)
  WHERE brand_id = $1
)
SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM emptied);

-- name: inbox_person_items
-- Everything one person ($2 platform, $3 their platform id) sent the brands $4 (uuid[]) of org $1.
SELECT json_build_object(
  'id', i.id, 'thread_id', i.thread_id, 'brand_id', t.brand_id, 'account_id', i.account_id, 'platform', t.platform,
  'kind', i.kind, 'platform_item_id', i.platform_item_id, 'author', json_build_object('id', i.author_id,
  'handle', i.author_handle, 'name', i.author_name), 'text', i.body, 'created_at', inbox_ts(i.created_at),
  'received_at', inbox_ts(i.received_at), 'language', i.language, 'sentiment', i.sentiment, 'category', i.category,
  'moderation', nullif(i.moderation, ''))::text
FROM inbox_items i JOIN inbox_threads t ON t.id = i.thread_id
WHERE i.org_id = $1 AND t.platform = $2 AND i.author_id = $3 AND i.direction = 'in' AND t.brand_id = ANY ($4::uuid[])
ORDER BY i.received_at, i.id LIMIT 10000;

-- name: inbox_person_replies
-- The replies Herald sent to those messages.
SELECT inbox_reply_json(r)
FROM inbox_replies r JOIN inbox_items i ON i.id = r.item_id JOIN inbox_threads t ON t.id = i.thread_id
WHERE i.org_id = $1 AND t.platform = $2 AND i.author_id = $3 AND i.direction = 'in' AND t.brand_id = ANY ($4::uuid[])
ORDER BY r.id LIMIT 10000;
