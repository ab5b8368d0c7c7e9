-- Polling (issue #6, "Ingest"): per connected account and kind, the cursor of the platform's list
-- of comments, mentions or messages, and when to read it next. A row is made when the poller
-- first sees the account (due at once: that first read, with no cursor, is the backfill of the
-- most recent page); a kind the platform cannot list is looked at again a day later.

CREATE TABLE inbox_poll_state (
  account_id           uuid NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('comment', 'mention', 'dm')),
  org_id               uuid NOT NULL,
  brand_id             uuid NOT NULL,
  platform             text NOT NULL,
  cursor               text NOT NULL DEFAULT '',
  next_poll_at         timestamptz NOT NULL DEFAULT now(),
  polls                int NOT NULL DEFAULT 0,
  items_seen           bigint NOT NULL DEFAULT 0,
  items_stored         bigint NOT NULL DEFAULT 0,
  last_polled_at       timestamptz,
  last_error           text NOT NULL DEFAULT '',
  unsupported          boolean NOT NULL DEFAULT false,
  PRIMARY KEY (account_id, kind)
);
CREATE INDEX inbox_poll_state_due ON inbox_poll_state (next_poll_at);
