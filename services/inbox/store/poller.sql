-- Named queries of the inbox poller (services/inbox/poller.cpp).

-- name: inbox_poll_known
-- Which of these accounts ($1 uuid[]) have state rows already.
SELECT DISTINCT account_id::text FROM inbox_poll_state WHERE account_id = ANY ($1::uuid[]);

-- name: inbox_poll_add
-- A newly seen account's three kinds, due now (the backfill).
INSERT INTO inbox_poll_state (account_id, kind, org_id, brand_id, platform)
SELECT $1::uuid, k, $2::uuid, $3::uuid, $4 FROM unnest(ARRAY['comment', 'mention', 'dm']) AS k
ON CONFLICT (account_id, kind) DO NOTHING;

-- name: inbox_poll_claim
-- What is due, taken for $2 seconds (a poller that dies frees it then): two pollers never read
-- the same account and kind at once.
WITH due AS (
  SELECT account_id, kind FROM inbox_poll_state WHERE next_poll_at <= now()
  ORDER BY next_poll_at LIMIT $1 FOR UPDATE SKIP LOCKED
)
UPDATE inbox_poll_state s SET next_poll_at = now() + make_interval(secs => $2::double precision)
FROM due WHERE s.account_id = due.account_id AND s.kind = due.kind
RETURNING s.account_id::text, s.kind, s.cursor, s.platform, s.org_id::text;

-- name: inbox_poll_done
-- $3 the new cursor, $4 items read, $5 items stored, $6 error ('' none), $7 unsupported,
-- $8 seconds until the next read.
UPDATE inbox_poll_state
SET cursor = $3, polls = polls + 1, items_seen = items_seen + $4, items_stored = items_stored + $5,
    last_error = $6, unsupported = $7, last_polled_at = now(),
    next_poll_at = now() + make_interval(secs => $8::double precision)
WHERE account_id = $1 AND kind = $2;

-- name: inbox_poll_gone
-- Accounts no longer connected stop being polled.
DELETE FROM inbox_poll_state WHERE NOT (account_id = ANY ($1::uuid[]));

-- name: inbox_poll_list
-- The state of one organization's accounts ($2 brand ids uuid[], NULL: all).
SELECT account_id::text, brand_id::text, platform, kind, cursor <> '', polls, items_seen, items_stored,
       inbox_ts(last_polled_at), inbox_ts(next_poll_at), last_error, unsupported
FROM inbox_poll_state WHERE org_id = $1 AND ($2::uuid[] IS NULL OR brand_id = ANY ($2::uuid[]))
ORDER BY brand_id, account_id, kind;
