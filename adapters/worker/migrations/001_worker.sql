-- The attempt ledger of the adapter workers (DESIGN.md section 4): one row per platform
-- interaction of a send (the publish call, or a read-back that settled an uncertain one). The
-- worker owns this table; other services learn outcomes from the publishing_events stream.
-- request_summary names methods, paths (no query strings) and statuses: never content, never a
-- token.
CREATE TABLE send_attempts (
  id               bigserial PRIMARY KEY,
  target_id        text NOT NULL,
  content_version  bigint NOT NULL,
  attempt          bigint NOT NULL,
  account_id       text NOT NULL,
  platform         text NOT NULL,
  worker           text NOT NULL,
  kind             text NOT NULL DEFAULT 'publish' CHECK (kind IN ('publish', 'read_back')),
  started_at       timestamptz NOT NULL,
  finished_at      timestamptz NOT NULL,
  latency_ms       bigint NOT NULL,
  request_summary  text NOT NULL DEFAULT '',
  response_status  integer,
  outcome          text NOT NULL
                   CHECK (outcome IN ('published', 'retry', 'failed', 'unknown', 'absent', 'held')),
  platform_post_id text,
  error_class      text,
  error_code       text,
  error_message    text
);
CREATE INDEX send_attempts_target ON send_attempts (target_id, content_version, attempt);
CREATE INDEX send_attempts_started ON send_attempts (started_at);
