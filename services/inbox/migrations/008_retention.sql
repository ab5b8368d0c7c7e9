-- Privacy (issue #6): how long a brand keeps the messages people sent it. Messages received
-- longer ago than keep_days are purged (with the replies and moderation log that belong to them);
-- a thread left with no message goes too. No row: kept until someone deletes them.

CREATE TABLE inbox_retention (
  brand_id             uuid PRIMARY KEY,
  org_id               uuid NOT NULL,
  keep_days            int NOT NULL CHECK (keep_days BETWEEN 1 AND 3650),
  last_purge_at        timestamptz,
  purged_total         bigint NOT NULL DEFAULT 0,
  updated_by_label     text NOT NULL DEFAULT '',
  updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX inbox_items_by_author ON inbox_items (account_id, author_id) WHERE direction = 'in';
