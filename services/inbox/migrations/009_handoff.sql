-- Comment -> DM handoff (issue #6, "Respond"): when an agent answers a comment privately, the
-- conversation that follows in direct messages is linked to the comment's thread, both ways,
-- whichever comes first (the DM thread may exist already or open later). inbox_handoffs remembers
-- the last comment thread handed over per account and person.

ALTER TABLE inbox_threads ADD COLUMN linked_thread_id bigint REFERENCES inbox_threads (id) ON DELETE SET NULL;

CREATE TABLE inbox_handoffs (
  account_id           uuid NOT NULL,
  author_id            text NOT NULL,
  from_thread_id       bigint NOT NULL REFERENCES inbox_threads (id) ON DELETE CASCADE,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, author_id)
);

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
    'updated_at', inbox_ts(t.updated_at), 'version', t.version, 'linked_thread_id', t.linked_thread_id)::text
$$;
