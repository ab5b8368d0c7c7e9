-- The lockdown switch's workflow (DESIGN.md section 5): who set a freeze and the brand it is
-- bound to (brand and account scopes), its acknowledgement (when, how long it took, the sends
-- already in flight at that instant), and lifting as a request plus an approval by someone else.
ALTER TABLE freezes
  ADD COLUMN brand_id             uuid,            -- brand and account scopes: the brand (permissions, live updates)
  ADD COLUMN set_by_label         text NOT NULL DEFAULT '',
  ADD COLUMN acknowledged_at      timestamptz,
  ADD COLUMN ack_ms               double precision, -- from the request to the fence raised in Redis
  ADD COLUMN in_flight_at_ack     jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN held_at_ack          bigint,           -- targets the scope held at the acknowledgement
  ADD COLUMN lift_requested_by    uuid,
  ADD COLUMN lift_requested_label text,
  ADD COLUMN lift_requested_at    timestamptz,
  ADD COLUMN lift_reason          text,
  ADD COLUMN lifted_by_label      text,
  ADD COLUMN lift_epoch           bigint,
  ADD CONSTRAINT freezes_reason_given CHECK (btrim(reason) <> ''),
  ADD CONSTRAINT freezes_lift_needs_request CHECK (lifted_at IS NULL OR lifted_by IS NULL OR lift_requested_by IS NOT NULL),
  ADD CONSTRAINT freezes_lift_by_another CHECK (lifted_by IS NULL OR
                                                (lifted_by <> lift_requested_by AND lifted_by IS DISTINCT FROM set_by));

CREATE INDEX freezes_org_recent ON freezes (org_id, set_at DESC, id);

CREATE FUNCTION crisis_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- A freeze as services/crisis/freezes.cpp reads it: freeze_from() takes these columns, in this
-- order (the queries select * from this view).
CREATE VIEW crisis_freezes_v AS
SELECT id, org_id, scope_kind, scope_value, coalesce(brand_id::text, '') AS brand_id, reason,
       coalesce(set_by::text, '') AS set_by, set_by_label, (extract(epoch FROM set_at) * 1000)::bigint AS set_at_ms,
       (extract(epoch FROM expires_at) * 1000)::bigint AS expires_at_ms, epoch,
       (extract(epoch FROM acknowledged_at) * 1000)::bigint AS acknowledged_at_ms, ack_ms,
       in_flight_at_ack::text AS in_flight_at_ack, held_at_ack,
       coalesce(lift_requested_by::text, '') AS lift_requested_by,
       coalesce(lift_requested_label, '') AS lift_requested_label,
       (extract(epoch FROM lift_requested_at) * 1000)::bigint AS lift_requested_at_ms,
       coalesce(lift_reason, '') AS lift_reason, coalesce(lifted_by::text, '') AS lifted_by,
       coalesce(lifted_by_label, '') AS lifted_by_label, (extract(epoch FROM lifted_at) * 1000)::bigint AS lifted_at_ms
FROM freezes;
