-- Named queries of the freeze workflow (services/crisis/freezes.cpp). Every query that returns a
-- freeze selects * from the view crisis_freezes_v (migrations/002), in the order freeze_from()
-- reads.

-- name: crisis_freeze_insert
INSERT INTO freezes (org_id, scope_kind, scope_value, brand_id, reason, set_by, set_by_label, set_at, expires_at, epoch)
VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8::double precision / 1000),
        to_timestamp($9::double precision / 1000), $10)
RETURNING id;

-- name: crisis_freeze_get
SELECT * FROM crisis_freezes_v WHERE id = $1 AND org_id = $2;

-- name: crisis_freeze_lock
SELECT * FROM crisis_freezes_v WHERE id = (SELECT id FROM freezes WHERE id = $1 AND org_id = $2 FOR UPDATE);

-- name: crisis_freeze_list
-- $2: only those in force (not lifted, not expired) when true; $3: at most this many, newest first.
SELECT * FROM crisis_freezes_v
WHERE org_id = $1
  AND (NOT $2 OR (lifted_at_ms IS NULL AND (expires_at_ms IS NULL OR expires_at_ms > extract(epoch FROM now()) * 1000)))
ORDER BY set_at_ms DESC, id
LIMIT $3;

-- name: crisis_freeze_acknowledge
UPDATE freezes SET acknowledged_at = to_timestamp($2::double precision / 1000), ack_ms = $3,
                   in_flight_at_ack = $4::jsonb, held_at_ack = $5
WHERE id = $1 AND acknowledged_at IS NULL;

-- name: crisis_freeze_request_lift
UPDATE freezes SET lift_requested_by = $2, lift_requested_label = $3, lift_requested_at = to_timestamp($4::double precision / 1000),
                   lift_reason = $5
WHERE id = $1;

-- name: crisis_freeze_lift
UPDATE freezes SET lifted_by = $2, lifted_by_label = $3, lifted_at = to_timestamp($4::double precision / 1000), lift_epoch = $5
WHERE id = $1 AND lifted_at IS NULL;
