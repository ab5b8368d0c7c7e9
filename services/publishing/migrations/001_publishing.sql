-- Posts, their targets (one per post x account), review decisions, content snapshots, the
-- outbox of scheduler commands and the ids of the pipeline events already applied.
-- org_id, brand_id and account_id refer to other modules' rows (gateway, accounts): this module
-- checks them through contracts/, not with foreign keys into another module's tables.
CREATE FUNCTION publishing_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE TABLE posts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id           uuid NOT NULL,
  brand_id         uuid NOT NULL,
  title            text NOT NULL DEFAULT '',
  content_type     text NOT NULL
                   CHECK (content_type IN ('news', 'knowledge', 'interactive', 'case_story', 'user_feedback')),
  form             text NOT NULL
                   CHECK (form IN ('image_text', 'short_video', 'live', 'interactive', 'illustrated_story',
                                   'platform_native')),
  campaign_id      uuid,
  tags             jsonb NOT NULL DEFAULT '[]'::jsonb,
  notes            text NOT NULL DEFAULT '',
  sensitive        boolean NOT NULL DEFAULT false,
  crisis_statement boolean NOT NULL DEFAULT false,
  -- The planned slot (DESIGN.md section 6): the UTC instant, the IANA zone and the local wall
  -- time the user meant ("2026-03-29T09:00:00").
  scheduled_at     timestamptz,
  zone             text,
  local_wall       text,
  -- The current review round (approval_policy.hpp): a new one at every submit and every edit.
  review_round     bigint NOT NULL DEFAULT 0,
  -- User ids of the author and of everyone who edited the content (maker is never checker).
  makers           jsonb NOT NULL DEFAULT '[]'::jsonb,
  version          integer NOT NULL DEFAULT 1,
  created_by       uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((scheduled_at IS NULL) = (zone IS NULL))
);
CREATE INDEX posts_calendar ON posts (org_id, brand_id, scheduled_at, id);
CREATE INDEX posts_campaign ON posts (org_id, campaign_id) WHERE campaign_id IS NOT NULL;

CREATE TABLE post_targets (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq              bigserial NOT NULL,  -- the order the variants were given in
  post_id          uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  org_id           uuid NOT NULL,
  brand_id         uuid NOT NULL,
  account_id       uuid NOT NULL,
  platform         text NOT NULL,
  text             text NOT NULL DEFAULT '',
  media            jsonb NOT NULL DEFAULT '[]'::jsonb,
  link             text,
  hashtags         jsonb NOT NULL DEFAULT '[]'::jsonb,
  first_comment    text,
  thread           jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- lifecycle.hpp's spelling; changed only as a compare-and-set on the previous state.
  state            text NOT NULL DEFAULT 'DRAFT'
                   CHECK (state IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'SCHEDULED', 'DISPATCHED', 'SENDING',
                                    'PUBLISHED', 'FAILED', 'UNKNOWN', 'HELD', 'EXPIRED', 'CANCELLED')),
  content_version  bigint NOT NULL DEFAULT 1,
  approved_version bigint,
  marker           text NOT NULL,
  attempt          integer NOT NULL DEFAULT 1,
  platform_post_id text,
  url              text,
  first_comment_id text,
  last_error       text,
  last_error_class text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, account_id),
  -- The invariant on the row itself: nothing on its way to a platform without a current approval.
  CHECK (state NOT IN ('SCHEDULED', 'DISPATCHED', 'SENDING') OR COALESCE(approved_version = content_version, false))
);
CREATE INDEX post_targets_account ON post_targets (org_id, account_id);
CREATE INDEX post_targets_review ON post_targets (state) WHERE state = 'IN_REVIEW';

CREATE TABLE post_decisions (
  id                  bigserial PRIMARY KEY,
  post_id             uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  round               bigint NOT NULL,
  stage               text NOT NULL,
  verdict             text NOT NULL CHECK (verdict IN ('approve', 'reject')),
  reason              text NOT NULL DEFAULT '',
  approver_id         uuid NOT NULL,
  approver_label      text NOT NULL DEFAULT '',
  approver_role       text NOT NULL DEFAULT '',
  approver_department text NOT NULL DEFAULT '',
  approver_admin      boolean NOT NULL DEFAULT false,
  decided_at          timestamptz NOT NULL,
  CHECK (verdict = 'approve' OR reason <> '')
);
CREATE INDEX post_decisions_post ON post_decisions (post_id, round, id);

-- One snapshot of the post and its variants per version (history, and what was approved).
CREATE TABLE post_versions (
  post_id     uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  version     integer NOT NULL,
  snapshot    jsonb NOT NULL,
  changed_by  text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, version)
);

-- Every accepted state change of a target (history; the lifecycle event and who or what sent it).
CREATE TABLE post_transitions (
  id          bigserial PRIMARY KEY,
  post_id     uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  target_id   uuid NOT NULL,
  from_state  text NOT NULL,
  to_state    text NOT NULL,
  event       text NOT NULL,
  actor       text NOT NULL DEFAULT '',
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_transitions_post ON post_transitions (post_id, id);

-- Scheduler commands written in the same transaction as the state change; the relay XADDs them
-- (in id order) and deletes them.
CREATE TABLE publishing_outbox (
  id          bigserial PRIMARY KEY,
  stream      text NOT NULL,
  type        text NOT NULL,
  target_id   uuid,
  payload     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Envelope ids of publishing_events entries already applied (the consumer is idempotent on id).
CREATE TABLE publishing_processed_events (
  event_id     text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
