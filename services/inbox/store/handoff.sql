-- Named queries of the comment -> DM handoff (services/inbox/inbox.cpp).

-- name: inbox_handoff_record
-- A private reply from comment thread $3 to person $2 on account $1: remembered, and linked at
-- once to the person's DM thread when there is one already.
WITH h AS (
  INSERT INTO inbox_handoffs (account_id, author_id, from_thread_id) VALUES ($1, $2, $3)
  ON CONFLICT (account_id, author_id) DO UPDATE SET from_thread_id = EXCLUDED.from_thread_id, created_at = now()
  RETURNING from_thread_id
), dm AS (
  SELECT t.id FROM inbox_threads t
  WHERE t.account_id = $1 AND t.kind = 'dm'
    AND EXISTS (SELECT 1 FROM inbox_items i WHERE i.account_id = $1 AND i.author_id = $2 AND i.direction = 'in'
                AND i.thread_id = t.id)
  ORDER BY t.id DESC LIMIT 1
), back AS (
  UPDATE inbox_threads SET linked_thread_id = (SELECT id FROM dm) WHERE id = $3 AND EXISTS (SELECT 1 FROM dm)
)
UPDATE inbox_threads SET linked_thread_id = $3 WHERE id = (SELECT id FROM dm) AND EXISTS (SELECT 1 FROM h);

-- name: inbox_handoff_link
-- DM threads a delivery opened ($2 ids, $3 their authors) on account $1: linked to the comment
-- thread that handed the person over, both ways.
WITH pairs AS (
  SELECT u.thread_id, h.from_thread_id
  FROM unnest($2::bigint[], $3::text[]) AS u(thread_id, author_id)
  JOIN inbox_handoffs h ON h.account_id = $1 AND h.author_id = u.author_id
), there AS (
  UPDATE inbox_threads t SET linked_thread_id = p.from_thread_id FROM pairs p WHERE t.id = p.thread_id
)
UPDATE inbox_threads t SET linked_thread_id = p.thread_id FROM pairs p WHERE t.id = p.from_thread_id;

-- name: inbox_item_author
SELECT author_id FROM inbox_items WHERE id = $1;
