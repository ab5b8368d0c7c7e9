-- Named queries of saved replies and the FAQ (services/inbox/saved_replies.cpp).

-- name: inbox_saved_replies_list
-- The entries a reader sees: organization-wide ones and those of $2 (brand ids, NULL: all, an
-- admin), optionally only $3 brand (with the organization-wide ones), $4 kind, $5 text in the
-- title, question or body. Most used first.
SELECT inbox_saved_reply_json(s) FROM inbox_saved_replies s
WHERE s.org_id = $1
  AND (s.brand_id IS NULL OR $2::uuid[] IS NULL OR s.brand_id = ANY ($2::uuid[]))
  AND ($3::uuid IS NULL OR s.brand_id IS NULL OR s.brand_id = $3::uuid)
  AND ($4::text IS NULL OR s.kind = $4::text)
  AND ($5::text IS NULL OR strpos(lower(s.title || ' ' || s.question || ' ' || s.body), lower($5::text)) > 0)
ORDER BY s.use_count DESC, s.id DESC
LIMIT 500;

-- name: inbox_saved_replies_faq_for
-- The FAQ entries that may answer a thread of brand $2 (its own and organization-wide ones).
SELECT s.id, s.question, inbox_saved_reply_json(s) FROM inbox_saved_replies s
WHERE s.org_id = $1 AND s.kind = 'faq' AND (s.brand_id IS NULL OR s.brand_id = $2::uuid)
LIMIT 2000;

-- name: inbox_saved_reply_get
SELECT inbox_saved_reply_json(s), s.brand_id::text, s.body, s.version FROM inbox_saved_replies s
WHERE s.id = $1 AND s.org_id = $2;

-- name: inbox_saved_reply_insert
INSERT INTO inbox_saved_replies (org_id, brand_id, kind, title, question, body, source_item_id, created_by,
                                 created_by_label)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING inbox_saved_reply_json(inbox_saved_replies);

-- name: inbox_saved_reply_update
-- $3 title, $4 question, $5 body (NULL: unchanged); $6 the version read (NULL: any).
UPDATE inbox_saved_replies s
SET title = coalesce($3, s.title), question = coalesce($4, s.question), body = coalesce($5, s.body),
    updated_at = now(), version = s.version + 1
WHERE s.id = $1 AND s.org_id = $2 AND ($6::int IS NULL OR s.version = $6::int)
RETURNING inbox_saved_reply_json(s);

-- name: inbox_saved_reply_delete
DELETE FROM inbox_saved_replies s WHERE s.id = $1 AND s.org_id = $2 AND ($3::int IS NULL OR s.version = $3::int)
RETURNING s.id;

-- name: inbox_saved_reply_used
UPDATE inbox_saved_replies s SET use_count = s.use_count + 1, last_used_at = now()
WHERE s.id = $1 AND s.org_id = $2;

-- name: inbox_thread_render_context
-- What a saved reply's variables are filled from: the thread's latest inbound item's author.
SELECT i.author_name, i.author_handle, i.body FROM inbox_items i
WHERE i.thread_id = $1 AND i.direction = 'in' ORDER BY i.created_at DESC, i.id DESC LIMIT 1;

-- name: inbox_item_for_faq
-- An inbound item to promote, with its thread's brand and account, and the text of the latest
-- reply that answered it (not failed), if any.
SELECT i.body, t.brand_id::text, t.account_id::text, t.id,
       (SELECT r.body FROM inbox_replies r WHERE r.item_id = i.id AND r.status NOT IN ('failed')
        ORDER BY r.id DESC LIMIT 1)
FROM inbox_items i JOIN inbox_threads t ON t.id = i.thread_id
WHERE i.id = $1 AND i.org_id = $2 AND i.direction = 'in';
