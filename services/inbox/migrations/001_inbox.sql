-- The inbox (F5): every comment, mention and DM as threads, with what Herald sends back.
-- A thread is one conversation on one account: the comments under one post, one mention, or one
-- DM conversation. Items are de-duplicated by the platform's id per account, so a redelivered or
-- re-polled item changes nothing.

CREATE TABLE inbox_threads (
  id                   bigserial PRIMARY KEY,
  org_id               uuid NOT NULL,
  brand_id             uuid NOT NULL,
  account_id           uuid NOT NULL,
  platform             text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('comment', 'mention', 'dm')),
  thread_key           text NOT NULL,  -- the post id (comments), the item id (mentions), the conversation (DMs)
  platform_post_id     text NOT NULL DEFAULT '',
  status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  pending_reason       text NOT NULL DEFAULT '',
  assignee_id          uuid,
  priority             int NOT NULL DEFAULT 0,
  sentiment            text NOT NULL DEFAULT 'neutral',
  crisis               boolean NOT NULL DEFAULT false,
  item_count           int NOT NULL DEFAULT 0,
  unanswered           int NOT NULL DEFAULT 0,  -- inbound items since our last reply
  waiting_since        timestamptz,             -- the oldest unanswered item's arrival
  first_response_due   timestamptz,             -- waiting_since + the first-response target
  first_response_at    timestamptz,
  last_item_at         timestamptz NOT NULL DEFAULT now(),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              int NOT NULL DEFAULT 1,
  UNIQUE (account_id, kind, thread_key)
);
CREATE INDEX inbox_threads_by_priority ON inbox_threads (org_id, priority DESC, id DESC);
CREATE INDEX inbox_threads_by_recent ON inbox_threads (org_id, id DESC);
CREATE INDEX inbox_threads_by_assignee ON inbox_threads (assignee_id, priority DESC, id DESC) WHERE assignee_id IS NOT NULL;

CREATE TABLE inbox_items (
  id                   bigserial PRIMARY KEY,
  thread_id            bigint NOT NULL REFERENCES inbox_threads (id) ON DELETE CASCADE,
  org_id               uuid NOT NULL,
  account_id           uuid NOT NULL,
  direction            text NOT NULL CHECK (direction IN ('in', 'out')),
  kind                 text NOT NULL,
  platform_item_id     text NOT NULL,
  platform_post_id     text NOT NULL DEFAULT '',
  parent_id            text NOT NULL DEFAULT '',
  conversation_id      text NOT NULL DEFAULT '',
  author_id            text NOT NULL DEFAULT '',
  author_handle        text NOT NULL DEFAULT '',
  author_name          text NOT NULL DEFAULT '',
  author_verified      boolean NOT NULL DEFAULT false,
  body                 text NOT NULL,
  created_at           timestamptz NOT NULL,     -- on the platform
  received_at          timestamptz NOT NULL DEFAULT now(),
  language             text NOT NULL DEFAULT 'und',
  sentiment            text NOT NULL DEFAULT 'neutral',
  sentiment_score      real NOT NULL DEFAULT 0,
  category             text NOT NULL DEFAULT 'other',
  priority             int NOT NULL DEFAULT 0,
  UNIQUE (account_id, platform_item_id)
);
CREATE INDEX inbox_items_of_thread ON inbox_items (thread_id, id);

-- What Herald sends back: one row per reply, sent once through the send gate by the reply sender.
CREATE TABLE inbox_replies (
  id                   bigserial PRIMARY KEY,
  thread_id            bigint NOT NULL REFERENCES inbox_threads (id) ON DELETE CASCADE,
  item_id              bigint NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,  -- answered item
  org_id               uuid NOT NULL,
  author_user_id       uuid,
  author_label         text NOT NULL DEFAULT '',
  body                 text NOT NULL,
  private              boolean NOT NULL DEFAULT false,  -- a DM to the author instead of a public reply
  automated            boolean NOT NULL DEFAULT false,  -- automations obey a freeze; people answering do not
  status               text NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'held')),
  attempts             int NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz NOT NULL DEFAULT now(),
  platform_reply_id    text NOT NULL DEFAULT '',
  error                text NOT NULL DEFAULT '',
  created_at           timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz
);
CREATE INDEX inbox_replies_due ON inbox_replies (next_attempt_at) WHERE status = 'queued';
CREATE INDEX inbox_replies_of_thread ON inbox_replies (thread_id, id);

CREATE TABLE inbox_notes (
  id                   bigserial PRIMARY KEY,
  thread_id            bigint NOT NULL REFERENCES inbox_threads (id) ON DELETE CASCADE,
  author_user_id       uuid NOT NULL,
  author_label         text NOT NULL,
  body                 text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_notes_of_thread ON inbox_notes (thread_id, id);

CREATE FUNCTION inbox_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- The API's JSON for a thread and a reply (one definition, used by every query that returns one).
CREATE FUNCTION inbox_thread_json(t inbox_threads) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', t.id, 'brand_id', t.brand_id, 'account_id', t.account_id, 'platform', t.platform, 'kind', t.kind,
    'platform_post_id', t.platform_post_id, 'status', t.status, 'pending_reason', t.pending_reason,
    'assignee_id', t.assignee_id, 'priority', t.priority, 'sentiment', t.sentiment, 'crisis', t.crisis,
    'item_count', t.item_count, 'unanswered', t.unanswered,
    'waiting_since', inbox_ts(t.waiting_since),
    'sla', json_build_object(
      'first_response_due', inbox_ts(t.first_response_due),
      'first_response_at', inbox_ts(t.first_response_at),
      'state', CASE WHEN t.first_response_at IS NOT NULL THEN
                      CASE WHEN t.first_response_at <= t.first_response_due THEN 'met' ELSE 'missed' END
                    WHEN t.first_response_due < now() THEN 'breached'
                    WHEN t.first_response_due < now() + interval '15 minutes' THEN 'at_risk'
                    ELSE 'ok' END),
    'last_item_at', inbox_ts(t.last_item_at), 'created_at', inbox_ts(t.created_at),
    'updated_at', inbox_ts(t.updated_at), 'version', t.version)::text
$$;

CREATE FUNCTION inbox_reply_json(r inbox_replies) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', r.id, 'thread_id', r.thread_id, 'item_id', r.item_id, 'author_user_id', r.author_user_id,
    'author', r.author_label, 'text', r.body, 'private', r.private, 'automated', r.automated,
    'status', r.status, 'attempts', r.attempts, 'platform_reply_id', nullif(r.platform_reply_id, ''),
    'error', nullif(r.error, ''), 'created_at', inbox_ts(r.created_at), 'sent_at', inbox_ts(r.sent_at))::text
$$;
