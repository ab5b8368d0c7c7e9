-- Named queries of the inbox reports (services/inbox/reports.cpp). Every one takes $1 org,
-- $2 brand ids (uuid[]), $3 from and $4 to (timestamptz, [from, to)).

-- name: inbox_report_brands
-- Threads opened in the period, per brand: first-response times (from the thread's opening) and
-- both SLA clocks' outcomes so far.
SELECT t.brand_id::text, count(*), count(t.first_response_at),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_response_at - t.created_at))
         FILTER (WHERE t.first_response_at IS NOT NULL),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_response_at - t.created_at))
         FILTER (WHERE t.first_response_at IS NOT NULL),
       count(*) FILTER (WHERE t.first_response_at <= t.first_response_due),
       count(*) FILTER (WHERE t.first_response_at > t.first_response_due
                          OR (t.first_response_at IS NULL AND t.first_response_due < now())),
       count(t.resolved_at),
       count(*) FILTER (WHERE t.resolution_due IS NOT NULL AND t.resolved_at <= t.resolution_due),
       count(*) FILTER (WHERE t.resolution_due IS NOT NULL
                          AND (t.resolved_at > t.resolution_due OR (t.resolved_at IS NULL AND t.resolution_due < now())))
FROM inbox_threads t
WHERE t.org_id = $1 AND t.brand_id = ANY ($2::uuid[]) AND t.created_at >= $3 AND t.created_at < $4
GROUP BY t.brand_id ORDER BY t.brand_id;

-- name: inbox_report_agents
-- Per person: the replies they wrote in the period, and the threads (opened in the period) whose
-- first reply was theirs, with how fast and whether within the first-response target.
WITH firsts AS (
  SELECT DISTINCT ON (r.thread_id) r.thread_id, r.author_user_id, r.created_at
  FROM inbox_replies r JOIN inbox_threads t ON t.id = r.thread_id
  WHERE t.org_id = $1 AND t.brand_id = ANY ($2::uuid[]) AND t.created_at >= $3 AND t.created_at < $4
    AND NOT r.automated
  ORDER BY r.thread_id, r.id
), firsts_by AS (
  SELECT f.author_user_id, count(*) AS n,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.created_at - t.created_at)) AS median_s,
         count(*) FILTER (WHERE f.created_at <= t.first_response_due) AS met
  FROM firsts f JOIN inbox_threads t ON t.id = f.thread_id GROUP BY f.author_user_id
), replies_by AS (
  SELECT r.author_user_id, max(r.author_label) AS label, count(*) AS n,
         count(*) FILTER (WHERE r.status = 'sent') AS sent
  FROM inbox_replies r JOIN inbox_threads t ON t.id = r.thread_id
  WHERE r.org_id = $1 AND t.brand_id = ANY ($2::uuid[]) AND r.created_at >= $3 AND r.created_at < $4
    AND NOT r.automated AND r.author_user_id IS NOT NULL
  GROUP BY r.author_user_id
)
SELECT rb.author_user_id::text, rb.label, rb.n, rb.sent, coalesce(fb.n, 0), fb.median_s, coalesce(fb.met, 0)
FROM replies_by rb LEFT JOIN firsts_by fb ON fb.author_user_id = rb.author_user_id
ORDER BY rb.n DESC, rb.author_user_id;

-- name: inbox_report_days
-- Inbound messages per day (UTC) of the period: all, complaints, negative.
SELECT to_char(date_trunc('day', i.received_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'), count(*),
       count(*) FILTER (WHERE i.category = 'complaint'), count(*) FILTER (WHERE i.sentiment = 'negative')
FROM inbox_items i JOIN inbox_threads t ON t.id = i.thread_id
WHERE i.org_id = $1 AND i.direction = 'in' AND t.brand_id = ANY ($2::uuid[]) AND i.received_at >= $3 AND i.received_at < $4
GROUP BY 1 ORDER BY 1;

-- name: inbox_report_categories
SELECT i.category, count(*)
FROM inbox_items i JOIN inbox_threads t ON t.id = i.thread_id
WHERE i.org_id = $1 AND i.direction = 'in' AND t.brand_id = ANY ($2::uuid[]) AND i.received_at >= $3 AND i.received_at < $4
GROUP BY 1 ORDER BY 2 DESC, 1;

-- name: inbox_report_texts
-- The latest inbound messages of the period (at most $5), for the frequent words.
SELECT i.body
FROM inbox_items i JOIN inbox_threads t ON t.id = i.thread_id
WHERE i.org_id = $1 AND i.direction = 'in' AND t.brand_id = ANY ($2::uuid[]) AND i.received_at >= $3 AND i.received_at < $4
ORDER BY i.received_at DESC LIMIT $5;

-- name: inbox_report_all_brands
-- An administrator's report: every brand of the organization that has threads.
SELECT DISTINCT brand_id::text FROM inbox_threads WHERE org_id = $1;
