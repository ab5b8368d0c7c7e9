-- Named queries of the publishing store (services/publishing/store/post_store.cpp). Every query
-- that returns a post selects the same columns, in the order post_from() reads them; the same
-- for targets (target_from()) and decisions (decision_from()).

-- name: pub_post_insert
INSERT INTO posts (org_id, brand_id, title, content_type, form, campaign_id, tags, notes, sensitive,
                   crisis_statement, scheduled_at, zone, local_wall, makers, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, to_timestamp($11::double precision / 1000), $12, $13,
        $14::jsonb, $15)
RETURNING id;

-- name: pub_post_get
SELECT id, org_id, brand_id, title, content_type, form, campaign_id, tags::text, notes, sensitive, crisis_statement,
       publishing_ts(scheduled_at), (extract(epoch FROM scheduled_at) * 1000)::bigint, zone, local_wall,
       review_round, makers::text, version, created_by, publishing_ts(created_at), publishing_ts(updated_at)
FROM posts WHERE id = $1 AND org_id = $2;

-- name: pub_post_lock
SELECT id, org_id, brand_id, title, content_type, form, campaign_id, tags::text, notes, sensitive, crisis_statement,
       publishing_ts(scheduled_at), (extract(epoch FROM scheduled_at) * 1000)::bigint, zone, local_wall,
       review_round, makers::text, version, created_by, publishing_ts(created_at), publishing_ts(updated_at)
FROM posts WHERE id = $1 AND org_id = $2 FOR UPDATE;

-- name: pub_post_lock_any
SELECT id, org_id, brand_id, title, content_type, form, campaign_id, tags::text, notes, sensitive, crisis_statement,
       publishing_ts(scheduled_at), (extract(epoch FROM scheduled_at) * 1000)::bigint, zone, local_wall,
       review_round, makers::text, version, created_by, publishing_ts(created_at), publishing_ts(updated_at)
FROM posts WHERE id = $1 FOR UPDATE;

-- name: pub_post_update
-- Writes every editable field and bumps the version (the ETag).
UPDATE posts SET title = $2, content_type = $3, form = $4, campaign_id = $5, tags = $6::jsonb, notes = $7,
                 sensitive = $8, crisis_statement = $9, scheduled_at = to_timestamp($10::double precision / 1000),
                 zone = $11, local_wall = $12, review_round = $13, makers = $14::jsonb,
                 version = version + 1, updated_at = now()
WHERE id = $1
RETURNING version;

-- name: pub_post_list
-- The calendar: posts in [from, to) by planned slot (no range: every post, unscheduled ones last),
-- filtered, in (slot, id) order after the cursor; each with its targets' states (for the
-- calendar's colours and held marks).
SELECT id, org_id, brand_id, title, content_type, form, campaign_id, tags::text, notes, sensitive, crisis_statement,
       publishing_ts(scheduled_at), (extract(epoch FROM scheduled_at) * 1000)::bigint, zone, local_wall,
       review_round, makers::text, version, created_by, publishing_ts(created_at), publishing_ts(updated_at), sk,
       (SELECT COALESCE(json_agg(json_build_object('id', t.id, 'account_id', t.account_id, 'platform', t.platform,
                                                   'state', t.state) ORDER BY t.seq), '[]')::text
        FROM post_targets t WHERE t.post_id = p.id)
FROM (SELECT p.*, COALESCE((extract(epoch FROM p.scheduled_at) * 1000)::bigint, 9223372036854775807) AS sk
      FROM posts p) p
WHERE org_id = $1
  AND ($2::bigint IS NULL OR scheduled_at >= to_timestamp($2::double precision / 1000))
  AND ($3::bigint IS NULL OR scheduled_at < to_timestamp($3::double precision / 1000))
  AND ($4::uuid IS NULL OR brand_id = $4)
  AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.account_id = $5))
  AND ($6::uuid IS NULL OR campaign_id = $6)
  AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.state = $7))
  AND ($8::text IS NULL OR tags ? $8)
  AND ($9::bigint IS NULL OR (sk, id) > ($9, $10::uuid))
ORDER BY sk, id
LIMIT $11;

-- name: pub_target_insert
WITH fresh AS (SELECT gen_random_uuid() AS id)
INSERT INTO post_targets (id, post_id, org_id, brand_id, account_id, platform, text, media, link, hashtags,
                          first_comment, thread, marker)
