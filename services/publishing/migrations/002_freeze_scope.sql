-- Whether a target falls in a freeze scope (the freezes table's kind and value, DESIGN.md
-- section 5), for the crisis module's preview (store/freeze_preview.sql). The same matching as
-- the send gate's scope keys (services/contracts/gate/send_gate.hpp), on the target's columns.
CREATE FUNCTION publishing_in_freeze_scope(kind text, value text, brand uuid, platform text, account uuid,
                                           campaign uuid, tags jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE kind
           WHEN 'all' THEN true
           WHEN 'brand' THEN brand::text = value
           WHEN 'platform' THEN platform = value
           WHEN 'account' THEN account::text = value
           WHEN 'campaign' THEN campaign IS NOT NULL AND campaign::text = value
           WHEN 'tag' THEN tags ? value
           ELSE false
         END
$$;

CREATE INDEX post_targets_pending ON post_targets (org_id) WHERE state IN ('SCHEDULED', 'DISPATCHED');
