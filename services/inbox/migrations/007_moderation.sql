-- Moderation of inbound comments (issue #6, "Respond"): hide, unhide, delete or pin where the
-- platform allows it, through the send gate, each attempt logged with its outcome. The item
-- keeps its latest state ('' none, 'hidden', 'deleted', 'pinned').

ALTER TABLE inbox_items ADD COLUMN moderation text NOT NULL DEFAULT '';

CREATE TABLE inbox_moderations (
  id                   bigserial PRIMARY KEY,
  item_id              bigint NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
  thread_id            bigint NOT NULL REFERENCES inbox_threads (id) ON DELETE CASCADE,
  org_id               uuid NOT NULL,
  action               text NOT NULL CHECK (action IN ('hide', 'unhide', 'delete', 'pin')),
  status               text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'done', 'failed', 'unknown', 'held')),
  error                text NOT NULL DEFAULT '',
  author_user_id       uuid,
  author_label         text NOT NULL DEFAULT '',
  created_at           timestamptz NOT NULL DEFAULT now(),
  settled_at           timestamptz
);
CREATE INDEX inbox_moderations_of_thread ON inbox_moderations (thread_id, id);
