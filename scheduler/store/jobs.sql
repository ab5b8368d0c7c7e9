-- Named queries of the scheduler's job store (store/job_store.cpp). Instants travel as
-- milliseconds since the epoch (bigint) and are converted exactly, without floating point.

-- name: scheduler_mark_seen
INSERT INTO scheduler_commands_seen (envelope_id) VALUES ($1)
ON CONFLICT (envelope_id) DO NOTHING
RETURNING envelope_id;

-- name: scheduler_cancel_job
-- Cancels the pending job of a target: that content version, or any with 0.
UPDATE scheduler_jobs SET state = 'cancelled', updated_at = now()
WHERE target_id = $1 AND state = 'pending' AND ($2::bigint = 0 OR content_version = $2::bigint)
RETURNING content_version, attempt;

-- name: scheduler_find_job
SELECT target_id, content_version, attempt, org_id, platform,
       (extract(epoch FROM due_at) * 1000)::bigint AS due_ms, payload::text, state,
       coalesce(held_scope, '') AS held_scope, missed_at IS NOT NULL AS missed
FROM scheduler_jobs WHERE target_id = $1;

-- name: scheduler_mark_settled
-- $1: [{"t": target_id, "v": content_version, "a": attempt, "s": "dispatched"|"held", "h": scope}],
-- $2: when (ms). Only the still-pending row of exactly that version moves.
UPDATE scheduler_jobs j
SET state = u.s, held_scope = nullif(u.h, ''),
    dispatched_at = timestamptz 'epoch' + $2::bigint * interval '1 millisecond', updated_at = now()
FROM jsonb_to_recordset($1::jsonb) AS u(t text, v bigint, a bigint, s text, h text)
WHERE j.target_id = u.t AND j.content_version = u.v AND j.attempt = u.a AND j.state = 'pending';

-- name: scheduler_pending_page
-- Pending jobs after a target id (keyset paging for the reconciler).
SELECT target_id, content_version, attempt, org_id, platform,
       (extract(epoch FROM due_at) * 1000)::bigint AS due_ms, payload::text
FROM scheduler_jobs
WHERE state = 'pending' AND target_id > $1
ORDER BY target_id
LIMIT $2;

-- name: scheduler_claim_missed
-- Pending jobs due before $1 (ms) not reported yet: marks and returns at most $2 of them.
WITH m AS (
  SELECT target_id FROM scheduler_jobs
  WHERE state = 'pending' AND missed_at IS NULL
    AND due_at < timestamptz 'epoch' + $1::bigint * interval '1 millisecond'
  ORDER BY due_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
UPDATE scheduler_jobs j SET missed_at = now()
FROM m WHERE j.target_id = m.target_id
RETURNING j.target_id, j.content_version, j.attempt, j.org_id, j.platform,
          (extract(epoch FROM j.due_at) * 1000)::bigint AS due_ms;

-- name: scheduler_trim_seen
DELETE FROM scheduler_commands_seen
WHERE seen_at < timestamptz 'epoch' + $1::bigint * interval '1 millisecond';

-- name: scheduler_mark_seen_many
-- $1: a JSON array of envelope ids (distinct); returns those not seen before.
INSERT INTO scheduler_commands_seen (envelope_id)
SELECT jsonb_array_elements_text($1::jsonb)
ON CONFLICT (envelope_id) DO NOTHING
RETURNING envelope_id;

-- name: scheduler_upsert_jobs
-- Upserts jobs of distinct targets: $1: [{"t", "v", "a", "o", "p", "d": due ms, "j": DispatchJob}].
-- A newer (content_version, attempt) replaces the stored job; the same one replaces it only while
-- pending or cancelled (a reschedule); an older one, or the same one once dispatched, is ignored.
-- Returns the targets applied.
INSERT INTO scheduler_jobs (target_id, content_version, attempt, org_id, platform, due_at, payload)
SELECT u.t, u.v, u.a, u.o, u.p, timestamptz 'epoch' + u.d * interval '1 millisecond', u.j
FROM jsonb_to_recordset($1::jsonb) AS u(t text, v bigint, a bigint, o text, p text, d bigint, j jsonb)
ON CONFLICT (target_id) DO UPDATE
SET content_version = EXCLUDED.content_version, attempt = EXCLUDED.attempt, org_id = EXCLUDED.org_id,
    platform = EXCLUDED.platform, due_at = EXCLUDED.due_at, payload = EXCLUDED.payload, state = 'pending',
    dispatched_at = NULL, held_scope = NULL, missed_at = NULL, updated_at = now()
WHERE (EXCLUDED.content_version, EXCLUDED.attempt) > (scheduler_jobs.content_version, scheduler_jobs.attempt)
   OR ((EXCLUDED.content_version, EXCLUDED.attempt) = (scheduler_jobs.content_version, scheduler_jobs.attempt)
       AND scheduler_jobs.state IN ('pending', 'cancelled'))
RETURNING target_id;
