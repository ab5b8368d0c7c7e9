-- Named queries of reply approvals (services/inbox/inbox.cpp).

-- name: inbox_reply_approval_get
SELECT mode, updated_by_label, inbox_ts(updated_at) FROM inbox_reply_approval WHERE brand_id = $1;

-- name: inbox_reply_approval_put
INSERT INTO inbox_reply_approval AS a (brand_id, org_id, mode, updated_by_label) VALUES ($1, $2, $3, $4)
ON CONFLICT (brand_id) DO UPDATE SET mode = EXCLUDED.mode, updated_by_label = EXCLUDED.updated_by_label, updated_at = now();

-- name: inbox_reply_approval_delete
DELETE FROM inbox_reply_approval WHERE brand_id = $1 AND org_id = $2;

-- name: inbox_reply_for_review
-- A reply waiting for approval, locked, with its thread and author.
SELECT r.thread_id, r.author_user_id::text, r.status FROM inbox_replies r WHERE r.id = $1 AND r.org_id = $2 FOR UPDATE;

-- name: inbox_reply_review
-- $3 'queued' (approved: the thread is answered now) or 'rejected'; $4 reviewer, $5 note.
WITH r AS (
  UPDATE inbox_replies SET status = $3, reviewed_by_label = $4, review_note = $5, next_attempt_at = now()
  WHERE id = $1 AND org_id = $2 AND status = 'pending_approval' RETURNING *
), t AS (
  UPDATE inbox_threads SET first_response_at = coalesce(first_response_at, now()), unanswered = 0,
                           waiting_since = NULL, updated_at = now(), version = version + 1
  WHERE id = (SELECT thread_id FROM r) AND $3 = 'queued'
)
SELECT inbox_reply_json(r) FROM r;
