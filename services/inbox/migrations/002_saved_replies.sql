-- Saved replies and the FAQ (issue #6, "Respond"): texts an agent drops into a reply, with
-- variables ({{name}}, {{handle}}, {{brand}}, {{account}}, {{agent}}) filled for the thread.
-- A brand's entries are for that brand's inbox; brand_id NULL is organization-wide. An FAQ entry
-- also holds the question it answers (matched against what a person asked), and when it was
-- promoted from a conversation, the inbound item it came from.

CREATE TABLE inbox_saved_replies (
  id                   bigserial PRIMARY KEY,
  org_id               uuid NOT NULL,
  brand_id             uuid,
  kind                 text NOT NULL CHECK (kind IN ('reply', 'faq')),
  title                text NOT NULL,
  question             text NOT NULL DEFAULT '',
  body                 text NOT NULL,
  source_item_id       bigint REFERENCES inbox_items (id) ON DELETE SET NULL,
  use_count            int NOT NULL DEFAULT 0,
  last_used_at         timestamptz,
  created_by           uuid,
  created_by_label     text NOT NULL DEFAULT '',
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              int NOT NULL DEFAULT 1,
  CHECK (kind = 'reply' OR question <> '')
);
CREATE INDEX inbox_saved_replies_of_org ON inbox_saved_replies (org_id, brand_id, kind);

CREATE FUNCTION inbox_saved_reply_json(s inbox_saved_replies) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', s.id, 'brand_id', s.brand_id, 'kind', s.kind, 'title', s.title,
    'question', nullif(s.question, ''), 'text', s.body, 'source_item_id', s.source_item_id,
    'use_count', s.use_count, 'last_used_at', inbox_ts(s.last_used_at), 'created_by', s.created_by,
    'created_by_label', s.created_by_label, 'created_at', inbox_ts(s.created_at),
    'updated_at', inbox_ts(s.updated_at), 'version', s.version)::text
$$;
