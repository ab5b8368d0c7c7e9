-- Named queries of the fence keeper (services/crisis/fence_keeper.cpp).

-- name: crisis_fence_epoch
SELECT epoch FROM crisis_fence WHERE id = 1;

-- name: crisis_fence_bump
UPDATE crisis_fence SET epoch = epoch + 1, updated_at = now() WHERE id = 1 RETURNING epoch;

-- The send gate's scope keys of every freeze in force (services/contracts/gate/send_gate.hpp):
-- "org:<org>" for all of an organization, "brand:<id>", "account:<id>", "campaign:<id>",
-- "org:<org>:platform:<name>", "org:<org>:tag:<tag>".
-- name: crisis_active_scopes
SELECT DISTINCT CASE scope_kind
         WHEN 'all' THEN 'org:' || org_id
         WHEN 'platform' THEN 'org:' || org_id || ':platform:' || scope_value
         WHEN 'tag' THEN 'org:' || org_id || ':tag:' || scope_value
         ELSE scope_kind || ':' || scope_value
       END AS scope_key
FROM freezes
WHERE lifted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
ORDER BY 1;
