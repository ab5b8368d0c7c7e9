-- Named queries of the inbox (services/inbox/ingest.cpp, inbox.cpp, replies.cpp).

-- name: inbox_threads_upsert_many
-- The threads of one delivery's items (distinct (kind, thread key)s, in a stable order so that
-- concurrent deliveries lock them in the same order): created on first sight, else found
-- (unchanged: only new items, inbox_threads_took_items, change them). Returns id, kind, key, and
-- whether this delivery opened it.
-- $1 org, $2 brand, $3 account, $4 platform, $5 kinds, $6 thread keys, $7 post ids, $8 priorities,
-- $9 sentiments, $10 when the first response is due and $11 the resolution (Unix seconds; the
-- brand's SLA policy in its business hours, services/inbox/sla.cpp; $11 NULL: no target)
INSERT INTO inbox_threads AS t (org_id, brand_id, account_id, platform, kind, thread_key, platform_post_id,
                                priority, sentiment, crisis, item_count, unanswered, waiting_since,
                                first_response_due, resolution_due, last_item_at)
SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, u.kind, u.thread_key, u.post_id, u.priority, u.sentiment, false,
       0, 0, now(), to_timestamp($10::double precision), to_timestamp($11::double precision), now()
FROM unnest($5::text[], $6::text[], $7::text[], $8::int[], $9::text[]) WITH ORDINALITY
     AS u(kind, thread_key, post_id, priority, sentiment, n)
ORDER BY u.n
ON CONFLICT (account_id, kind, thread_key) DO UPDATE SET thread_key = EXCLUDED.thread_key
RETURNING id, kind, thread_key, (xmax = 0) AS created;

-- name: inbox_items_insert_many
-- One delivery's inbound items in their order; nothing for an item known already (redelivery,
-- re-poll, or twice in the same delivery). Returns the platform ids stored.
-- $1 org, $2 account, then one array per column.
INSERT INTO inbox_items (thread_id, org_id, account_id, direction, kind, platform_item_id, platform_post_id,
                         parent_id, conversation_id, author_id, author_handle, author_name, author_verified, body,
                         created_at, language, sentiment, sentiment_score, category, priority)
SELECT u.thread_id, $1::uuid, $2::uuid, 'in', u.kind, u.item_id, u.post_id, u.parent_id, u.conversation_id,
       u.author_id, u.author_handle, u.author_name, u.author_verified, u.body, to_timestamp(u.created_at),
       u.language, u.sentiment, u.sentiment_score, u.category, u.priority
FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
            $11::text[], $12::boolean[], $13::text[], $14::bigint[], $15::text[], $16::text[], $17::real[],
            $18::text[], $19::int[]) WITH ORDINALITY
     AS u(thread_id, kind, item_id, post_id, parent_id, conversation_id, author_id, author_handle, author_name,
          author_verified, body, created_at, language, sentiment, sentiment_score, category, priority, n)
ORDER BY u.n
ON CONFLICT (account_id, platform_item_id) DO NOTHING
RETURNING platform_item_id;

-- name: inbox_threads_took_items
-- New inbound items in threads, one row per thread: $1 thread ids, $2 how many new items, $3 their
-- highest priority, $4 the last one's sentiment, $5 crisis, $6 when a first response is due and
-- $7 a resolution (Unix seconds, as computed for now; $7 NULL: no target). The same as taking
-- them one by one: counts, priority, sentiment and the SLA clocks; a resolved or closed thread
-- reopens with a new resolution clock.
UPDATE inbox_threads t
SET item_count = t.item_count + u.n,
    unanswered = t.unanswered + u.n,
    priority = CASE WHEN t.unanswered = 0 THEN u.priority ELSE greatest(t.priority, u.priority) END,
    sentiment = u.sentiment,
    crisis = t.crisis OR $5::boolean,
    waiting_since = coalesce(t.waiting_since, now()),
    first_response_due = CASE WHEN t.first_response_at IS NULL
                              THEN coalesce(t.first_response_due, to_timestamp($6::double precision))
                              ELSE t.first_response_due END,
    resolution_due = CASE WHEN t.status IN ('resolved', 'closed') THEN to_timestamp($7::double precision)
                          ELSE coalesce(t.resolution_due, to_timestamp($7::double precision)) END,
    resolved_at = CASE WHEN t.status IN ('resolved', 'closed') THEN NULL ELSE t.resolved_at END,
    resolution_alerted_at = CASE WHEN t.status IN ('resolved', 'closed') THEN NULL ELSE t.resolution_alerted_at END,
    status = CASE WHEN t.status IN ('resolved', 'closed') THEN 'open' ELSE t.status END,
    last_item_at = now(),
    updated_at = now(),
    version = t.version + 1
FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[]) AS u(id, n, priority, sentiment)
WHERE t.id = u.id
RETURNING inbox_thread_json(t);

-- name: inbox_threads_list
-- $1 org, $2 readable brands (NULL: every brand), $3 readable accounts, $4 brand, $5 account,
-- $6 platform, $7 status, $8 kind, $9 assignee ('' none, NULL any), $10 sort ('priority' | 'recent'),
-- $11 cursor priority, $12 cursor id, $13 limit, $14 sla ('breached' | 'at_risk' | NULL: either
-- clock, first response or resolution, of a thread still open or pending)
SELECT inbox_thread_json(t), t.priority, t.id
FROM inbox_threads t
WHERE t.org_id = $1
  AND ($2::uuid[] IS NULL OR t.brand_id = ANY ($2::uuid[]) OR t.account_id = ANY ($3::uuid[]))
  AND ($4::uuid IS NULL OR t.brand_id = $4)
  AND ($5::uuid IS NULL OR t.account_id = $5)
  AND ($6::text IS NULL OR t.platform = $6)
  AND ($7::text IS NULL OR t.status = $7)
  AND ($8::text IS NULL OR t.kind = $8)
  AND ($9::text IS NULL OR ($9 = '' AND t.assignee_id IS NULL) OR t.assignee_id = nullif($9, '')::uuid)
  AND ($14::text IS NULL
       OR (t.status IN ('open', 'pending') AND $14 = 'breached' AND ((t.first_response_at IS NULL AND t.first_response_due < now())
                                 OR (t.resolved_at IS NULL AND t.resolution_due < now())))
       OR (t.status IN ('open', 'pending') AND $14 = 'at_risk' AND ((t.first_response_at IS NULL AND t.first_response_due >= now()
                                 AND t.first_response_due < now() + interval '15 minutes')
                                OR (t.resolved_at IS NULL AND t.resolution_due >= now()
                                    AND t.resolution_due < now() + interval '1 hour'))))
  AND ($12::bigint IS NULL
       OR ($10 = 'recent' AND t.id < $12)
       OR ($10 <> 'recent' AND (t.priority, t.id) < ($11::int, $12::bigint)))
ORDER BY CASE WHEN $10 = 'recent' THEN 0 ELSE t.priority END DESC, t.id DESC
LIMIT $13;

-- name: inbox_thread_lock
-- The thread's row, locked until the end of the transaction (a reply that checks the version the
-- writer saw: two agents answering at once are taken one after the other). Returns its version.
SELECT version FROM inbox_threads WHERE id = $1 FOR UPDATE;

-- name: inbox_thread_get
SELECT inbox_thread_json(t), t.brand_id::text, t.account_id::text, t.version FROM inbox_threads t
WHERE t.id = $1 AND t.org_id = $2;

-- name: inbox_thread_items
SELECT json_build_object(
  'id', i.id, 'direction', i.direction, 'kind', i.kind, 'platform_item_id', i.platform_item_id,
  'platform_post_id', i.platform_post_id, 'parent_id', i.parent_id, 'conversation_id', i.conversation_id,
  'author', json_build_object('id', i.author_id, 'handle', i.author_handle, 'name', i.author_name,
                              'verified', i.author_verified),
  'text', i.body, 'created_at', inbox_ts(i.created_at), 'received_at', inbox_ts(i.received_at),
  'language', i.language, 'sentiment', i.sentiment, 'sentiment_score', i.sentiment_score,
  'category', i.category, 'priority', i.priority, 'moderation', nullif(i.moderation, ''))::text
FROM inbox_items i WHERE i.thread_id = $1 ORDER BY i.created_at, i.id LIMIT 500;

-- name: inbox_thread_replies
SELECT inbox_reply_json(r) FROM inbox_replies r WHERE r.thread_id = $1 ORDER BY r.id LIMIT 500;

-- name: inbox_thread_notes
SELECT json_build_object('id', n.id, 'author_user_id', n.author_user_id, 'author', n.author_label,
                         'text', n.body, 'created_at', inbox_ts(n.created_at))::text
FROM inbox_notes n WHERE n.thread_id = $1 ORDER BY n.id LIMIT 500;

