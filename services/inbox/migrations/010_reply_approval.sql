-- Reply approvals (issue #6, "Respond"): a brand may require a second person (inbox.assign) to
-- approve replies before they are sent, always or only while a freeze covers the thread (an
-- incident). A reply waiting is 'pending_approval'; approved it is queued, rejected it is not sent.

CREATE TABLE inbox_reply_approval (
  brand_id             uuid PRIMARY KEY,
  org_id               uuid NOT NULL,
  mode                 text NOT NULL CHECK (mode IN ('always', 'during_freeze')),
  updated_by_label     text NOT NULL DEFAULT '',
  updated_at           timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE inbox_replies DROP CONSTRAINT inbox_replies_status_check;
ALTER TABLE inbox_replies ADD CONSTRAINT inbox_replies_status_check
  CHECK (status IN ('pending_approval', 'rejected', 'queued', 'sending', 'sent', 'failed', 'unknown', 'held'));
ALTER TABLE inbox_replies ADD COLUMN reviewed_by_label text NOT NULL DEFAULT '';
ALTER TABLE inbox_replies ADD COLUMN review_note text NOT NULL DEFAULT '';

CREATE OR REPLACE FUNCTION inbox_reply_json(r inbox_replies) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'thread_id', r.thread_id, 'item_id', r.item_id, 'author_user_id', r.author_user_id,
    'author', r.author_label, 'text', r.body, 'private', r.private, 'automated', r.automated,
    'status', r.status, 'attempts', r.attempts, 'platform_reply_id', nullif(r.platform_reply_id, ''),
    'error', nullif(r.error, ''), 'created_at', inbox_ts(r.created_at), 'sent_at', inbox_ts(r.sent_at),
    'reviewed_by', nullif(r.reviewed_by_label, ''), 'review_note', nullif(r.review_note, ''))::text
$$;