SELECT fresh.id, $1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10, $11::jsonb,
       'hr' || replace(fresh.id::text, '-', '')
FROM fresh
RETURNING id;

-- name: pub_targets_of
SELECT id, post_id, org_id, brand_id, account_id, platform, text, media::text, link, hashtags::text, first_comment,
       thread::text, state, content_version, approved_version, marker, attempt, platform_post_id, url,
       first_comment_id, last_error, last_error_class, publishing_ts(created_at), publishing_ts(updated_at)
FROM post_targets WHERE post_id = $1 ORDER BY seq;

-- name: pub_targets_lock
SELECT id, post_id, org_id, brand_id, account_id, platform, text, media::text, link, hashtags::text, first_comment,
       thread::text, state, content_version, approved_version, marker, attempt, platform_post_id, url,
       first_comment_id, last_error, last_error_class, publishing_ts(created_at), publishing_ts(updated_at)
FROM post_targets WHERE post_id = $1 ORDER BY seq FOR UPDATE;

-- name: pub_target_post
SELECT post_id FROM post_targets WHERE id = $1;

-- name: pub_target_content
UPDATE post_targets SET text = $2, media = $3::jsonb, link = $4, hashtags = $5::jsonb, first_comment = $6,
                        thread = $7::jsonb, updated_at = now()
WHERE id = $1;

-- name: pub_target_cas
-- The lifecycle as a compare-and-set: applies only when the stored state is still $2.
UPDATE post_targets SET state = $3, content_version = $4, approved_version = $5, attempt = $6, updated_at = now()
WHERE id = $1 AND state = $2
RETURNING id;

-- name: pub_target_published
UPDATE post_targets SET platform_post_id = $2, url = $3, first_comment_id = $4, last_error = NULL,
                        last_error_class = NULL, updated_at = now()
WHERE id = $1;

-- name: pub_target_error
UPDATE post_targets SET last_error = $2, last_error_class = $3, updated_at = now() WHERE id = $1;

-- name: pub_transition_insert
INSERT INTO post_transitions (post_id, target_id, from_state, to_state, event, actor, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb);

-- name: pub_transitions_of
SELECT target_id, from_state, to_state, event, actor, detail::text, publishing_ts(at)
FROM post_transitions WHERE post_id = $1 ORDER BY id;

-- name: pub_decision_insert
INSERT INTO post_decisions (post_id, round, stage, verdict, reason, approver_id, approver_label, approver_role,
                            approver_department, approver_admin, decided_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11))
RETURNING id;

-- name: pub_decisions_of
-- $2 NULL: every round.
SELECT id, round, stage, verdict, reason, approver_id, approver_label, approver_role, approver_department,
       approver_admin, extract(epoch FROM decided_at)::bigint, publishing_ts(decided_at)
FROM post_decisions WHERE post_id = $1 AND ($2::bigint IS NULL OR round = $2) ORDER BY id;

-- name: pub_version_insert
INSERT INTO post_versions (post_id, version, snapshot, changed_by) VALUES ($1, $2, $3::jsonb, $4)
ON CONFLICT (post_id, version) DO NOTHING;

-- name: pub_versions_of
SELECT version, snapshot::text, changed_by, publishing_ts(created_at) FROM post_versions
WHERE post_id = $1 ORDER BY version;

-- name: pub_outbox_insert
INSERT INTO publishing_outbox (stream, type, target_id, payload) VALUES ($1, $2, $3, $4) RETURNING id;

-- name: pub_outbox_batch
SELECT id, stream, payload FROM publishing_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED;

-- name: pub_outbox_delete
DELETE FROM publishing_outbox WHERE id = $1;

-- name: pub_processed_insert
INSERT INTO publishing_processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id;

-- name: pub_review_expiry_candidates
-- Posts with a target in review whose slot is near or past (the policy decides the deadline).
SELECT DISTINCT p.id FROM posts p JOIN post_targets t ON t.post_id = p.id
WHERE t.state = 'IN_REVIEW' AND p.scheduled_at IS NOT NULL
  AND p.scheduled_at <= to_timestamp($1::double precision / 1000)
LIMIT $2;