-- name: inbox_thread_assign
-- $3: the assignee (NULL: unassigned); $4 the version the caller read (NULL: any)
UPDATE inbox_threads SET assignee_id = $3, updated_at = now(), version = version + 1
WHERE id = $1 AND org_id = $2 AND ($4::int IS NULL OR version = $4)
RETURNING inbox_thread_json(inbox_threads);

-- name: inbox_thread_status
-- Resolving or closing stops the resolution clock; opening again lets it run on from where it was.
UPDATE inbox_threads SET status = $3, pending_reason = $4, updated_at = now(), version = version + 1,
       resolved_at = CASE WHEN $3 IN ('resolved', 'closed') THEN coalesce(resolved_at, now()) END
WHERE id = $1 AND org_id = $2 AND ($5::int IS NULL OR version = $5)
RETURNING inbox_thread_json(inbox_threads);

-- name: inbox_note_insert
INSERT INTO inbox_notes (thread_id, author_user_id, author_label, body) VALUES ($1, $2, $3, $4)
RETURNING json_build_object('id', id, 'author_user_id', author_user_id, 'author', author_label,
                            'text', body, 'created_at', inbox_ts(created_at))::text;

-- name: inbox_item_of_thread
SELECT i.id FROM inbox_items i WHERE i.id = $1 AND i.thread_id = $2 AND i.direction = 'in';

-- name: inbox_last_inbound_item
SELECT i.id FROM inbox_items i WHERE i.thread_id = $1 AND i.direction = 'in' ORDER BY i.created_at DESC, i.id DESC
LIMIT 1;

-- name: inbox_reply_insert
-- A reply, $9 'queued' or 'pending_approval'; a queued one answers the thread: it stops its
-- first-response clock and its unanswered count (an approved one does when it is approved).
WITH r AS (
  INSERT INTO inbox_replies (thread_id, item_id, org_id, author_user_id, author_label, body, private, automated, status)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  RETURNING *
), t AS (
  UPDATE inbox_threads SET first_response_at = coalesce(first_response_at, now()), unanswered = 0,
                           waiting_since = NULL, updated_at = now(), version = version + 1
  WHERE id = $1 AND $9 = 'queued'
)
SELECT inbox_reply_json(r) FROM r;

-- name: inbox_replies_claim
-- Due replies for the sender, locked so that two senders never take the same one. While a reply
-- is 'sending', next_attempt_at holds when it was claimed (inbox_replies_stuck reads it).
UPDATE inbox_replies SET status = 'sending', attempts = attempts + 1, next_attempt_at = now()
WHERE id IN (SELECT id FROM inbox_replies WHERE status = 'queued' AND next_attempt_at <= now()
             ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
RETURNING id, thread_id, attempts;

-- name: inbox_reply_context
-- What the sender needs: the reply, the thread's scope and the answered item.
SELECT r.id, r.body, r.private, r.automated, r.org_id::text, t.brand_id::text, t.account_id::text, t.platform,
       i.kind, i.platform_item_id, i.platform_post_id, i.parent_id, i.conversation_id, i.author_id, i.author_handle
FROM inbox_replies r JOIN inbox_threads t ON t.id = r.thread_id JOIN inbox_items i ON i.id = r.item_id
WHERE r.id = $1;

-- name: inbox_reply_settle
-- $2 status, $3 platform reply id, $4 error, $5 retry in seconds (queued only)
UPDATE inbox_replies
SET status = $2, platform_reply_id = $3, error = $4,
    sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END,
    next_attempt_at = CASE WHEN $2 = 'queued' THEN now() + make_interval(secs => $5) ELSE next_attempt_at END
WHERE id = $1
RETURNING inbox_reply_json(inbox_replies), thread_id;

-- name: inbox_reply_outbound_item
-- The sent reply as an outbound item of its thread (a later delivery of the same id changes nothing).
INSERT INTO inbox_items (thread_id, org_id, account_id, direction, kind, platform_item_id, parent_id, body,
                         created_at)
SELECT r.thread_id, r.org_id, t.account_id, 'out', t.kind, $2, i.platform_item_id, r.body, now()
FROM inbox_replies r JOIN inbox_threads t ON t.id = r.thread_id JOIN inbox_items i ON i.id = r.item_id
WHERE r.id = $1
ON CONFLICT (account_id, platform_item_id) DO NOTHING;

-- name: inbox_replies_stuck
-- Replies left 'sending' (claimed more than $1 seconds ago) by a sender that died: their outcome
-- is unknown, never resent blindly.
UPDATE inbox_replies SET status = 'unknown', error = 'the sender stopped during the send'
WHERE status = 'sending' AND next_attempt_at < now() - make_interval(secs => $1)
RETURNING id;
