-- Named queries of moderation (services/inbox/moderation.cpp).

-- name: inbox_moderation_item
-- The inbound item of the thread to moderate: kind and what the adapter needs.
SELECT i.kind, i.platform_item_id, i.platform_post_id, i.parent_id, i.conversation_id, i.author_id,
       i.author_handle, i.moderation
FROM inbox_items i WHERE i.id = $1 AND i.thread_id = $2 AND i.direction = 'in';

-- name: inbox_moderation_insert
INSERT INTO inbox_moderations (item_id, thread_id, org_id, action, author_user_id, author_label)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id;

-- name: inbox_moderation_settle
-- $2 status, $3 error, $4 the item's new state (NULL: unchanged).
WITH m AS (
  UPDATE inbox_moderations SET status = $2, error = $3, settled_at = now() WHERE id = $1 RETURNING *
), i AS (
  UPDATE inbox_items SET moderation = coalesce($4, moderation) WHERE id = (SELECT item_id FROM m) RETURNING moderation
)
SELECT json_build_object('id', m.id, 'item_id', m.item_id, 'thread_id', m.thread_id, 'action', m.action,
                         'status', m.status, 'error', nullif(m.error, ''), 'author', m.author_label,
                         'created_at', inbox_ts(m.created_at), 'settled_at', inbox_ts(m.settled_at),
                         'moderation', nullif((SELECT moderation FROM i), ''))::text
FROM m;
