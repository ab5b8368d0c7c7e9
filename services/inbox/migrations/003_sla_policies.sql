-- SLA policies per brand (issue #6, "Work"): a first-response target and an optional resolution
-- target, counted in the brand's business hours when it has them. A brand without a policy has
-- the default first-response target (1 hour, around the clock) and no resolution target.
-- A thread's clocks are set when they start (first message; a new message after resolution
-- restarts the resolution clock) under the policy then in force. Breach alerts are sent once per
-- clock (first_response_alerted_at, resolution_alerted_at), by whichever process sweeps first.

CREATE TABLE inbox_sla_policies (
  brand_id             uuid PRIMARY KEY,
  org_id               uuid NOT NULL,
  first_response_s     int NOT NULL CHECK (first_response_s > 0),
  resolution_s         int CHECK (resolution_s > 0),
  business_hours       jsonb,   -- domain/business_hours.hpp's JSON form; NULL: around the clock
  version              int NOT NULL DEFAULT 1,
  updated_by_label     text NOT NULL DEFAULT '',
  updated_at           timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE inbox_threads
  ADD COLUMN resolution_due timestamptz,
  ADD COLUMN resolved_at timestamptz,
  ADD COLUMN first_response_alerted_at timestamptz,
  ADD COLUMN resolution_alerted_at timestamptz;

-- What the breach sweep reads: only clocks still running and not yet alerted.
CREATE INDEX inbox_threads_first_response_watch ON inbox_threads (first_response_due)
  WHERE first_response_at IS NULL AND first_response_alerted_at IS NULL;
CREATE INDEX inbox_threads_resolution_watch ON inbox_threads (resolution_due)
  WHERE resolved_at IS NULL AND resolution_alerted_at IS NULL AND resolution_due IS NOT NULL;

CREATE OR REPLACE FUNCTION inbox_thread_json(t inbox_threads) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', t.id, 'brand_id', t.brand_id, 'account_id', t.account_id, 'platform', t.platform, 'kind', t.kind,
    'platform_post_id', t.platform_post_id, 'status', t.status, 'pending_reason', t.pending_reason,
    'assignee_id', t.assignee_id, 'priority', t.priority, 'sentiment', t.sentiment, 'crisis', t.crisis,
    'item_count', t.item_count, 'unanswered', t.unanswered,
    'waiting_since', inbox_ts(t.waiting_since),
    'sla', json_build_object(
      'first_response_due', inbox_ts(t.first_response_due),
      'first_response_at', inbox_ts(t.first_response_at),
      'state', CASE WHEN t.first_response_at IS NOT NULL THEN
                      CASE WHEN t.first_response_at <= t.first_response_due THEN 'met' ELSE 'missed' END
                    WHEN t.first_response_due < now() THEN 'breached'
                    WHEN t.first_response_due < now() + interval '15 minutes' THEN 'at_risk'
                    ELSE 'ok' END,
      'resolution_due', inbox_ts(t.resolution_due),
      'resolved_at', inbox_ts(t.resolved_at),
      'resolution_state', CASE WHEN t.resolution_due IS NULL THEN 'none'
                               WHEN t.resolved_at IS NOT NULL THEN
                                 CASE WHEN t.resolved_at <= t.resolution_due THEN 'met' ELSE 'missed' END
                               WHEN t.resolution_due < now() THEN 'breached'
                               WHEN t.resolution_due < now() + interval '1 hour' THEN 'at_risk'
                               ELSE 'ok' END),
    'last_item_at', inbox_ts(t.last_item_at), 'created_at', inbox_ts(t.created_at),
    'updated_at', inbox_ts(t.updated_at), 'version', t.version)::text
$$;
