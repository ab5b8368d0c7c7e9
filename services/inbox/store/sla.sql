-- Named queries of SLA policies and the breach watch (services/inbox/sla.cpp).

-- name: inbox_sla_policy_get
SELECT first_response_s, resolution_s, business_hours::text, version, updated_by_label, inbox_ts(updated_at)
FROM inbox_sla_policies WHERE brand_id = $1;

-- name: inbox_sla_policy_put
-- $6 the version read (NULL: any). No row: the version did not match.
INSERT INTO inbox_sla_policies AS p (brand_id, org_id, first_response_s, resolution_s, business_hours, updated_by_label)
VALUES ($1, $2, $3, $4, $5::jsonb, $7)
ON CONFLICT (brand_id) DO UPDATE
SET first_response_s = EXCLUDED.first_response_s, resolution_s = EXCLUDED.resolution_s,
    business_hours = EXCLUDED.business_hours, updated_by_label = EXCLUDED.updated_by_label, updated_at = now(),
    version = p.version + 1
WHERE $6::int IS NULL OR p.version = $6::int
RETURNING first_response_s, resolution_s, business_hours::text, version, updated_by_label, inbox_ts(updated_at);

-- name: inbox_sla_policy_delete
DELETE FROM inbox_sla_policies WHERE brand_id = $1 AND org_id = $2;

-- name: inbox_sla_first_response_breaches
-- Open or pending threads whose first response is overdue and not reported: marked reported.
WITH due AS (
  SELECT id FROM inbox_threads
  WHERE first_response_at IS NULL AND first_response_alerted_at IS NULL AND first_response_due < now()
    AND status IN ('open', 'pending')
  ORDER BY first_response_due LIMIT $1
  FOR UPDATE SKIP LOCKED
)
UPDATE inbox_threads t SET first_response_alerted_at = now() FROM due WHERE t.id = due.id
RETURNING t.id, t.brand_id::text, t.account_id::text, inbox_ts(t.first_response_due), t.assignee_id::text;

-- name: inbox_sla_resolution_breaches
WITH due AS (
  SELECT id FROM inbox_threads
  WHERE resolved_at IS NULL AND resolution_alerted_at IS NULL AND resolution_due < now()
    AND status IN ('open', 'pending')
  ORDER BY resolution_due LIMIT $1
  FOR UPDATE SKIP LOCKED
)
UPDATE inbox_threads t SET resolution_alerted_at = now() FROM due WHERE t.id = due.id
RETURNING t.id, t.brand_id::text, t.account_id::text, inbox_ts(t.resolution_due), t.assignee_id::text;
